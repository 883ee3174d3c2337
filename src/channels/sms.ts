import twilio from 'twilio';
import type { Channel, OutgoingMessage, SendResult } from '../pipeline/channel-port.js';
import { describe, fromHttpStatus, fromNoAnswer } from './outcome.js';

/** The opt-out wording Chinese carriers require at the end of marketing SMS. */
export const SMS_OPT_OUT = '回T退订';

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
    send: (message) => sendSms(client, options, message),
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

/** The body with the opt-out wording at its end, unless it already carries it. */
export function withOptOut(body: string, optOut: string = SMS_OPT_OUT): string {
  return body.includes(optOut) ? body : `${body.trimEnd()}${optOut}`;
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
