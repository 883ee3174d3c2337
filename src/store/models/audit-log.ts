import { Schema, type Model } from 'mongoose';
import type { AuditEntry } from '../../domain/audit-entry.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** `auditLog`: append-only rows with generated ObjectIds, read newest first. */
export const auditEntrySchema = collectionSchema<AuditEntry>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    target: String,
    detail: Schema.Types.Mixed,
  },
  { idType: 'objectId' },
);
auditEntrySchema.index({ at: -1 }, { name: 'at' });

export const auditEntryModel = (db: Db): Model<AuditEntry> => modelOn(db, 'auditLog', auditEntrySchema);
