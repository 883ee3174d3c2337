/**
 * What a campaign added over its holdout, with the uncertainty of the estimate.
 *
 * Method. Each group's conversion rate gets a Wilson score interval; the interval of the
 * difference of the two rates is Newcombe's hybrid score interval (Newcombe 1998, "Interval
 * estimation for the difference between independent proportions", method 10). Unlike the Wald
 * interval (p₁ − p₂ ± z·√(p₁q₁/n₁ + p₂q₂/n₂)) it stays inside [−1, 1] and keeps its coverage
 * when a rate is near 0 — the usual case here, where conversion is a few percent and holdouts
 * hold a few hundred users. The relative lift (p₁ / p₂ − 1) gets the Katz log interval of the
 * ratio, which needs a conversion in each group; without one it is null.
 */

/** The normal quantile of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** Users in a group and how many of them met the goal; `amount` is what they invested, yuan. */
export interface GroupOutcome {
  users: number;
  converted: number;
  amount?: number;
}

export interface Interval {
  low: number;
  high: number;
}

export interface Lift {
  /** Conversion rate of the group that was to be contacted. */
  treatedRate: number;
  holdoutRate: number;
  /** treatedRate − holdoutRate; null when not measured (see `notMeasured`). */
  absolute: number | null;
  /** Why there is no lift: a group is empty, so nothing was compared. null when measured. */
  notMeasured: string | null;
  /** 95% interval of `absolute` (Newcombe hybrid score); null when a group is empty. */
  absoluteInterval: Interval | null;
  /** treatedRate / holdoutRate − 1; null when the holdout converted no one. */
  relative: number | null;
  /** 95% Katz log interval of `relative`; null without a conversion in both groups. */
  relativeInterval: Interval | null;
  /** Conversions the contact added: `absolute` × treated users (negative when it cost conversions); null when not measured. */
  incrementalConversions: number | null;
  /**
   * Amount invested the contact added, yuan: (treated amount per user − holdout amount per user) ×
   * treated users; null when not measured.
   */
  incrementalAmount: number | null;
}

/** Why two groups cannot be compared, or null when they can. */
export function notMeasuredReason(treated: GroupOutcome, holdout: GroupOutcome): string | null {
  if (treated.users > 0 && holdout.users > 0) return null;
  if (treated.users > 0) return 'the holdout is empty: no user was held out to compare with';
  if (holdout.users > 0) return 'no user was set out to be contacted';
  return 'no user took part';
}

/** A rate, 0 for an empty group. */
export function rate(converted: number, users: number): number {
  return users > 0 ? converted / users : 0;
}

/** Wilson score interval of `converted` out of `users` (no continuity correction). */
export function wilson(converted: number, users: number, z = Z95): Interval {
  if (users <= 0) return { low: 0, high: 1 };
  const p = converted / users;
  const z2 = z * z;
  const denom = 1 + z2 / users;
  const centre = (p + z2 / (2 * users)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / users + z2 / (4 * users * users));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval of p₁ − p₂; null when either group is empty. */
export function differenceInterval(a: GroupOutcome, b: GroupOutcome, z = Z95): Interval | null {
  if (a.users <= 0 || b.users <= 0) return null;
  const p1 = a.converted / a.users;
  const p2 = b.converted / b.users;
  const w1 = wilson(a.converted, a.users, z);
  const w2 = wilson(b.converted, b.users, z);
  const d = p1 - p2;
  return {
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/** Katz log interval of p₁ / p₂ − 1; null unless both groups have a conversion. */
export function relativeInterval(a: GroupOutcome, b: GroupOutcome, z = Z95): Interval | null {
  if (a.converted <= 0 || b.converted <= 0 || a.users <= 0 || b.users <= 0) return null;
  const ratio = a.converted / a.users / (b.converted / b.users);
  const se = Math.sqrt(1 / a.converted - 1 / a.users + 1 / b.converted - 1 / b.users);
  return { low: ratio * Math.exp(-z * se) - 1, high: ratio * Math.exp(z * se) - 1 };
}

/** The lift of `treated` (users the campaign meant to contact) over `holdout`. */
export function lift(treated: GroupOutcome, holdout: GroupOutcome): Lift {
  const treatedRate = rate(treated.converted, treated.users);
  const holdoutRate = rate(holdout.converted, holdout.users);
  const notMeasured = notMeasuredReason(treated, holdout);
  const absolute = notMeasured === null ? treatedRate - holdoutRate : null;
  const perUser = (g: GroupOutcome): number => (g.users > 0 ? (g.amount ?? 0) / g.users : 0);
  return {
    treatedRate,
    holdoutRate,
    absolute,
    notMeasured,
    absoluteInterval: differenceInterval(treated, holdout),
    relative: holdoutRate > 0 ? treatedRate / holdoutRate - 1 : null,
    relativeInterval: relativeInterval(treated, holdout),
    incrementalConversions: absolute === null ? null : absolute * treated.users,
    incrementalAmount: absolute === null ? null : (perUser(treated) - perUser(holdout)) * treated.users,
  };
}

/**
 * What the campaign cost and what that bought, on two bases:
 * - cost: what the campaign committed — its messages plus the face cost of every incentive it
 *   granted (what its budget is charged). The basis for comparing campaigns: a red packet sent to
 *   someone who would not use it still ties up budget and trains users to wait for the next one.
 * - cash: what was paid out — messages plus the incentives actually redeemed.
 */
export interface Efficiency {
  /** Messages plus incentives granted, yuan. */
  cost: number;
  /** Messages plus incentives redeemed, yuan. */
  cash: number;
  /** cost / incremental conversions; null when the campaign added none, was not measured, or cost nothing. */
  costPerIncrementalConversion: number | null;
  /** cash / incremental conversions; null when the campaign added none (or paid nothing). */
  cashPerIncrementalConversion: number | null;
  /**
   * Incremental amount invested per yuan of cost (return on spend measured in money brought onto
   * the platform); null when nothing was spent or the lift was not measured.
   */
  roi: number | null;
}

export function efficiency(
  cost: number,
  cash: number,
  l: Pick<Lift, 'incrementalConversions' | 'incrementalAmount'>,
): Efficiency {
  const added = l.incrementalConversions;
  const per = (yuan: number): number | null => (added !== null && added > 0 && yuan > 0 ? yuan / added : null);
  return {
    cost,
    cash,
    costPerIncrementalConversion: per(cost),
    cashPerIncrementalConversion: per(cash),
    roi: cost > 0 && l.incrementalAmount !== null ? l.incrementalAmount / cost : null,
  };
}
