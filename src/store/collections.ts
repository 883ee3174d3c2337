import type { Collection, Db as NativeDb } from 'mongodb';
import type { Db } from './connection.js';
import { eventModel, type StoredEvent } from './models/events.js';
import { ingestBatchModel, type JournaledBatch } from './models/ingest-batches.js';
import { profileModel, type StoredProfile } from './models/profiles.js';

export type { StoredEvent } from './models/events.js';
export type { JournaledBatch } from './models/ingest-batches.js';
export type { StoredProfile } from './models/profiles.js';

/**
 * The native driver database behind the connection (opened by openDatabase). The hot paths below
 * use their models' collections through it: no casting or sanitizing on bulk reads and writes.
 */
export function nativeDb(db: Db): NativeDb {
  if (!db.db) throw new Error('database connection is not open');
  return db.db;
}

export function eventsCollection(db: Db): Collection<StoredEvent> {
  return nativeDb(db).collection<StoredEvent>(eventModel(db).collection.collectionName);
}

export function batchJournal(db: Db): Collection<JournaledBatch> {
  return nativeDb(db).collection<JournaledBatch>(ingestBatchModel(db).collection.collectionName);
}

export function profilesCollection(db: Db): Collection<StoredProfile> {
  return nativeDb(db).collection<StoredProfile>(profileModel(db).collection.collectionName);
}
