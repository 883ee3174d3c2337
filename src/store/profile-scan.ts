import { profilesCollection } from './collections.js';
import type { Db } from './connection.js';
import type { ProfileScan } from '../ports/profile-scan.js';

/** Profiles per cursor batch: one round trip each, memory bounded by one batch. @defaultValue 1000 */
const BATCH = 1000;

/** Every profile through one cursor, projected to the fields asked for. */
export function createProfileScan(db: Db, batchSize = BATCH): ProfileScan {
  const profiles = profilesCollection(db);
  return {
    scanProfiles(fields) {
      const projection = Object.fromEntries(fields.map((f) => [f, 1]));
      return profiles.find({}, { projection, batchSize });
    },
  };
}
