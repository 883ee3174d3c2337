import type { Event } from '../domain/event.js';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { eventStatsModel } from './models/event-stats.js';

/**
 * The newest event time ingest has stored and the latest ingest time, kept in one small document
 * (`event_stats`, `_id: newest`) raised with `$max` at every batch: reading it is one lookup by
 * `_id`, where finding the newest event itself would scan `events` on a server without secondary
 * indexes.
 */
export interface IngestMarker {
  /** The newest `ts` of any stored event. */
  newestEvent: Date;
  /** When the latest batch was received: ingest keeps no buckets older than `retentionDays` before it. */
  lastIngestAt: Date;
}

interface MarkerDoc extends IngestMarker {
  _id: string;
}

const ID = 'newest';

function stats(db: Db) {
  return nativeDb(db).collection<MarkerDoc>(eventStatsModel(db).collection.collectionName);
}

/** Raises the marker to the newest `ts` of `events` and to `receivedAt` (a replayed batch changes nothing). */
export async function markNewestEvent(db: Db, events: readonly Pick<Event, 'ts'>[], receivedAt: Date): Promise<void> {
  let newest: Date | undefined;
  for (const e of events) if (!newest || e.ts > newest) newest = e.ts;
  if (newest)
    await stats(db).updateOne(
      { _id: ID },
      { $max: { newestEvent: newest, lastIngestAt: receivedAt } },
      { upsert: true },
    );
}

/** The marker, or undefined when none is recorded (no events, or all stored before the marker existed). */
export async function readIngestMarker(db: Db): Promise<IngestMarker | undefined> {
  const doc = await stats(db).findOne({ _id: ID });
  return doc ? { newestEvent: doc.newestEvent, lastIngestAt: doc.lastIngestAt } : undefined;
}
