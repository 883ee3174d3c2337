import type { Campaign } from '../domain/campaign.js';
import type { Profile } from '../domain/profile.js';

/** Full profiles of a handful of users (a chunk, a batch of sends). */
export interface ProfileBatch {
  getMany(userIds: readonly string[]): Promise<Profile[]>;
}

/**
 * Who a campaign reaches: segment members that also meet the campaign's conditions, evaluated by
 * the segment sweep (prefilter, then the compiled rules).
 */
export interface Audience {
  /** The audience at `now`, user by user, streamed with flat memory. */
  members(campaign: Campaign, now: Date): AsyncIterable<string>;
  /** Whether one user is in the audience at `now` (a trigger's re-check). */
  includes(campaign: Campaign, profile: Profile, now: Date): Promise<boolean>;
}
