import { Schema, type Model } from 'mongoose';
import type { Db } from '../connection.js';
import type { StoredEvent } from './events.js';
import { collectionSchema, modelOn } from './model.js';

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

/** `ingest_batches`: batches whose profile updates are not yet written; `_id` is the batch id. */
export const ingestBatchSchema = collectionSchema<JournaledBatch>({
  /** The events as one JSON string (older entries: an array of stored events). */
  events: Schema.Types.Mixed,
  receivedAt: Date,
});

export const ingestBatchModel = (db: Db): Model<JournaledBatch> => modelOn(db, 'ingest_batches', ingestBatchSchema);
