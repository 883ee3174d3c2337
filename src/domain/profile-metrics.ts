import { CATEGORIES, type Category } from './event.js';
import {
  categoryShare,
  daysSince,
  eventCount,
  intentScore,
  preferredCategory,
  type MetricClock,
} from './windowed-metrics.js';
import { hasPurchased, type Profile } from './profile.js';
import { weightsInHundredths, type Scoring } from './intent-scoring.js';

/** A profile's metrics at one instant, as `GET /v1/profiles/:userId` and `tideflow profile` show them. */
export interface ProfileMetrics {
  now: string;
  tz: string;
  /** intentScore over the scoring window (`intent.windowDays`). */
  intentScore: number;
  intentWindowDays: number;
  /** Dwell share per category over the preference window (`preference.windowDays`). */
  categoryShare: Record<Category, number>;
  preferenceWindowDays: number;
  /** The category whose share exceeds `preference.threshold`, or null. */
  preferredCategory: Category | null;
  hasPurchased: boolean;
  isNewCustomer: boolean;
  /** The latest money movement returned money (redeem or mature). */
  fundsRedeemed: boolean;
  /** Events per type over the scoring window (types with none are left out). */
  eventCount: Record<string, number>;
  /** Calendar days since the latest event of each type seen (null: none on or before today). */
  daysSince: Record<string, number | null>;
}

/** Types whose `daysSince` is always reported, even when the user has none. */
const ALWAYS_DAYS_SINCE = ['purchase', 'redeem', 'mature'];

/** Every metric of `p` at `clock.now`. Pure. */
export function profileMetrics(p: Profile, scoring: Scoring, clock: MetricClock): ProfileMetrics {
  const intentDays = scoring.intent.windowDays;
  const prefDays = scoring.preference.windowDays;
  const share = Object.fromEntries(CATEGORIES.map((c) => [c, categoryShare(p, c, prefDays, clock)])) as Record<
    Category,
    number
  >;
  const types = new Set([...ALWAYS_DAYS_SINCE, ...Object.keys(p.lastAt ?? {})]);
  for (const b of Object.values(p.buckets ?? {})) for (const t in b.n) types.add(t);
  const counts: Record<string, number> = {};
  const since: Record<string, number | null> = {};
  for (const t of [...types].sort()) {
    const n = eventCount(p, t, intentDays, clock);
    if (n > 0) counts[t] = n;
    since[t] = daysSince(p, t, clock);
  }
  const purchased = hasPurchased(p);
  return {
    now: clock.now.toISOString(),
    tz: clock.tz,
    intentScore: intentScore(p, intentDays, weightsInHundredths(scoring), clock),
    intentWindowDays: intentDays,
    categoryShare: share,
    preferenceWindowDays: prefDays,
    preferredCategory:
      (preferredCategory(p, CATEGORIES, prefDays, scoring.preference.threshold, clock) as Category | undefined) ?? null,
    hasPurchased: purchased,
    isNewCustomer: !purchased,
    fundsRedeemed: p.lifecycle?.fundsRedeemed ?? false,
    eventCount: counts,
    daysSince: since,
  };
}
