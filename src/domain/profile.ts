import { z } from 'zod';
import { FieldName, Id, Instant } from './event.js';
import { TimeZone } from './time-zone.js';
import { assertNever } from '../errors.js';
import { supersedes } from './consent-order.js';
import { BAD_CHARACTERS, parsePhone, PHONE_CHARACTERS, PHONE_FORMAT } from './phone.js';

export const CHANNELS = ['sms', 'email', 'push'] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

/** Consent for one channel, with its evidence: when and from where it was given or withdrawn. */
export const Consent = z.strictObject({
  granted: z.boolean(),
  at: Instant,
  source: z.string().min(1).max(64),
});
export type Consent = z.infer<typeof Consent>;

const AttrValue = z.union([z.string().max(256), z.number().finite(), z.boolean(), z.null()]);

export { PHONE_FORMAT } from './phone.js';

/** A phone number as people write it (see domain/phone.ts), stored as E.164. */
export const Phone = z
  .string()
  .max(32)
  .regex(PHONE_CHARACTERS, { message: `${BAD_CHARACTERS}; expected ${PHONE_FORMAT}` })
  .transform((written, ctx) => {
    const parsed = parsePhone(written);
    if (parsed.ok) return parsed.e164;
    ctx.addIssue({ code: 'custom', message: `${parsed.problem}; expected ${PHONE_FORMAT}` });
    return z.NEVER;
  });

/** What a client may set on a profile (PUT /v1/profiles/:userId, `tideflow import profiles`). */
export const ProfileUpdate = z.strictObject({
  phone: Phone.optional(),
  email: z.email().max(254).optional(),
  pushToken: z
    .string()
    .min(8)
    .max(512)
    .regex(/^[A-Za-z0-9_:.-]+$/)
    .optional(),
  timezone: TimeZone.optional(),
  consent: z.strictObject({ sms: Consent.optional(), email: Consent.optional(), push: Consent.optional() }).optional(),
  topics: z
    .array(z.string().regex(/^[a-z0-9_-]{1,48}$/))
    .max(64)
    .optional(),
  /**
   * When the user chose `topics` (on the platform's side). A topic the user left through a
   * message's link stays left unless the list is stamped later: without a stamp, it stays left.
   */
  topicsAt: Instant.optional(),
  attributes: z.record(FieldName, AttrValue).optional(),
});
export type ProfileUpdate = z.infer<typeof ProfileUpdate>;

/** A profile import line: a ProfileUpdate with its user id. */
export const ProfileRecord = ProfileUpdate.extend({ userId: Id });
export type ProfileRecord = z.infer<typeof ProfileRecord>;

/** One day of a user's behaviour, as kept in `profiles.buckets[YYYY-MM-DD]`. */
export interface DayBucket {
  /** Event count per type. */
  n?: Record<string, number>;
  /** Dwell seconds of `view_product_detail` per category. */
  dwell?: Record<string, number>;
  /** Dwell seconds of all events. */
  dwellAll?: number;
  /** Amount per event type (yuan). */
  amount?: Record<string, number>;
}

export interface Lifecycle {
  registeredAt?: Date;
  realNameAt?: Date;
  cardBoundAt?: Date;
  firstPurchaseAt?: Date;
  lastPurchaseAt?: Date;
  purchaseCount?: number;
  lastRedeemAt?: Date;
  /** Time of the latest money movement (purchase, redeem, mature). */
  lastMoneyAt?: Date;
  /** The latest money movement returned money to the user (redeem or mature). */
  fundsRedeemed?: boolean;
  /** Lifetime purchase amount, yuan. */
  totalPurchased?: number;
  /** Lifetime redeemed and matured amount, yuan. */
  totalRedeemed?: number;
}

/** A profile as stored (collection `profiles`, `_id` = userId); absent counters read as 0. */
export interface Profile {
  _id: string;
  phone?: string;
  email?: string;
  pushToken?: string;
  timezone?: string;
  consent?: Partial<Record<Channel, { granted: boolean; at: Date; source: string }>>;
  topics?: string[];
  /** When `topics` was chosen, if the client said (ProfileUpdate.topicsAt). */
  topicsAt?: Date;
  /** Topics the user left through a message's link, with when: they outrank an older `topics`. */
  topicOptOuts?: Record<string, { at: Date; source: string }>;
  attributes?: Record<string, string | number | boolean | null>;
  /**
   * The suppression list: per channel, a contact point that must not be used again (hard bounce,
   * complaint, dead push token) and why. It holds for that address or token only: a new one set
   * on the profile is reachable.
   */
  suppressions?: Partial<Record<Channel, Suppression>>;
  /** Acquisition channel, from the `register` event (or the first event carrying one). */
  acquisitionChannel?: string;
  lifecycle?: Lifecycle;
  /**
   * Latest event time per type (kept beyond bucket retention, for `daysSince`); never earlier than
   * an event counted in the buckets, which segment prefilters rely on.
   */
  lastAt?: Record<string, Date>;
  buckets?: Record<string, DayBucket>;
  /** The oldest bucket key, so pruning finds its work by index. */
  oldestBucket?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

/** A suppressed contact point, with its evidence. */
export interface Suppression {
  to: string;
  reason: string;
  at: Date;
}

/** Channels whose current contact point is on the profile's suppression list. */
export function suppressedChannels(p: Pick<Profile, 'phone' | 'email' | 'pushToken' | 'suppressions'>): Channel[] {
  const list = p.suppressions;
  if (!list) return [];
  return CHANNELS.filter((ch) => {
    const to = contactPoint(p, ch);
    return to !== undefined && list[ch] !== undefined && sameContact(ch, list[ch].to, to);
  });
}

/** Email addresses compare without case (mailbox providers treat them so); phones and tokens exactly. */
export function sameContact(channel: Channel, a: string, b: string): boolean {
  return channel === 'email' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * The push topics the user is subscribed to: `topics`, without those the user left later than the
 * list was chosen (consent-order.ts: at the same instant, leaving wins; an unstamped list is older
 * than any opt-out).
 */
export function subscribedTopics(p: Pick<Profile, 'topics' | 'topicsAt' | 'topicOptOuts'>): string[] {
  const topics = p.topics ?? [];
  const left = p.topicOptOuts;
  if (!left) return topics;
  return topics.filter((t) => {
    const out = left[t];
    if (!out) return true;
    return p.topicsAt !== undefined && supersedes({ granted: true, at: p.topicsAt }, { granted: false, at: out.at });
  });
}

export function hasPurchased(p: Profile): boolean {
  return (p.lifecycle?.purchaseCount ?? 0) > 0;
}

/** The user's contact point for a channel, if the profile has one. */
export function contactPoint(
  profile: Pick<Profile, 'phone' | 'email' | 'pushToken'>,
  channel: Channel,
): string | undefined {
  switch (channel) {
    case 'sms':
      return profile.phone;
    case 'email':
      return profile.email;
    case 'push':
      return profile.pushToken;
    default:
      return assertNever(channel);
  }
}
