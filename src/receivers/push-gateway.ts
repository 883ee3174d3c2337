import { randomBytes } from 'node:crypto';
import type { ProviderEvent } from '../domain/provider-report.js';
import { authorizationMatches, json, listenLoopback } from './http-listener.js';
import { modeSwitch, pushBounded } from './mode.js';
import { postReport, type ReportTarget } from './report-post.js';

/**
 * A local push gateway: `POST /push` with a bearer token and JSON `{ to, title, body, data }`,
 * answered `201 { id }`. Requests repeating an `Idempotency-Key` get the first answer again and
 * notify nobody twice, as production gateways do. `GET /push/<idempotency key>` answers
 * `200 { id }` for a notification it took under that key, 404 otherwise.
 *
 * With `reports` set it also tells the sender what became of each notification it took, as a
 * production gateway's delivery receipts do: a signed report (domain/provider-report.ts) to
 * `reports.url` — `delivered`, or `failed` with code `invalid-token` for a token marked invalid.
 */

export type PushFailure =
  /** 429 */
  | 'throttle'
  /** 400, code InvalidToken: the device token is unknown or expired. */
  | 'reject'
  /** 503 */
  | 'error'
  /** Reads the request and never answers. */
  | 'hang'
  /** Reads the request and closes the connection without an answer. */
  | 'drop';

export interface ReceivedPush {
  id: string;
  idempotencyKey?: string;
  to: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

export interface PushGatewayOptions {
  /** @defaultValue `test-push-token` */
  token?: string;
  /** Notifications kept in `received`. @defaultValue 10000 */
  limit?: number;
  /** Where delivery reports go (e.g. `<tideflow>/v1/webhooks/push`) and the secret that signs them; none when unset. */
  reports?: ReportTarget;
  /** Called with each notification taken (the sandbox keeps them). */
  onReceive?: (push: ReceivedPush) => void;
}

export interface PushGateway {
  /** The endpoint to configure as PUSH_GATEWAY_URL (`…/push`). */
  url: string;
  port: number;
  token: string;
  received: ReceivedPush[];
  setMode(mode: PushFailure | 'accept', times?: number): void;
  /** Later notifications to `token` are taken, then reported failed (`invalid-token`): the app was uninstalled. */
  markInvalid(token: string): void;
  /** Resolves once every report sent so far has been answered; the HTTP statuses of all reports, in order. */
  reported(): Promise<number[]>;
  close(): Promise<void>;
}

const FAILURES = {
  throttle: { status: 429, code: 'RateLimited' },
  reject: { status: 400, code: 'InvalidToken' },
  error: { status: 503, code: 'Unavailable' },
} as const;

export async function startPushGateway(options: PushGatewayOptions = {}): Promise<PushGateway> {
  const token = options.token ?? 'test-push-token';
  const limit = options.limit ?? 10_000;
  const received: ReceivedPush[] = [];
  const byKey = new Map<string, string>();
  const mode = modeSwitch<PushFailure>();
  const invalid = new Set<string>();
  const reports: Promise<number>[] = [];

  const listener = await listenLoopback((req, text, res) => {
    const lookup = req.method === 'GET' && req.url?.startsWith('/push/');
    if (!lookup && (req.method !== 'POST' || req.url !== '/push'))
      return json(res, 404, { error: 'not found', code: 'NotFound' });
    if (!authorizationMatches(req.headers.authorization, `Bearer ${token}`))
      return json(res, 401, { error: 'bad token', code: 'Unauthorized' });
    if (lookup) {
      const id = byKey.get(decodeURIComponent((req.url as string).slice('/push/'.length)));
      return id
        ? json(res, 200, { id })
        : json(res, 404, { error: 'no notification under this key', code: 'NotFound' });
    }
    const push = parsePush(text);
    if (!push) return json(res, 400, { error: 'expected JSON { to, title, body, data? }', code: 'BadRequest' });
    const key = headerValue(req.headers['idempotency-key']);
    const seen = key === undefined ? undefined : byKey.get(key);
    if (seen) return json(res, 200, { id: seen, duplicate: true });
    const current = mode.take();
    if (current === 'hang') return;
    if (current === 'drop') return void req.socket.destroy();
    if (current !== 'accept')
      return json(res, FAILURES[current].status, { error: current, code: FAILURES[current].code });
    const id = `push_${randomBytes(12).toString('hex')}`;
    if (key !== undefined) {
      byKey.set(key, id);
      if (byKey.size > limit) byKey.delete(byKey.keys().next().value as string);
    }
    const taken: ReceivedPush = { id, ...(key === undefined ? {} : { idempotencyKey: key }), ...push };
    pushBounded(received, taken, limit);
    options.onReceive?.(taken);
    json(res, 201, { id });
    const deliveryId = typeof push.data.deliveryId === 'string' ? push.data.deliveryId : key;
    if (options.reports && deliveryId)
      reports.push(postReport(options.reports, receipt(id, deliveryId, push.to, invalid.has(push.to))));
  });
  return {
    url: `${listener.url}/push`,
    port: listener.port,
    token,
    received,
    close: listener.close,
    setMode: (m, t) => mode.set(m, t),
    markInvalid: (t) => void invalid.add(t),
    reported: () => Promise.all(reports),
  };
}

function receipt(id: string, deliveryId: string, to: string, invalid: boolean): ProviderEvent {
  return invalid
    ? { id: `${id}-failed`, type: 'failed', code: 'invalid-token', deliveryId, providerId: id, recipient: to }
    : { id: `${id}-delivered`, type: 'delivered', deliveryId, providerId: id, recipient: to };
}

function parsePush(text: string): Omit<ReceivedPush, 'id' | 'idempotencyKey'> | undefined {
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    if (typeof v.to !== 'string' || typeof v.title !== 'string' || typeof v.body !== 'string') return undefined;
    const data = typeof v.data === 'object' && v.data !== null ? (v.data as Record<string, unknown>) : {};
    return { to: v.to, title: v.title, body: v.body, data };
  } catch {
    return undefined;
  }
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h;
}
