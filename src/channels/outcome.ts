import type { SendResult } from '../ports/channel.js';

/**
 * How HTTP providers' answers become send results. Shared by the SMS (Twilio API) and push
 * (gateway) channels so both draw the line between "try again" and "may have been sent" alike.
 */

/** A provider's HTTP answer: throttling and server errors are worth retrying, other 4xx are final. */
export function fromHttpStatus(status: number, reason: string, code?: string): SendResult {
  if (status === 429 || status >= 500) return { kind: 'retryable', reason: `HTTP ${status}: ${reason}` };
  return code === undefined
    ? { kind: 'failed', reason: `HTTP ${status}: ${reason}` }
    : { kind: 'failed', reason: `HTTP ${status}: ${reason}`, code };
}

/**
 * A request that got no answer. If the whole request had been handed to the network, the provider
 * may have acted on it: the outcome is unknown and the message must not be sent again. If it had
 * not (connection refused, DNS failure), nothing can have reached the user and a retry is safe.
 */
export function fromNoAnswer(err: unknown, requestSent: boolean): SendResult {
  const reason = describe(err);
  return requestSent
    ? { kind: 'unknown', reason: `no answer after the request was sent: ${reason}` }
    : { kind: 'retryable', reason };
}

/** `code: message` of an error-like value, for failure reasons. */
export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
}
