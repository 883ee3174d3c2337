import { Schema, type Model } from 'mongoose';
import type { Profile } from '../../domain/profile.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** A profile as stored, with the bookkeeping ingest keeps on it. */
export type StoredProfile = Profile & {
  /** The latest ingest batches applied to this profile (guards against applying one twice). */
  appliedBatches?: string[];
};

/** `profiles`: one per user, `_id` the user id, with day buckets and metrics. Hot path: native. */
export const profileSchema = collectionSchema<StoredProfile>({
  phone: String,
  email: String,
  pushToken: String,
  timezone: String,
  consent: Schema.Types.Mixed,
  attributes: Schema.Types.Mixed,
  buckets: Schema.Types.Mixed,
  metrics: Schema.Types.Mixed,
  /** The day of the oldest bucket: pruning finds profiles with stale buckets by it. */
  oldestBucket: String,
  appliedBatches: [String],
});
profileSchema.index({ oldestBucket: 1 }, { name: 'oldestBucket' });
// Twilio's delivery reports name the recipient's number.
profileSchema.index({ phone: 1 }, { name: 'phone' });

export const profileModel = (db: Db): Model<StoredProfile> => modelOn(db, 'profiles', profileSchema);
