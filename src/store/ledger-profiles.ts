import type { ProfileBatch } from '../pipeline/run-ports.js';
import { profilesCollection } from './collections.js';
import type { Db } from './connection.js';

/** Whole profiles of a few hundred users at a time: what planning and sending read. */
export function createProfileBatch(db: Db): ProfileBatch {
  const profiles = profilesCollection(db);
  return {
    getMany: (userIds) => (userIds.length === 0 ? Promise.resolve([]) : profiles.find({ _id: { $in: [...userIds] } }, { projection: { appliedBatches: 0 } }).toArray()),
  };
}
