import { dayKey } from './day.js';
import { moneyDirection, type Event } from './event.js';
import type { DayBucket } from './profile.js';

/**
 * What one batch changes on one user's profile, before it is written. Pure: built from events,
 * the platform time zone and the oldest retained day; the store turns it into one update.
 */
export interface ProfileDelta {
  userId: string;
  /** Increments per day key (only days still retained). */
  buckets: Record<string, DayBucket>;
  /** Earliest time per lifecycle field (registeredAt, realNameAt, cardBoundAt, firstPurchaseAt). */
  lifecycleMin: Partial<Record<LifecycleMinField, Date>>;
  /** Latest time per lifecycle field (lastPurchaseAt, lastRedeemAt). */
  lifecycleMax: Partial<Record<LifecycleMaxField, Date>>;
  /** Counters added to the lifecycle (purchaseCount, totalPurchased, totalRedeemed). */
  lifecycleInc: Partial<Record<LifecycleIncField, number>>;
  /** Latest event time per type. */
  lastAt: Record<string, Date>;
  /** The oldest day key this delta adds a bucket for. */
  oldestBucket?: string;
  /** Acquisition channel: from a `register` event (authoritative) or any event (only if none yet). */
  acquisition?: { channel: string; fromRegister: boolean };
  /** The latest money movement in the batch; applied only if newer than the stored one. */
  money?: { at: Date; fundsRedeemed: boolean };
}

export type LifecycleMinField = 'registeredAt' | 'realNameAt' | 'cardBoundAt' | 'firstPurchaseAt';
export type LifecycleMaxField = 'lastPurchaseAt' | 'lastRedeemAt';
export type LifecycleIncField = 'purchaseCount' | 'totalPurchased' | 'totalRedeemed';

/** Lifecycle milestones set by the earliest event of a type. */
const FIRST_AT: Partial<Record<string, LifecycleMinField>> = {
  register: 'registeredAt',
  real_name_verified: 'realNameAt',
  bank_card_bound: 'cardBoundAt',
  purchase: 'firstPurchaseAt',
};

/** `lastRedeemAt` is the latest time money came back: a redemption or a maturity. */
const LAST_AT: Partial<Record<string, LifecycleMaxField>> = {
  purchase: 'lastPurchaseAt',
  redeem: 'lastRedeemAt',
  mature: 'lastRedeemAt',
};

export interface DeltaOptions {
  /** Platform time zone: events are bucketed by their calendar day here. */
  tz: string;
  /** Events dated before this day key update lifecycle and lastAt but no bucket (retention). */
  oldestRetainedDay: string;
}

/** Groups a batch by user into one delta each, in order of first appearance. */
export function profileDeltas(events: readonly Event[], opts: DeltaOptions): ProfileDelta[] {
  const byUser = new Map<string, ProfileDelta>();
  for (const e of events) {
    let d = byUser.get(e.userId);
    if (!d) {
      d = { userId: e.userId, buckets: {}, lifecycleMin: {}, lifecycleMax: {}, lifecycleInc: {}, lastAt: {} };
      byUser.set(e.userId, d);
    }
    addEvent(d, e, opts);
  }
  for (const d of byUser.values()) roundAmounts(d);
  return [...byUser.values()];
}

function addEvent(d: ProfileDelta, e: Event, opts: DeltaOptions): void {
  const day = dayKey(e.ts, opts.tz);
  if (day >= opts.oldestRetainedDay) addToBucket(d, day, e);
  keepMin(d.lifecycleMin, FIRST_AT[e.type], e.ts);
  keepMax(d.lifecycleMax, LAST_AT[e.type], e.ts);
  keepMax(d.lastAt, e.type, e.ts);
  if (e.type === 'purchase') inc(d.lifecycleInc, 'purchaseCount', 1);
  const direction = moneyDirection(e.type);
  if (direction) {
    inc(d.lifecycleInc, direction === 'in' ? 'totalPurchased' : 'totalRedeemed', e.amount ?? 0);
    // Ties at the same instant: the later event in the batch wins, so a batch reads in order.
    if (!d.money || e.ts >= d.money.at) d.money = { at: e.ts, fundsRedeemed: direction === 'out' };
  }
  if (e.channel) addChannel(d, e.channel, e.type === 'register');
}

function addToBucket(d: ProfileDelta, day: string, e: Event): void {
  const b = (d.buckets[day] ??= {});
  inc((b.n ??= {}), e.type, 1);
  if (e.durationSec !== undefined) {
    b.dwellAll = (b.dwellAll ?? 0) + e.durationSec;
    if (e.type === 'view_product_detail' && e.category) inc((b.dwell ??= {}), e.category, e.durationSec);
  }
  if (e.amount !== undefined) inc((b.amount ??= {}), e.type, e.amount);
  if (!d.oldestBucket || day < d.oldestBucket) d.oldestBucket = day;
}

/** The register event's channel wins; otherwise the earliest event carrying one. */
function addChannel(d: ProfileDelta, channel: string, fromRegister: boolean): void {
  const current = d.acquisition;
  if (!current || (fromRegister && !current.fromRegister)) d.acquisition = { channel, fromRegister };
}

function keepMin<K extends string>(rec: Partial<Record<K, Date>>, key: K | undefined, at: Date): void {
  if (key === undefined) return;
  const cur = rec[key];
  if (!cur || at < cur) rec[key] = at;
}

function keepMax<K extends string>(rec: Partial<Record<K, Date>>, key: K | undefined, at: Date): void {
  if (key === undefined) return;
  const cur = rec[key];
  if (!cur || at > cur) rec[key] = at;
}

function inc<K extends string>(rec: Partial<Record<K, number>>, key: K, by: number): void {
  rec[key] = (rec[key] ?? 0) + by;
}

/** Amounts are yuan with cents: sums within a batch are rounded to cents to shed float noise. */
function roundAmounts(d: ProfileDelta): void {
  const cents = (x: number): number => Math.round(x * 100) / 100;
  for (const k of ['totalPurchased', 'totalRedeemed'] as const) {
    const v = d.lifecycleInc[k];
    if (v !== undefined) d.lifecycleInc[k] = cents(v);
  }
  for (const b of Object.values(d.buckets)) {
    for (const t in b.amount) b.amount[t] = cents(b.amount[t] ?? 0);
  }
}
