import { dayKey, type DayWindow } from './day.js';
import type { DayBucket, Lifecycle } from './profile.js';
import { isActivity } from './report-outcome.js';

/**
 * The platform funnel: visit (UV) → register → real-name → bind card → first purchase, over a
 * range of calendar days (platform time zone, both ends included).
 *
 * - visit: users active on a day of the range (any event but Tideflow's own outcome events), or
 *   registered in it;
 * - register: users whose registration falls in the range — the cohort;
 * - real-name, bind card, first purchase: members of the cohort who took the step by the end of
 *   the range. Each step is counted on its own (data may skip one), and the step rate divides it
 *   by the step before.
 *
 * investment = UV × register rate × invest rate × average ticket, where invest rate = first
 * purchases / registrations and the average ticket is the mean purchase amount in the range.
 */

export const FUNNEL_STEPS = ['visit', 'register', 'realName', 'cardBound', 'firstPurchase'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export interface FunnelCounts {
  visit: number;
  register: number;
  realName: number;
  cardBound: number;
  firstPurchase: number;
  /** Purchases in the range (any user) and their amount, yuan. */
  purchases: number;
  purchaseAmount: number;
}

export function emptyFunnel(): FunnelCounts {
  return { visit: 0, register: 0, realName: 0, cardBound: 0, firstPurchase: 0, purchases: 0, purchaseAmount: 0 };
}

/** What the funnel reads of a profile: lifecycle, and the day buckets of the range. */
export interface FunnelProfile {
  lifecycle?: Lifecycle | undefined;
  buckets?: Record<string, DayBucket> | undefined;
}

/** Whether a bucket holds any user activity. */
export function activeIn(bucket: DayBucket | undefined): boolean {
  if (!bucket?.n) return false;
  for (const [type, n] of Object.entries(bucket.n)) if (n > 0 && isActivity(type)) return true;
  return false;
}

/** Adds one profile to the counts. */
export function addToFunnel(c: FunnelCounts, p: FunnelProfile, range: DayWindow, tz: string): void {
  const day = (d: Date | undefined): string | undefined => (d ? dayKey(d, tz) : undefined);
  const by = (d: Date | undefined): boolean => {
    const k = day(d);
    return k !== undefined && k <= range.last;
  };
  const lc = p.lifecycle ?? {};
  const reg = day(lc.registeredAt);
  const cohort = reg !== undefined && reg >= range.first && reg <= range.last;
  let active = false;
  for (const [key, b] of Object.entries(p.buckets ?? {})) {
    if (key < range.first || key > range.last) continue;
    if (activeIn(b)) active = true;
    c.purchases += b.n?.purchase ?? 0;
    c.purchaseAmount += b.amount?.purchase ?? 0;
  }
  if (active || cohort) c.visit++;
  if (!cohort) return;
  c.register++;
  if (by(lc.realNameAt)) c.realName++;
  if (by(lc.cardBoundAt)) c.cardBound++;
  if (by(lc.firstPurchaseAt)) c.firstPurchase++;
}

export function addFunnels(a: FunnelCounts, b: FunnelCounts): FunnelCounts {
  const out = emptyFunnel();
  for (const k of Object.keys(out) as (keyof FunnelCounts)[]) out[k] = a[k] + b[k];
  return out;
}

export interface FunnelStats {
  counts: FunnelCounts;
  /** Per step, its count over the previous step's (null for the first step or an empty previous). */
  stepRates: Record<FunnelStep, number | null>;
  /** register / visit. */
  registerRate: number | null;
  /** firstPurchase / register. */
  investRate: number | null;
  /** purchaseAmount / purchases, yuan. */
  averageTicket: number | null;
  /** UV × register rate × invest rate × average ticket, yuan. */
  investment: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function funnelStats(c: FunnelCounts): FunnelStats {
  const stepRates = {} as Record<FunnelStep, number | null>;
  FUNNEL_STEPS.forEach((s, i) => {
    const prev = FUNNEL_STEPS[i - 1];
    stepRates[s] = prev === undefined ? null : ratio(c[s], c[prev]);
  });
  const registerRate = ratio(c.register, c.visit);
  const investRate = ratio(c.firstPurchase, c.register);
  const averageTicket = ratio(c.purchaseAmount, c.purchases);
  return {
    counts: c,
    stepRates,
    registerRate,
    investRate,
    averageTicket,
    investment: c.visit * (registerRate ?? 0) * (investRate ?? 0) * (averageTicket ?? 0),
  };
}

/**
 * An acquisition channel's place in the traffic × quality quadrant (DOMAIN.md), and what to do:
 * high traffic and quality — keep investing; high quality, low traffic — grow carefully; low
 * quality, high traffic — target better; low and low — watch, adjust in small steps.
 */
export const QUADRANTS = {
  'keep-investing': 'high traffic, high quality: keep investing',
  'grow-carefully': 'high quality, low traffic: grow it carefully',
  'target-better': 'high traffic, low quality: target better',
  watch: 'low traffic, low quality: watch and adjust in small steps',
} as const;
export type Quadrant = keyof typeof QUADRANTS;

export function quadrantOf(highTraffic: boolean, highQuality: boolean): Quadrant {
  if (highTraffic) return highQuality ? 'keep-investing' : 'target-better';
  return highQuality ? 'grow-carefully' : 'watch';
}

export interface ChannelPoint {
  channel: string;
  /** Visitors (UV). */
  traffic: number;
  /** Invest rate: first purchases / registrations. */
  quality: number;
  quadrant: Quadrant;
}

/** Where the quadrant splits: the mean visitors per channel, and the invest rate of all channels together. */
export function quadrantSplit(rows: readonly { counts: FunnelCounts }[]): { traffic: number; quality: number } {
  if (rows.length === 0) return { traffic: 0, quality: 0 };
  const total = rows.reduce((s, r) => addFunnels(s, r.counts), emptyFunnel());
  return { traffic: total.visit / rows.length, quality: ratio(total.firstPurchase, total.register) ?? 0 };
}

/**
 * Places each channel: traffic is high at or above the mean visitors per channel, quality at or
 * above the invest rate of all channels together (so "high" means better than the platform).
 */
export function channelQuadrants(rows: readonly { channel: string; counts: FunnelCounts }[]): ChannelPoint[] {
  const split = quadrantSplit(rows);
  return rows.map(({ channel, counts }) => {
    const quality = ratio(counts.firstPurchase, counts.register) ?? 0;
    return {
      channel,
      traffic: counts.visit,
      quality,
      quadrant: quadrantOf(counts.visit >= split.traffic, quality >= split.quality),
    };
  });
}
