import type { ScoreDistribution } from '../rules/rank.js';

/** The intent score distribution of every profile, per window (days). */
export interface RankTable {
  ranks: ReadonlyMap<number, ScoreDistribution>;
  population: number;
}

/**
 * Recent rank tables, for callers that accept percentiles a few minutes old (explanations,
 * event-time checks) instead of reading every profile again. Keyed by the windows and the
 * calendar day of `now`, so a table is never used for another day's windows.
 */
export interface RankCache {
  get(key: string, at: number): RankTable | undefined;
  set(key: string, at: number, table: RankTable): void;
}
