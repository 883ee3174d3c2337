import type { Channel, LookupResult, OutgoingMessage, SendResult } from '../ports/channel.js';
import { postOnce } from './http-post.js';
import { describe, fromHttpStatus, fromNoAnswer } from './outcome.js';

export interface PushOptions {
  /** Gateway endpoint that accepts one notification per POST, e.g. `https://push.example.com/push`. */
  url: string;
  /** Bearer token sent as `Authorization: Bearer …`; none when unset. */
  token?: string;
  /** Yuan per message. @defaultValue 0 */
  costPerMessage?: number;
  /** Wait for the gateway's answer this long. @defaultValue 10000 */
  timeoutMs?: number;
}

/**
 * Push through an HTTP gateway: `POST {url}` with JSON `{ to, title, body, data }` and
 * `Idempotency-Key: <delivery id>`, answered by `2xx { id }`. The gateway is expected to
 * deduplicate on the key, so even a resend by an operator cannot notify a device twice.
 * `GET {url}/{key}` looks a notification up by its key (200 `{ id }`, or 404: never taken).
 * The protocol, with examples, for whoever writes a gateway: docs/integration.md.
 */
export function pushChannel(options: PushOptions): Channel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: 'push',
    costPerMessage: options.costPerMessage ?? 0,
    timeoutMs,
    send: (message) => sendPush(options, timeoutMs, message),
    lookup: (ref) => lookupPush(options, timeoutMs, ref.deliveryId),
    close: () => Promise.resolve(),
  };
}

async function sendPush(options: PushOptions, timeoutMs: number, m: OutgoingMessage): Promise<SendResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'idempotency-key': m.deliveryId,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = JSON.stringify({
    to: m.to,
    title: m.subject ?? '',
    body: m.text,
    data: { ...m.metadata, deliveryId: m.deliveryId, unsubscribeUrl: m.unsubscribeUrl },
  });
  const answer = await postOnce(options.url, headers, payload, timeoutMs);
  if (answer.kind === 'no-answer') return fromNoAnswer(answer.error, answer.requestSent);
  const body = parseJson(answer.body);
  if (answer.status >= 200 && answer.status < 300) {
    return { kind: 'sent', providerId: typeof body.id === 'string' ? body.id : m.deliveryId };
  }
  const reason = typeof body.error === 'string' ? body.error : answer.body.slice(0, 200);
  return fromHttpStatus(answer.status, reason, typeof body.code === 'string' ? body.code : undefined);
}

/** Only a clear 200 or 404 is an answer; anything else leaves the delivery for a person to judge. */
async function lookupPush(options: PushOptions, timeoutMs: number, deliveryId: string): Promise<LookupResult> {
  try {
    const res = await fetch(`${options.url.replace(/\/+$/, '')}/${encodeURIComponent(deliveryId)}`, {
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = parseJson(await res.text());
    if (res.status === 200 && typeof body.id === 'string') return { kind: 'found', providerId: body.id };
    if (res.status === 404) return { kind: 'not-found' };
    return { kind: 'unsupported', reason: `lookup answered HTTP ${res.status}` };
  } catch (err) {
    return { kind: 'unsupported', reason: `lookup failed: ${describe(err)}` };
  }
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch (err) {
    return { error: `unreadable answer (${describe(err)})` };
  }
}
