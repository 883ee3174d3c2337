import type { Collection, Db as NativeDb, Document } from 'mongodb';
import type { Db } from '../../src/store/connection.js';

/** The driver-level database under a mongoose connection (the store layer uses both). */
export function native(db: Db): NativeDb {
  if (!db.db) throw new Error('connection is not open');
  return db.db;
}

/** A collection whose documents use string `_id`s, as Tideflow's collections do. */
export function coll<T extends Document = Document>(db: Db, name: string): Collection<T & { _id: string }> {
  return native(db).collection<T & { _id: string }>(name);
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected the operation to fail');
}
