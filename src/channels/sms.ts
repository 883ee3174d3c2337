import { createHash } from 'node:crypto';
import twilio from 'twilio';
import type { Channel, LookupResult, OutgoingMessage, SendResult, SentRef } from '../ports/channel.js';
import { SMS_OPT_OUT, withOptOut } from '../domain/sms-body.js';
import { describe, fromHttpStatus, fromNoAnswer } from './outcome.js';

/** The opt-out wording lives in the domain: messages are built with it before they reach a channel. */
export { SMS_OPT_OUT, withOptOut };

export interface SmsOptions {
  accountSid: string;
  authToken: string;
  /** Sender number; one of `from` and `messagingServiceSid` is required. */
  from?: string;
  messagingServiceSid?: string;
  /**
   * Base URL of the Messages API in place of `https://api.twilio.com` (a local endpoint in tests
   * and the demo, or a Twilio-compatible gateway). Region and edge routing is then off.
   */
  apiBaseUrl?: string;
  /** Where the provider reports delivery status; the delivery id is added as `?deliveryId=`. */
  statusCallbackUrl?: string;
  /** Appended to a body that does not contain it already. @defaultValue 回T退订 */
  optOut?: string;
  /** Yuan per message. @defaultValue 0.05 */
  costPerMessage?: number;
  /** Wait for the API's answer this long. @defaultValue 10000 */
  timeoutMs?: number;
}

/** SMS through the twilio SDK (`messages.create`). */
export function smsChannel(options: SmsOptions): Channel {
  if (!options.from && !options.messagingServiceSid) throw new Error('sms channel: set from or messagingServiceSid');
  // Own environment, so TWILIO_* variables of the process do not re-route a configured base URL.
  const client = twilio(options.accountSid, options.authToken, { timeout: options.timeoutMs ?? 10_000, env: {} });
  if (options.apiBaseUrl) {
    client.api.baseUrl = options.apiBaseUrl;
    client.region = undefined;
    client.edge = undefined;
  }
  return {
    name: 'sms',
    costPerMessage: options.costPerMessage ?? 0.05,
    timeoutMs: options.timeoutMs ?? 10_000,
    send: (message) => sendSms(client, options, message),
    fingerprint: (message) => bodyDigest(withOptOut(message.text, options.optOut ?? SMS_OPT_OUT)),
    lookup: (ref) => lookupSms(client, options, ref),
    close: () => Promise.resolve(),
  };
}

async function sendSms(client: twilio.Twilio, options: SmsOptions, m: OutgoingMessage): Promise<SendResult> {
  try {
    const sent = await client.messages.create({
      to: m.to,
      body: withOptOut(m.text, options.optOut ?? SMS_OPT_OUT),
      ...(options.messagingServiceSid ? { messagingServiceSid: options.messagingServiceSid } : { from: options.from }),
      ...(options.statusCallbackUrl ? { statusCallback: callbackFor(options.statusCallbackUrl, m.deliveryId) } : {}),
    });
    return { kind: 'sent', providerId: sent.sid };
  } catch (err) {
    return classifyTwilioError(err);
  }
}

/** Messages to one number read per lookup. */
const LOOKUP_PAGE = 50;
/** Slack for the provider's clock (and its whole-second `date_created`) against ours. */
const CLOCK_SLACK_MS = 60_000;

/**
 * Twilio takes no idempotency key, but lists the messages sent to a number, newest first. A message
 * created since the claim with the same body (by digest) is the one the dead sender handed over;
 * none at all since the claim means it never arrived, so sending is safe. Other messages to the
 * number since then cannot be told apart from this one with its body changed by the provider
 * (smart encoding), so the delivery stays unknown.
 */
async function lookupSms(client: twilio.Twilio, options: SmsOptions, ref: SentRef): Promise<LookupResult> {
  if (!ref.to || !ref.fingerprint)
    return { kind: 'unsupported', reason: 'no number or message fingerprint to look the message up by' };
  try {
    const page = await client.messages.page({
      to: ref.to,
      ...(options.from ? { from: options.from } : {}),
      pageSize: LOOKUP_PAGE,
    });
    const since = ref.since.getTime() - CLOCK_SLACK_MS;
    const recent = page.instances.filter((m) => m.dateCreated.getTime() >= since);
    const hit = recent.find((m) => bodyDigest(m.body) === ref.fingerprint);
    if (hit) return { kind: 'found', providerId: hit.sid };
    // Newest first: if the newest is older than the claim, so are all the others.
    if (recent.length === 0) return { kind: 'not-found' };
    return { kind: 'unsupported', reason: `${recent.length} other message(s) to the number since the claim` };
  } catch (err) {
    return { kind: 'unsupported', reason: `lookup failed: ${describe(err)}` };
  }
}

function bodyDigest(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 22);
}

function callbackFor(base: string, deliveryId: string): string {
  const url = new URL(base);
  url.searchParams.set('deliveryId', deliveryId);
  return url.href;
}

/**
 * A `RestException` carries the HTTP status and Twilio's error code (21610: the recipient replied
 * STOP); anything else is a transport error from the SDK's HTTP client, whose `request` tells
 * whether the request had been written out before the failure.
 */
function classifyTwilioError(err: unknown): SendResult {
  const e = err as { status?: unknown; code?: unknown; message?: unknown; request?: { writableFinished?: boolean } };
  if (typeof e.status === 'number') {
    const code = typeof e.code === 'number' || typeof e.code === 'string' ? String(e.code) : undefined;
    return fromHttpStatus(e.status, typeof e.message === 'string' ? e.message : describe(err), code);
  }
  return fromNoAnswer(err, e.request?.writableFinished === true);
}
