import type { RuleSet } from '../rules/rule-set.js';
import type { SegmentReader } from './segment-reader.js';
import type { RankCache } from './rank-cache.js';
import type { Clock } from './clock.js';

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
