import { createHash } from 'node:crypto';
import type { Channel } from './profile.js';

/**
 * What happens after a send, as Tideflow records it: provider delivery reports, clicks on
 * tracked links, unsubscribes. Each becomes an ordinary event (so segments and reports can use
 * it) with a deterministic id, so a replayed callback or a second click adds nothing.
 */

/** Event types Tideflow writes for outcomes; they are not user activity (engagement skips them). */
export const OUTCOME_EVENT_TYPES = ['message_delivered', 'message_failed', 'message_clicked', 'unsubscribed'] as const;
export type OutcomeEventType = (typeof OUTCOME_EVENT_TYPES)[number];

const OUTCOME_TYPES: ReadonlySet<string> = new Set(OUTCOME_EVENT_TYPES);

/** Whether an event of `type` is something the user did in the app or on the site. */
export function isActivity(type: string): boolean {
  return !OUTCOME_TYPES.has(type);
}

/**
 * Provider message statuses in the order they happen. A status only moves forward: a late
 * `sent` after `delivered`, or a second final status, changes nothing.
 */
const STATUS_RANK: Record<string, number> = {
  accepted: 1,
  scheduled: 1,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  canceled: 4,
  bounced: 4,
  read: 5,
  // A complaint (marked as spam) comes after the message reached the inbox.
  complained: 6,
};

/** Final outcomes and the event each becomes. */
const STATUS_EVENT: Partial<Record<string, OutcomeEventType>> = {
  delivered: 'message_delivered',
  read: 'message_delivered',
  undelivered: 'message_failed',
  failed: 'message_failed',
  bounced: 'message_failed',
};

/** Statuses that prove the message reached the handset or inbox. */
const DELIVERED_STATUSES: ReadonlySet<string> = new Set(['delivered', 'read', 'complained']);

/** A provider status Tideflow understands, with its rank; undefined for others. */
export function statusRank(status: string): number | undefined {
  return STATUS_RANK[status.toLowerCase()];
}

/** The event a status becomes, if any (intermediate statuses only move the delivery's status). */
export function statusEvent(status: string): OutcomeEventType | undefined {
  return STATUS_EVENT[status.toLowerCase()];
}

/** Whether the status says the message reached the handset or inbox. */
export function isDelivered(status: string): boolean {
  return DELIVERED_STATUSES.has(status.toLowerCase());
}

/**
 * A deterministic event id for an outcome: `tf-<type>-` and 32 hex digits of
 * sha256(type, parts…). Ledger keys contain `~`, which event ids may not, hence the hash.
 */
export function outcomeEventId(type: OutcomeEventType, ...parts: string[]): string {
  const hash = createHash('sha256')
    .update([type, ...parts].join('\n'))
    .digest('hex')
    .slice(0, 32);
  return `tf-${type.replace(/_/g, '-')}-${hash}`;
}

/**
 * SMS replies that unsubscribe: 退订, T and TD (the Chinese carriers' convention, `回T退订`) and
 * the usual English keywords. Case, surrounding space and a trailing full stop are ignored.
 */
const SMS_OPT_OUT_WORDS = new Set(['t', 'td', '退订', 'stop', 'unsubscribe', 'stopall', 'cancel', 'end', 'quit']);

export function isSmsOptOut(body: string): boolean {
  return SMS_OPT_OUT_WORDS.has(
    body
      .trim()
      .replace(/[.。!！]+$/u, '')
      .toLowerCase(),
  );
}

/** Consent withdrawn on a channel, as the profile keeps it. */
export function withdrawnConsent(at: Date, source: string): { granted: false; at: Date; source: string } {
  return { granted: false, at, source };
}

/** Where an unsubscribe came from, for the consent record (`source`). */
export function unsubscribeSource(
  channel: Channel,
  how: 'one-click' | 'link' | 'reply' | 'topic' | 'complaint',
): string {
  return `${channel}-${how}`;
}

/**
 * What became of a delivery, kept on it as `outcome`. Flags are 1 when set (absent otherwise), so
 * reports can add them up with `$sum`.
 */
export interface DeliveryOutcome {
  /** The provider's latest status (e.g. Twilio's `delivered`), its rank and when it came. */
  status?: string;
  statusRank?: number;
  statusAt?: Date;
  delivered?: 1;
  clicked?: 1;
  clickedAt?: Date;
  clicks?: number;
  unsubscribedAt?: Date;
  /** The end of the goal window, once measured. */
  windowEnd?: Date;
  /** The user met the campaign's goal in the window (whoever got the credit), and for how much. */
  goal?: 1;
  goalAmount?: number;
  /** A goal event was credited to this delivery (last touch), its amount and the first one. */
  converted?: 1;
  convertedAmount?: number;
  convertedAt?: Date;
  convertedEventId?: string;
  /** The incentive was used, when and at what cost. */
  redeemed?: 1;
  redeemedAt?: Date;
  redeemedFen?: number;
}
