import { createHash } from 'node:crypto';

/** What a carrier finally reports for an SMS: Twilio's final statuses. */
export type CarrierStatus = 'delivered' | 'undelivered' | 'failed';

/**
 * The final status a carrier reports for a message to `to`, as the local SMS receiver plays it:
 * mostly delivered, a small share undelivered (phone off, out of coverage: 2%) or failed (number
 * not in service: 1%), as real carriers report. Decided by the number alone, so the same
 * recipients fail on every run.
 */
export function carrierStatus(to: string): CarrierStatus {
  const n = createHash('sha256').update(to).digest().readUInt16BE(0) % 100;
  if (n < 2) return 'undelivered';
  if (n < 3) return 'failed';
  return 'delivered';
}
