import type { Channel } from './profile.js';
import { withSignature } from './sms-signature.js';

/** The opt-out wording Chinese carriers require at the end of marketing SMS. */
export const SMS_OPT_OUT = '回T退订';

/** The body with the opt-out wording at its end, unless it already carries it. */
export function withOptOut(body: string, optOut: string = SMS_OPT_OUT): string {
  return body.includes(optOut) ? body : `${body.trimEnd()}${optOut}`;
}

/**
 * The text a rendered message goes out with on `channel`: an SMS starts with the sender's
 * signature in 【】 (when one is configured) and ends with the opt-out wording. The outbox,
 * `simulate` and `preview` all build messages through this, so what they show is what is sent.
 */
export function channelText(channel: Channel, text: string, smsSignature?: string): string {
  return channel === 'sms' ? withOptOut(withSignature(text, smsSignature)) : text;
}
