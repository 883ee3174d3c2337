import type { Channel } from '../domain/profile.js';
import type { Issue } from '../errors.js';

/**
 * Static check for `tideflow validate`: a campaign that may send SMS has a signature, its own
 * (`smsSignature`) or the configured one (TIDEFLOW_SMS_SIGNATURE). Its length and characters are
 * checked where it is parsed (domain/sms-signature.ts).
 */
export function checkSmsSignature(
  c: { channels: readonly Channel[]; smsSignature?: string | undefined },
  configured: string | undefined,
): Issue[] {
  if (!c.channels.includes('sms') || c.smsSignature !== undefined || configured !== undefined) return [];
  return [
    {
      path: 'smsSignature',
      message: "a campaign that sends SMS needs the sender's signature in 【】 (2 to 12 characters)",
      hint: 'set "smsSignature" here or TIDEFLOW_SMS_SIGNATURE in the environment',
    },
  ];
}
