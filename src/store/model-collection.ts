import type { Collection, Document } from 'mongodb';
import type { Model } from 'mongoose';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';

/** The driver collection behind a model: for writes that expect duplicate keys (bulkWriteExpectingDuplicates). */
export function nativeOf<T extends Document>(db: Db, model: Model<T>): Collection<T> {
  return nativeDb(db).collection<T>(model.collection.collectionName);
}
