import type { Db } from './connection.js';
import { eventsCollection, profilesCollection } from './collections.js';
import { ensureContactCapIndexes } from './contact-caps.js';

/**
 * Creates every index Tideflow's queries rely on. Idempotent; the composition root calls it once
 * at startup (mongoose autoIndex is off so that index creation happens in this one place).
 */
export async function ensureIndexes(db: Db): Promise<void> {
  await eventsCollection(db).createIndex({ userId: 1, ts: 1 }, { name: 'userId_ts' });
  // Pruning finds profiles with stale buckets without scanning the others.
  await profilesCollection(db).createIndex({ oldestBucket: 1 }, { name: 'oldestBucket' });
  await ensureContactCapIndexes(db);
}
