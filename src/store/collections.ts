import type { Collection, Db as NativeDb } from 'mongodb';
import type { Event } from '../domain/event.js';
import type { Profile } from '../domain/profile.js';
import type { Db } from './connection.js';

/** An event as stored in `events`: `_id` is the client's event id. */
export type StoredEvent = Omit<Event, 'id'> & {
  _id: string;
  /** The ingest batch that stored it. */
  batch: string;
  receivedAt: Date;
};

/**
 * A batch whose profile updates are not yet written (`ingest_batches`), with its events as one
 * JSON string: a server stores and removes an opaque string far more cheaply than a thousand
 * subdocuments. Entries written before that hold an array of stored events.
 */
export interface JournaledBatch {
  _id: string;
  events: string | StoredEvent[];
  receivedAt: Date;
}

/** A profile as stored, with the bookkeeping ingest keeps on it. */
export type StoredProfile = Profile & {
  /** The latest ingest batches applied to this profile (guards against applying one twice). */
  appliedBatches?: string[];
};

/** The native driver database behind the connection (opened by openDatabase). */
export function nativeDb(db: Db): NativeDb {
  if (!db.db) throw new Error('database connection is not open');
  return db.db;
}

export function eventsCollection(db: Db): Collection<StoredEvent> {
  return nativeDb(db).collection<StoredEvent>('events');
}

export function batchJournal(db: Db): Collection<JournaledBatch> {
  return nativeDb(db).collection<JournaledBatch>('ingest_batches');
}

export function profilesCollection(db: Db): Collection<StoredProfile> {
  return nativeDb(db).collection<StoredProfile>('profiles');
}
