import type { GoalHitEvent } from '../domain/attribution.js';
import type { Delivery } from '../domain/delivery.js';
import type { DeliveryOutcome } from '../domain/report-outcome.js';

export const CONVERSION_FIELDS = [
  'windowEnd',
  'goal',
  'goalAmount',
  'converted',
  'convertedAmount',
  'convertedAt',
  'convertedEventId',
  'redeemed',
  'redeemedAt',
  'redeemedFen',
] as const satisfies readonly (keyof ConversionMark)[];

/**
 * Measures a campaign's conversions and writes them on its deliveries: for each delivery, whether
 * its user met the goal in the window, the goal events credited to it (last touch across
 * campaigns), and whether its incentive was redeemed. Deterministic and idempotent: a second
 * pass over the same data writes nothing, and a goal event ingested late is picked up by the
 * next pass (reports run one before reading).
 */

/** What measuring reads of a delivery. */
export type MeasuredDelivery = Pick<
  Delivery,
  | '_id'
  | 'campaignId'
  | 'occurrence'
  | 'userId'
  | 'state'
  | 'reason'
  | 'decidedAt'
  | 'sendAt'
  | 'sentAt'
  | 'incentive'
  | 'channel'
  | 'product'
> & { outcome?: DeliveryOutcome };

/** The conversion part of an outcome, as measured. */
export type ConversionMark = Pick<
  DeliveryOutcome,
  | 'windowEnd'
  | 'goal'
  | 'goalAmount'
  | 'converted'
  | 'convertedAmount'
  | 'convertedAt'
  | 'convertedEventId'
  | 'redeemed'
  | 'redeemedAt'
  | 'redeemedFen'
>;

export interface ConversionStore {
  /** The campaign's deliveries with `_id` after `after`, in `_id` order, at most `limit`. */
  page(campaignId: string, after: string | undefined, limit: number): Promise<MeasuredDelivery[]>;
  /** Deliveries of these users, of any campaign, sent or possibly sent with a send time in [since, until]. */
  contacts(userIds: readonly string[], since: Date, until: Date): Promise<MeasuredDelivery[]>;
  /** Events of these users and types with a time in (since, until]. */
  events(
    userIds: readonly string[],
    types: readonly string[],
    since: Date,
    until: Date,
  ): Promise<(GoalHitEvent & { userId: string })[]>;
  /** Replaces the conversion part of each delivery's outcome with its mark. */
  mark(marks: readonly { id: string; mark: ConversionMark }[]): Promise<void>;
}
