import type { Collection } from 'mongodb';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { grantModel } from './models/grants.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import type { GrantRecord, GrantStore } from '../ports/grant-store.js';

export function grantsCollection(db: Db): Collection<GrantRecord> {
  return nativeDb(db).collection<GrantRecord>(grantModel(db).collection.collectionName);
}

/**
 * The `grants` collection. A grant's `_id` is its delivery's key, so the unique `_id` index is
 * what makes "at most one grant per (campaign, occurrence, user)" hold across workers and crashes.
 */
export function createGrantStore(db: Db): GrantStore {
  const c = grantsCollection(db);
  return {
    async existing(ids) {
      if (ids.length === 0) return new Set();
      const found = await c.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray();
      return new Set(found.map((g) => g._id));
    },
    async issueMany(grants) {
      await bulkWriteExpectingDuplicates(
        c,
        grants.map((document) => ({ insertOne: { document } })),
      );
    },
    async revoke(id, now) {
      await c.updateOne({ _id: id, status: 'issued' }, { $set: { status: 'revoked', revokedAt: now } });
    },
    count: (filter) => c.countDocuments(filter),
  };
}
