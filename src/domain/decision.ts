import { CATEGORIES, type Category } from './event.js';
import type { Grant } from './incentive.js';
import { preferredCategory } from './windowed-metrics.js';
import { DEFAULT_RISK_TOLERANCE, parseRiskTolerance, type RecommendedProduct, type RiskLevel } from './product.js';
import type { Channel, Profile } from './profile.js';
import type { Scoring } from './intent-scoring.js';
import { reachOf, type Reach } from './reach.js';

/**
 * Why a matched user was not contacted, in the order the gates are checked. Closed: reports and
 * the ledger key on these, and every switch over them ends in assertNever.
 */
export const SKIP_REASONS = [
  /** The campaign is paused (or still a draft) when the evaluation runs. */
  'paused',
  'draft',
  /** Re-checked at evaluation time, the user no longer meets the segment or conditions (set by the caller). */
  'not-eligible',
  /** The evaluation ran later than the trigger's `within` allows. */
  'trigger-expired',
  /** In the campaign's control group: recorded, never contacted. */
  'holdout',
  /** No listed channel with consent: none given. */
  'no-consent',
  /** No listed channel with consent: consent was withdrawn (granted: false). */
  'unsubscribed',
  /** Consent on some listed channel, but no contact point (phone, email, push token) for it. */
  'no-contact',
  /** Every consented, reachable channel is suppressed (bounces, complaints, do-not-contact). */
  'suppressed',
  'cooldown',
  'frequency-cap',
  'priority',
  /** The incentive is tiered and the triggering purchase reaches no tier. */
  'no-incentive',
  /** The user received an incentive, from any campaign, within the campaign's incentiveCooldown. */
  'incentive-limit',
  'budget',
  /** The campaign offers a product, and none is active in the category (or the user has no preference). */
  'no-product',
  /** Every candidate product is above the user's risk tolerance. */
  'suitability',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface Send {
  kind: 'send';
  channel: Channel;
  /** When to send: the requested time, or the end of the channel's quiet hours after it. */
  sendAt: Date;
  /** `sendAt` was moved out of quiet hours. */
  postponed: boolean;
  product?: RecommendedProduct;
  incentive?: Grant;
  /** What the message costs on its channel, fen. */
  messageCostFen: number;
  /** What the send charges to the campaign budget, fen (0 without a budget). */
  budgetFen: number;
}

export interface Skip {
  kind: 'skip';
  reason: SkipReason;
  /** For people: which cap, which competing campaign, which product… */
  detail?: string;
}

export type Decision = Send | Skip;

export function skip(reason: SkipReason, detail?: string): Skip {
  return detail === undefined ? { kind: 'skip', reason } : { kind: 'skip', reason, detail };
}

/** The user as the gates see them; build it with `recipientOf`. */
export interface Recipient extends Reach {
  userId: string;
  riskTolerance: RiskLevel;
  preferredCategory?: Category | undefined;
}

export interface RecipientOptions {
  /** Platform time zone (TIDEFLOW_TZ): metric windows, and the user's zone when the profile has none. */
  platformTz: string;
  now: Date;
  /** Window and threshold of the preferred category. */
  scoring: Scoring;
  /** @defaultValue [] */
  suppressed?: readonly Channel[];
}

/**
 * The gates' view of a profile: contact points per channel, the time zone to read quiet hours and
 * caps in, the risk tolerance (DEFAULT_RISK_TOLERANCE when unknown) and the preferred category.
 */
export function recipientOf(p: Profile, o: RecipientOptions): Recipient {
  const { windowDays, threshold } = o.scoring.preference;
  const preferred = preferredCategory(p, CATEGORIES, windowDays, threshold, { now: o.now, tz: o.platformTz });
  const reach = reachOf(p, o.platformTz);
  return {
    userId: p._id,
    ...reach,
    suppressed: [...new Set([...(o.suppressed ?? []), ...reach.suppressed])],
    riskTolerance: parseRiskTolerance(p.attributes?.riskTolerance) ?? DEFAULT_RISK_TOLERANCE,
    preferredCategory: preferred as Category | undefined,
  };
}
