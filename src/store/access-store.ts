import type { ApiKeyRecord } from '../domain/api-key.js';
import type { AuditEntry } from '../domain/audit-entry.js';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import type { ApiKeyStore } from '../ports/api-key-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { AccessPorts } from '../ports/access-ports.js';

type KeyDoc = Omit<ApiKeyRecord, 'id'> & { _id: string };

function keysCollection(db: Db) {
  return nativeDb(db).collection<KeyDoc>('apiKeys');
}

function auditCollection(db: Db) {
  return nativeDb(db).collection<AuditEntry>('auditLog');
}

export async function ensureAccessIndexes(db: Db): Promise<void> {
  await auditCollection(db).createIndex({ at: -1 }, { name: 'at' });
}

function recordOf({ _id, ...rest }: KeyDoc): ApiKeyRecord {
  return { id: _id, ...rest };
}

/** `apiKeys`: one document per key, `_id` its public id; the key itself is never stored, only its hash. */
export function createApiKeyStore(db: Db): ApiKeyStore {
  const c = keysCollection(db);
  return {
    async insert({ id, ...rest }) {
      const failed = await bulkWriteExpectingDuplicates(c, [{ insertOne: { document: { _id: id, ...rest } } }]);
      return failed.size === 0;
    },
    async get(id) {
      const doc = await c.findOne({ _id: id });
      return doc ? recordOf(doc) : null;
    },
    async list() {
      return (await c.find({}, { sort: { createdAt: 1, _id: 1 } }).toArray()).map(recordOf);
    },
    async revoke(id, at, by) {
      const r = await c.updateOne(
        { _id: id, revokedAt: { $exists: false } },
        { $set: { revokedAt: at, revokedBy: by } },
      );
      return r.matchedCount === 1 || (await c.countDocuments({ _id: id })) === 1;
    },
  };
}

/** `auditLog`: append-only rows, read newest first. */
export function createAuditLog(db: Db): AuditLog {
  const c = auditCollection(db);
  return {
    async record(entry) {
      await c.insertOne({ ...entry });
    },
    async list({ since, limit }) {
      const rows = await c
        .find(since ? { at: { $gte: since } } : {}, { sort: { at: -1, _id: -1 }, limit, projection: { _id: 0 } })
        .toArray();
      return rows as AuditEntry[];
    },
  };
}

/** The access ports over one connection. */
export function createAccessPorts(db: Db, clock: Clock): AccessPorts {
  return { keys: createApiKeyStore(db), audit: createAuditLog(db), clock };
}
