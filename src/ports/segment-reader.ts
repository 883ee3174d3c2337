import type { Profile } from '../domain/profile.js';
import type { Filter } from '../rules/fact-types.js';

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
