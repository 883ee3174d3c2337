import { addDays, dayKey, type DayWindow } from './day.js';
import { activeIn } from './funnel.js';
import type { DayBucket, Lifecycle, Profile } from './profile.js';

/**
 * Engagement over a range of calendar days (platform time zone):
 * - daily active users (DAU) per day of the range; a user is active on a day with any event but
 *   Tideflow's own outcome events;
 * - MAU: users active on any of the 30 days ending with the range's last day; DAU/MAU is the mean
 *   DAU over those 30 days divided by MAU (how many days a month an active user comes back);
 * - 7-day retention: of users who registered in the range at least 7 days before its end, the
 *   share active again on any of the 7 days after their registration day;
 * - push reach: the share of users a push can reach (a device token and push consent), and of
 *   pushes sent, the share the gateway reported delivered (added from the ledger).
 */

export const MAU_DAYS = 30;
export const RETENTION_DAYS = 7;

export interface EngagementCounts {
  /** Active users per day, for the MAU window and the range. */
  active: Record<string, number>;
  mau: number;
  cohort: number;
  retained: number;
  users: number;
  pushReachable: number;
}

export function emptyEngagement(): EngagementCounts {
  return { active: {}, mau: 0, cohort: 0, retained: 0, users: 0, pushReachable: 0 };
}

/** The days engagement reads: from the earlier of the range start and the MAU window's to the range end. */
export function engagementDays(range: DayWindow): DayWindow {
  const mauFirst = addDays(range.last, -(MAU_DAYS - 1));
  return { first: mauFirst < range.first ? mauFirst : range.first, last: range.last };
}

export interface EngagementProfile {
  lifecycle?: Lifecycle | undefined;
  buckets?: Record<string, DayBucket> | undefined;
  pushToken?: string | undefined;
  consent?: Profile['consent'];
}

export function addToEngagement(c: EngagementCounts, p: EngagementProfile, range: DayWindow, tz: string): void {
  c.users++;
  if (p.pushToken && p.consent?.push?.granted) c.pushReachable++;
  const mauFirst = addDays(range.last, -(MAU_DAYS - 1));
  const activeDays: string[] = [];
  for (const [key, b] of Object.entries(p.buckets ?? {})) if (activeIn(b)) activeDays.push(key);
  let monthly = false;
  for (const key of activeDays) {
    if (key > range.last) continue;
    if (key >= range.first || key >= mauFirst) c.active[key] = (c.active[key] ?? 0) + 1;
    if (key >= mauFirst) monthly = true;
  }
  if (monthly) c.mau++;
  const reg = p.lifecycle?.registeredAt ? dayKey(p.lifecycle.registeredAt, tz) : undefined;
  if (reg === undefined || reg < range.first || addDays(reg, RETENTION_DAYS) > range.last) return;
  c.cohort++;
  const until = addDays(reg, RETENTION_DAYS);
  if (activeDays.some((k) => k > reg && k <= until)) c.retained++;
}

export interface EngagementStats {
  daily: { day: string; active: number }[];
  /** Active users on the range's last day. */
  dau: number;
  mau: number;
  /** Mean DAU over the MAU window / MAU. */
  dauMau: number | null;
  retention7: { cohort: number; retained: number; rate: number | null };
  push: { users: number; reachable: number; reachRate: number | null };
}

export function engagementStats(c: EngagementCounts, range: DayWindow): EngagementStats {
  const daily: { day: string; active: number }[] = [];
  for (let d = range.first; d <= range.last; d = addDays(d, 1)) daily.push({ day: d, active: c.active[d] ?? 0 });
  let monthTotal = 0;
  for (let i = 0; i < MAU_DAYS; i++) monthTotal += c.active[addDays(range.last, -i)] ?? 0;
  return {
    daily,
    dau: c.active[range.last] ?? 0,
    mau: c.mau,
    dauMau: c.mau > 0 ? monthTotal / MAU_DAYS / c.mau : null,
    retention7: { cohort: c.cohort, retained: c.retained, rate: c.cohort > 0 ? c.retained / c.cohort : null },
    push: { users: c.users, reachable: c.pushReachable, reachRate: c.users > 0 ? c.pushReachable / c.users : null },
  };
}
