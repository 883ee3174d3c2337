import { trusted } from 'mongoose';
import type { ApiKeyRecord } from '../domain/api-key.js';
import type { AuditEntry } from '../domain/audit-entry.js';
import type { AccessPorts } from '../ports/access-ports.js';
import type { ApiKeyStore } from '../ports/api-key-store.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import { nativeOf } from './model-collection.js';
import { apiKeyModel, type ApiKeyDoc as KeyDoc } from './models/api-keys.js';
import { auditEntryModel } from './models/audit-log.js';

function recordOf({ _id, ...rest }: KeyDoc): ApiKeyRecord {
  return { id: _id, ...rest };
}

/** `apiKeys`: one document per key, `_id` its public id; the key itself is never stored, only its hash. */
export function createApiKeyStore(db: Db): ApiKeyStore {
  const keys = apiKeyModel(db);
  return {
    async insert({ id, ...rest }) {
      const document = { _id: id, ...rest };
      const failed = await bulkWriteExpectingDuplicates(nativeOf(db, keys), [{ insertOne: { document } }]);
      return failed.size === 0;
    },
    async get(id) {
      const doc = await keys.findOne({ _id: id }).lean<KeyDoc>();
      return doc ? recordOf(doc) : null;
    },
    async list() {
      return (await keys.find({}).sort({ createdAt: 1, _id: 1 }).lean<KeyDoc[]>()).map(recordOf);
    },
    async revoke(id, at, by) {
      const r = await keys.updateOne(
        { _id: id, revokedAt: trusted({ $exists: false }) },
        { $set: { revokedAt: at, revokedBy: by } },
      );
      return r.matchedCount === 1 || (await keys.countDocuments({ _id: id })) === 1;
    },
  };
}

/** `auditLog`: append-only rows, read newest first. */
export function createAuditLog(db: Db): AuditLog {
  const log = auditEntryModel(db);
  return {
    async record(entry) {
      await log.collection.insertOne({ ...entry });
    },
    async list({ since, limit }) {
      return log
        .find(since ? { at: trusted({ $gte: since }) } : {})
        .sort({ at: -1, _id: -1 })
        .limit(limit)
        .select({ _id: 0 })
        .lean<AuditEntry[]>();
    },
  };
}

/** The access ports over one connection. */
export function createAccessPorts(db: Db, clock: Clock): AccessPorts {
  return { keys: createApiKeyStore(db), audit: createAuditLog(db), clock };
}
