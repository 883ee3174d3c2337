import type { Profile } from '../domain/profile.js';
import type { Filter } from '../rules/fact-types.js';
import type { ScoreDistribution } from '../rules/rank.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { Clock } from './ingest-ports.js';

/** One read of profiles for a sweep. */
export interface ProfileQuery {
  /** A MongoDB filter; undefined reads every profile. */
  filter?: Filter;
  /** The fields to read (`_id` always comes). */
  fields: readonly string[];
  /** Only profiles with `_id` greater than this, in `_id` order (paging). */
  after?: string;
  /** Read in `_id` order. @defaultValue false (natural order) */
  ordered?: boolean;
  /** Profiles per batch. @defaultValue 1000 */
  batchSize?: number;
}

/** Profiles as segment evaluation reads them: streamed in batches, projected. src/store implements it. */
export interface SegmentReader {
  scan(query: ProfileQuery): AsyncIterable<Profile[]>;
  /** One whole profile, or null when the user is unknown. */
  get(userId: string): Promise<Profile | null>;
}

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

/** What the evaluate verb needs. */
export interface EvaluatePorts {
  reader: SegmentReader;
  /** Scoring and segments, checked. */
  rules: RuleSet;
  clock: Clock;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
  /** Recent rank distributions, reused where an evaluation allows it. @defaultValue none */
  ranks?: RankCache;
}
