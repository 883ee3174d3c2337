import type { CompiledLeaf } from './compile.js';

/**
 * Rank facts: a profile's percentile is the share of ALL profiles whose score is strictly lower,
 * so tied profiles share one percentile and the top 20% is `>= 0.8`. The population's scores are
 * collected once per sweep, sorted, and each percentile is a binary search.
 */
export class ScoreDistribution {
  private readonly sorted: Float64Array;

  constructor(scores: ArrayLike<number>) {
    this.sorted = Float64Array.from(scores).sort();
  }

  get size(): number {
    return this.sorted.length;
  }

  /** How many scores are strictly lower than `score`. */
  countBelow(score: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as number) < score) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Share (0–1) of the population strictly below `score`; 0 for an empty population. */
  percentile(score: number): number {
    return this.sorted.length === 0 ? 0 : this.countBelow(score) / this.sorted.length;
  }
}

/** The intent windows (days) whose distribution a set of leaves needs. */
export function rankWindows(leaves: Iterable<CompiledLeaf>): number[] {
  const days = new Set<number>();
  for (const l of leaves) if (l.fact.group === 'rank') days.add(l.params.days as number);
  return [...days].sort((a, b) => a - b);
}
