import { CATEGORIES, type Category } from '../domain/event.js';
import { categoryShare, intentScore, type MetricClock } from '../domain/windowed-metrics.js';
import type { Profile } from '../domain/profile.js';
import { weightsInHundredths, type Scoring } from '../domain/intent-scoring.js';
import { dayWindow, inWindow } from '../domain/day.js';
import type { ProfileScan } from '../ports/profile-scan.js';

/** The profile fields the summary reads. */
export const SUMMARY_FIELDS = ['lifecycle', 'acquisitionChannel', 'buckets', 'lastAt'] as const;

export interface PopulationSummaryPorts {
  profiles: ProfileScan;
  scoring: Scoring;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
}

export interface SummaryOptions {
  now: Date;
  /** Intent score above which a user counts as strong intent. @defaultValue 5 */
  strongIntent?: number;
  /** A high-value customer has purchased at least this much, yuan. @defaultValue 100000 */
  highValue?: number;
  /** A high-value customer with no event for this many days is on churn watch. @defaultValue 30 */
  quietDays?: number;
}

/** Upper bounds (inclusive) of the intent score bands; the last band is open. */
export const INTENT_BANDS = [0, 1, 3, 5, 10] as const;

export interface PopulationSummary {
  now: string;
  users: number;
  lifecycle: {
    registered: number;
    realName: number;
    cardBound: number;
    purchased: number;
    newCustomers: number;
    oldCustomers: number;
    fundsRedeemed: number;
  };
  intent: {
    windowDays: number;
    threshold: number;
    /** Users with at least one event in the intent window. */
    active: number;
    strong: number;
    /** Users per band: `[0]` score 0, then (0,1], (1,3], (3,5], (5,10], above 10. */
    bands: number[];
    /**
     * The lowest score with intentPercentile ≥ 0.6 and ≥ 0.8 (share of users strictly below, as
     * rank segments use it), over all users and over active users; null when no score reaches it.
     */
    cutoffs: { all: { p60: number | null; p80: number | null }; active: { p60: number | null; p80: number | null } };
  };
  preference: {
    windowDays: number;
    threshold: number;
    /** Users whose dwell share in a category exceeds the threshold. */
    byCategory: Record<Category, number>;
    /** Users with dwell in the window but no clear preference. */
    none: number;
  };
  channels: Record<string, { users: number; purchased: number }>;
  /** High-value customers with no event in `quietDays`. */
  churnWatch: { highValue: number; quiet: number; minPurchased: number; quietDays: number };
}

/** Counts users by lifecycle, intent, preference and channel, reading each profile once. */
export async function summarizePopulation(
  ports: PopulationSummaryPorts,
  opts: SummaryOptions,
): Promise<PopulationSummary> {
  const acc = new Accumulator(ports.scoring, { now: opts.now, tz: ports.tz }, opts);
  for await (const p of ports.profiles.scanProfiles(SUMMARY_FIELDS)) acc.add(p);
  return acc.result();
}

class Accumulator {
  private readonly weights: ReadonlyMap<string, number>;
  private readonly s: PopulationSummary;
  /** Users per intent score in hundredths (all users / active users): bounded by the score range. */
  private readonly scores = new Map<number, number>();
  private readonly activeScores = new Map<number, number>();
  private readonly quietSince: number;

  constructor(
    private readonly scoring: Scoring,
    private readonly clock: MetricClock,
    private readonly opts: SummaryOptions,
  ) {
    this.weights = weightsInHundredths(scoring);
    this.quietSince = clock.now.getTime() - (opts.quietDays ?? 30) * 86_400_000;
    this.s = {
      now: clock.now.toISOString(),
      users: 0,
      lifecycle: {
        registered: 0,
        realName: 0,
        cardBound: 0,
        purchased: 0,
        newCustomers: 0,
        oldCustomers: 0,
        fundsRedeemed: 0,
      },
      intent: {
        windowDays: scoring.intent.windowDays,
        threshold: opts.strongIntent ?? 5,
        active: 0,
        strong: 0,
        bands: INTENT_BANDS.map(() => 0).concat(0),
        cutoffs: { all: { p60: null, p80: null }, active: { p60: null, p80: null } },
      },
      preference: {
        windowDays: scoring.preference.windowDays,
        threshold: scoring.preference.threshold,
        byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>,
        none: 0,
      },
      channels: {},
      churnWatch: { highValue: 0, quiet: 0, minPurchased: opts.highValue ?? 100_000, quietDays: opts.quietDays ?? 30 },
    };
  }

