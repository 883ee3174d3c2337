import type { DayBucket } from '../domain/profile.js';
import { batchJournal, eventsCollection, nativeDb } from '../store/collections.js';
import type { Db } from '../store/connection.js';
import { expectedCounts, type LoadShape } from './load-client.js';

/** Whether an ingest run arrived whole: what the database holds against what its client sent. */

/** Events per type per user as the profiles count them (all day buckets summed). */
async function storedCounts(db: Db, run: string): Promise<Map<string, Record<string, number>>> {
  const rows = await nativeDb(db)
    .collection<{ _id: string; buckets?: Record<string, DayBucket> }>('profiles')
    .find({ _id: { $regex: `^${run}-u` } }, { projection: { buckets: 1 } })
    .toArray();
  const counts = new Map<string, Record<string, number>>();
  for (const p of rows) {
    const c: Record<string, number> = {};
    for (const b of Object.values(p.buckets ?? {}))
      for (const [t, n] of Object.entries(b.n ?? {})) c[t] = (c[t] ?? 0) + n;
    counts.set(p._id, c);
  }
  return counts;
}

export interface IngestTally {
  events: number;
  pendingBatches: number;
  /** Users whose profile counters differ from what the client sent: `user: stored vs sent`. */
  miscounted: string[];
}

/** What the database holds of an ingest run against what its client sent. */
export async function checkIngest(db: Db, shape: LoadShape, batches: number): Promise<IngestTally> {
  const [events, pendingBatches, stored] = await Promise.all([
    eventsCollection(db).countDocuments({ _id: { $regex: `^${shape.run}-\\d+$` } }),
    batchJournal(db).countDocuments({}),
    storedCounts(db, shape.run),
  ]);
  const miscounted: string[] = [];
  for (const [user, sent] of expectedCounts(shape, batches)) {
    const got = stored.get(user) ?? {};
    if (JSON.stringify(sorted(got)) !== JSON.stringify(sorted(sent)))
      miscounted.push(`${user}: ${JSON.stringify(got)} vs ${JSON.stringify(sent)}`);
  }
  return { events, pendingBatches, miscounted };
}

function sorted(o: Record<string, number>): [string, number][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}
