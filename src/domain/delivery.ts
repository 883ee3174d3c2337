import type { SendRecord } from './caps.js';
import type { SkipReason } from './decision.js';
import type { Grant } from './incentive.js';
import type { RecommendedProduct } from './product.js';
import type { Channel } from './profile.js';

/**
 * One matched user's row in the `deliveries` ledger, which is also the outbox. Its `_id` is the
 * deterministic key of (campaign, occurrence, user): inserting it claims the decision, so a
 * crashed, retried or duplicated job can never decide, grant or send twice.
 *
 * States: planned → sending → sent | failed | unknown, or planned/sending → skipped (the budget ran
 * out, consent was withdrawn before the send). A skip decided at planning is inserted as skipped.
 * A retryable provider answer sends the delivery back to planned with a later `dueAt`.
 */
export const DELIVERY_STATES = ['planned', 'sending', 'sent', 'failed', 'unknown', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Why a send failed for good. */
export const FAILURE_REASONS = [
  /** The provider refused the message (bad address, unsubscribed at the provider…). */
  'rejected',
  /** Retryable answers every time, up to the attempt limit. */
  'retries-exhausted',
  /** The template could not be rendered: no message was sent, not even part of one. */
  'render-error',
  /** The delivery's channel is not configured in the process that picked it up. */
  'channel-unavailable',
  /** The user's contact point for the channel is gone. */
  'no-contact',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Why a delivery's outcome is unknown: it may or may not have reached the user, so it is never resent blindly. */
export const UNKNOWN_REASONS = [
  /** The request left and no answer came back. */
  'no-answer',
  /** The sender stopped (crash, kill) between claiming the delivery and recording its outcome. */
  'interrupted',
] as const;
export type UnknownReason = (typeof UNKNOWN_REASONS)[number];

export type DeliveryReason = SkipReason | FailureReason | UnknownReason;

/**
 * How the budget charge of a delivery stands: `pending` announced with the claim (made or not: the
 * budget's receipt for the delivery key tells), `done` made, `released` given back (or never made).
 */
export type ChargeState = 'pending' | 'done' | 'released';

/** The event that started a triggered evaluation, as the ledger keeps it. */
export interface TriggerRecord {
  eventId: string;
  type: string;
  at: Date;
  amount?: number;
}

export interface Delivery {
  _id: string;
  campaignId: string;
  occurrence: string;
  userId: string;
  state: DeliveryState;
  /** Skipped, failed or unknown: why. */
  reason?: DeliveryReason;
  /** For people: which cap, which provider error… */
  detail?: string;
  decidedAt: Date;
  updatedAt: Date;
  /** The campaign's priority, for the priority gate of other campaigns. */
  priority: number;
  trigger?: TriggerRecord;
  /** Sends only, from here on. */
  channel?: Channel;
  /** The decided send time (quiet hours applied). */
  sendAt?: Date;
  postponed?: boolean;
  /** When the outbox may pick it up next: `sendAt`, then later after a retryable answer or quiet hours. */
  dueAt?: Date;
  /** The user's time zone at decision time: quiet hours are re-checked in it at send time. */
  timezone?: string;
  product?: RecommendedProduct;
  incentive?: Grant;
  /** Yuan cents the message costs: per part for an SMS once its parts are known (`smsParts`). */
  messageCostFen?: number;
  budgetFen?: number;
  /** Parts of the SMS as first claimed for sending; its cost is per part (domain/sms-cost.ts). */
  smsParts?: number;
  attempts?: number;
  /** The claim of the sender holding it: only the holder of `token` records the outcome. */
  lease?: Lease;
  charge?: ChargeState;
  grantId?: string;
  providerId?: string;
  sentAt?: Date;
}

/** A sender's claim on a delivery. */
export interface Lease {
  token: string;
  /** Past this, the sender is presumed dead and the delivery is reconciled. */
  until: Date;
  /** When it was claimed. */
  at?: Date;
  /** The channel's fingerprint of the message about to be sent, when the channel keeps one. */
  fingerprint?: string;
  /** When the sender was about to hand the message over for good (channels that announce it). */
  handedOverAt?: Date;
}

/**
 * Parts of a ledger key are joined with `~`: user and event ids may contain `:` (and ISO times
 * always do), `~` is in none of campaign, user or event ids, nor in ISO times.
 */
const SEP = '~';

/** The deterministic ledger key of (campaign, occurrence, user). */
export function deliveryKey(campaignId: string, occurrence: string, userId: string): string {
  return `${campaignId}${SEP}${occurrence}${SEP}${userId}`;
}

/** The occurrence of a scheduled run: its cron slot, so a duplicated scheduler job maps to the same keys. */
export function scheduledOccurrence(slot: Date): string {
  return slot.toISOString();
}

/** The occurrence of a triggered evaluation: one per triggering event. */
export function triggerOccurrence(eventId: string): string {
  return `evt-${eventId}`;
}

/** The occurrence of a run started by hand (`tideflow run`, `POST /v1/campaigns/:id/run`). */
export function manualOccurrence(now: Date): string {
  return `run-${now.toISOString()}`;
}

/** States in which a delivery counts against the user's caps: it went out, may have, or will. */
export const CONTACT_STATES: readonly DeliveryState[] = ['planned', 'sending', 'sent', 'unknown'];

/** A delivery as the cross-campaign gates see it. */
export function sendRecordOf(
  d: Pick<Delivery, 'campaignId' | 'channel' | 'sendAt' | 'sentAt' | 'priority' | 'incentive'>,
): SendRecord | undefined {
  const at = d.sentAt ?? d.sendAt;
  if (!d.channel || !at) return undefined;
  return {
    campaignId: d.campaignId,
    channel: d.channel,
    at,
    priority: d.priority,
    ...(d.incentive ? { incentive: true } : {}),
  };
}

/** Retry policy of retryable provider answers. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @defaultValue 5 */
  maxAttempts: number;
  /** Delay before the second attempt; each next one doubles it. @defaultValue 30000 */
  baseDelayMs: number;
  /** @defaultValue 1800000 (30 minutes) */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 30 * 60_000 };

/**
 * The delay before the next attempt after `attempts` attempts answered retryable, or null when
 * the limit is reached (the delivery fails: `retries-exhausted`).
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy = DEFAULT_RETRY): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}