  add(p: Profile): void {
    this.s.users++;
    this.lifecycle(p);
    this.intent(p);
    this.preference(p);
    const channel = p.acquisitionChannel ?? '(unknown)';
    const c = (this.s.channels[channel] ??= { users: 0, purchased: 0 });
    c.users++;
    if ((p.lifecycle?.purchaseCount ?? 0) > 0) c.purchased++;
  }

  private lifecycle(p: Profile): void {
    const l = p.lifecycle ?? {};
    const s = this.s.lifecycle;
    if (l.registeredAt) s.registered++;
    if (l.realNameAt) s.realName++;
    if (l.cardBoundAt) s.cardBound++;
    if ((l.purchaseCount ?? 0) === 0) {
      s.newCustomers++;
      return;
    }
    s.purchased++;
    s.oldCustomers++;
    if (l.fundsRedeemed) s.fundsRedeemed++;
    if ((l.totalPurchased ?? 0) < this.s.churnWatch.minPurchased) return;
    this.s.churnWatch.highValue++;
    const last = Math.max(0, ...Object.values(p.lastAt ?? {}).map((d) => d.getTime()));
    if (last < this.quietSince) this.s.churnWatch.quiet++;
  }

  private intent(p: Profile): void {
    const days = this.scoring.intent.windowDays;
    const score = Math.round(intentScore(p, days, this.weights, this.clock) * 100);
    bump(this.scores, score);
    const i = this.s.intent;
    const band = INTENT_BANDS.findIndex((upper) => score <= upper * 100);
    i.bands[band === -1 ? INTENT_BANDS.length : band]! += 1;
    if (score > i.threshold * 100) i.strong++;
    if (activeIn(p, dayWindow(this.clock.now, days, this.clock.tz))) {
      i.active++;
      bump(this.activeScores, score);
    }
  }

  private preference(p: Profile): void {
    const pref = this.s.preference;
    let clear = false;
    let any = false;
    for (const c of CATEGORIES) {
      const share = categoryShare(p, c, pref.windowDays, this.clock);
      if (share > 0) any = true;
      if (share > pref.threshold) {
        pref.byCategory[c]++;
        clear = true;
      }
    }
    if (any && !clear) pref.none++;
  }

  result(): PopulationSummary {
    const i = this.s.intent;
    i.cutoffs = {
      all: { p60: cutoff(this.scores, 0.6), p80: cutoff(this.scores, 0.8) },
      active: { p60: cutoff(this.activeScores, 0.6), p80: cutoff(this.activeScores, 0.8) },
    };
    return this.s;
  }
}

function activeIn(p: Profile, w: { first: string; last: string }): boolean {
  for (const key in p.buckets ?? {}) {
    const n = p.buckets?.[key]?.n;
    if (inWindow(key, w) && n && Object.values(n).some((v) => v > 0)) return true;
  }
  return false;
}

function bump(m: Map<number, number>, key: number): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** The lowest score whose share of users strictly below it is at least `p`, in weight units. */
function cutoff(scores: ReadonlyMap<number, number>, p: number): number | null {
  const total = [...scores.values()].reduce((a, b) => a + b, 0);
  let below = 0;
  for (const score of [...scores.keys()].sort((a, b) => a - b)) {
    if (total > 0 && below / total >= p) return score / 100;
    below += scores.get(score) ?? 0;
  }
  return null;
}
