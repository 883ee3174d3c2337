import { profilesCollection } from './collections.js';
import type { Db } from './connection.js';
import type { ProfileBatch } from '../ports/audience.js';

/**
 * Profiles of a few hundred users at a time: whole for planning (the gates read the day buckets);
 * with `withoutBuckets`, everything but the day buckets, for sending and reconciling, which read
 * consent and contact points only (the buckets are most of a profile's bytes).
 */
export function createProfileBatch(db: Db, opts: { withoutBuckets?: boolean } = {}): ProfileBatch {
  const profiles = profilesCollection(db);
  const projection = opts.withoutBuckets ? { appliedBatches: 0, buckets: 0 } : { appliedBatches: 0 };
  return {
    getMany: (userIds) =>
      userIds.length === 0
        ? Promise.resolve([])
        : profiles.find({ _id: { $in: [...userIds] } }, { projection }).toArray(),
  };
}
