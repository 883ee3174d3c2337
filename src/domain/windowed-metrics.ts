import { addDays, dayKey, daysBetween, dayWindow, inWindow } from './day.js';
import type { DayBucket, Profile } from './profile.js';

/**
 * Windowed metrics: pure functions of a profile's day buckets and `now`.
 *
 * A window of N days is the N calendar days ending with the day of `now` in the platform time
 * zone: every event dated on those days counts (the whole of `now`'s day included); events dated
 * on later days never count.
 */
export interface MetricClock {
  now: Date;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
}

function eachBucket(p: Profile, days: number, clock: MetricClock, visit: (b: DayBucket) => void): void {
  const buckets = p.buckets;
  if (!buckets) return;
  const w = dayWindow(clock.now, days, clock.tz);
  for (const key in buckets) {
    if (inWindow(key, w)) {
      const b = buckets[key];
      if (b) visit(b);
    }
  }
}

/**
 * Σ weight(type) × count(type) over the window. `weights` are integer hundredths (see
 * weightsInHundredths) so the sum is exact whatever the order; the result is in weight units.
 */
export function intentScore(
  p: Profile,
  days: number,
  weights: ReadonlyMap<string, number>,
  clock: MetricClock,
): number {
  let hundredths = 0;
  eachBucket(p, days, clock, (b) => {
    if (!b.n) return;
    for (const type in b.n) hundredths += (weights.get(type) ?? 0) * (b.n[type] ?? 0);
  });
  return hundredths / 100;
}

/** Dwell seconds of `view_product_detail` in `category` ÷ dwell seconds of all events (0 when none). */
export function categoryShare(p: Profile, category: string, days: number, clock: MetricClock): number {
  let inCategory = 0;
  let all = 0;
  eachBucket(p, days, clock, (b) => {
    inCategory += b.dwell?.[category] ?? 0;
    all += b.dwellAll ?? 0;
  });
  return all > 0 ? inCategory / all : 0;
}

/** Number of events of `type` in the window. */
export function eventCount(p: Profile, type: string, days: number, clock: MetricClock): number {
  let n = 0;
  eachBucket(p, days, clock, (b) => {
    n += b.n?.[type] ?? 0;
  });
  return n;
}

/** Sum of `amount` over events of `type` in the window (yuan). */
export function amountSum(p: Profile, type: string, days: number, clock: MetricClock): number {
  let cents = 0;
  eachBucket(p, days, clock, (b) => {
    cents += Math.round((b.amount?.[type] ?? 0) * 100);
  });
  return cents / 100;
}

/**
 * Calendar days from the latest event of `type` on or before `now`'s day to `now`'s day (0 = today);
 * null when there is none. Looks in the buckets first, then in `lastAt`, which outlives them.
 */
export function daysSince(p: Profile, type: string, clock: MetricClock): number | null {
  const today = dayKey(clock.now, clock.tz);
  let latest: string | undefined;
  for (const key in p.buckets ?? {}) {
    if (key <= today && (p.buckets?.[key]?.n?.[type] ?? 0) > 0 && (!latest || key > latest)) latest = key;
  }
  if (!latest) {
    const at = p.lastAt?.[type];
    if (at && dayKey(at, clock.tz) <= today) latest = dayKey(at, clock.tz);
  }
  return latest === undefined ? null : daysBetween(latest, today);
}

/** The category with the largest dwell share in the window, when that share exceeds `threshold`. */
export function preferredCategory(
  p: Profile,
  categories: readonly string[],
  days: number,
  threshold: number,
  clock: MetricClock,
): string | undefined {
  let best: string | undefined;
  let bestShare = threshold;
  for (const c of categories) {
    const share = categoryShare(p, c, days, clock);
    if (share > bestShare) {
      best = c;
      bestShare = share;
    }
  }
  return best;
}

/** The oldest day key still kept when buckets are retained for `retentionDays`. */
export function oldestRetainedDay(now: Date, retentionDays: number, tz: string): string {
  return addDays(dayKey(now, tz), -(retentionDays - 1));
}

/** The bucket keys before `oldestKept`, and the oldest key that stays (undefined when none). */
export function staleBuckets(
  buckets: Record<string, DayBucket>,
  oldestKept: string,
): { stale: string[]; oldest?: string } {
  const stale: string[] = [];
  let oldest: string | undefined;
  for (const key of Object.keys(buckets)) {
    if (key < oldestKept) stale.push(key);
    else if (oldest === undefined || key < oldest) oldest = key;
  }
  return oldest === undefined ? { stale } : { stale, oldest };
}
