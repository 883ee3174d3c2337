import type { MetricClock } from '../domain/windowed-metrics.js';
import type { Profile } from '../domain/profile.js';
import { weightsInHundredths, type Scoring } from '../domain/intent-scoring.js';
import { windowDays } from '../rules/fact-pushdown.js';

/**
 * rules/segments/old-redeemed-strong-intent-bond.json written by hand, as a programmer who knows
 * the stored profile would: the day keys of both windows and the weights computed once, the
 * checks in the file's order, nothing generic. The limit the compiled evaluator is measured
 * against.
 */
export function oldRedeemedStrongIntentBond(scoring: Scoring, clock: MetricClock): (p: Profile) => boolean {
  const days14 = windowDays(14, clock);
  const days30 = windowDays(30, clock);
  const weights = [...weightsInHundredths(scoring)];
  return (p) => {
    const lc = p.lifecycle;
    if (lc === undefined || !((lc.purchaseCount ?? 0) > 0) || lc.fundsRedeemed !== true) return false;
    const buckets = p.buckets;
    if (buckets === undefined) return false;
    let hundredths = 0;
    for (const day of days14) {
      const n = buckets[day]?.n;
      if (n === undefined) continue;
      for (const [type, w] of weights) hundredths += (n[type] ?? 0) * w;
    }
    if (!(hundredths > 500)) return false;
    let bond = 0;
    let all = 0;
    for (const day of days30) {
      const b = buckets[day];
      if (b === undefined) continue;
      bond += b.dwell?.bond ?? 0;
      all += b.dwellAll ?? 0;
    }
    return all > 0 && bond / all > 0.4;
  };
}
