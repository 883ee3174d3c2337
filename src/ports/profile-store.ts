import type { Profile, ProfileRecord, ProfileUpdate } from '../domain/profile.js';
import type { ProfileDelta } from '../domain/profile-delta.js';

/** Profiles (`profiles`), as ingest and the profile endpoints see them. */
export interface ProfileStore {
  /**
   * Applies one batch's deltas, each at most once per (user, batch) even across crashes and
   * concurrent callers. Returns how many users were updated now versus already before.
   */
  applyDeltas(
    batchId: string,
    deltas: readonly ProfileDelta[],
    now: Date,
  ): Promise<{ updated: number; alreadyApplied: number }>;
  get(userId: string): Promise<Profile | null>;
  /** Creates or updates contact points, consent, topics and attributes; true when created. */
  update(userId: string, update: ProfileUpdate, now: Date): Promise<boolean>;
  /** `update` for many users in one round trip; returns how many were created. */
  updateMany(records: readonly ProfileRecord[], now: Date): Promise<number>;
  /** Removes day buckets before `oldestKept` from every profile; returns how many profiles changed. */
  pruneBuckets(oldestKept: string): Promise<number>;
}
