import type { Db } from './connection.js';
import { eventsCollection, profilesCollection } from './collections.js';

/**
 * Creates every index Tideflow's queries rely on. Idempotent; the composition root calls it once
 * at startup (mongoose autoIndex is off so that index creation happens in this one place).
 */
export async function ensureIndexes(db: Db): Promise<void> {
  const events = eventsCollection(db);
  await events.createIndex({ userId: 1, ts: 1 }, { name: 'userId_ts' });
  // Crash recovery finds pending batches, and marking a batch applied finds its events.
  await events.createIndex({ applied: 1, batch: 1 }, { name: 'applied_batch' });
  // Pruning finds profiles with stale buckets without scanning the others.
  await profilesCollection(db).createIndex({ oldestBucket: 1 }, { name: 'oldestBucket' });
}
