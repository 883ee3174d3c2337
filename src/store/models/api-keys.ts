import type { Model } from 'mongoose';
import type { ApiKeyRecord } from '../../domain/api-key.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** An API key as stored: `_id` its public id; the key itself is never stored, only its hash. */
export type ApiKeyDoc = Omit<ApiKeyRecord, 'id'> & { _id: string };

export const apiKeySchema = collectionSchema<ApiKeyDoc>({
  role: { type: String, required: true },
  name: String,
  hash: { type: String, required: true },
  createdAt: { type: Date, required: true },
  createdBy: { type: String, required: true },
  revokedAt: Date,
  revokedBy: String,
});

export const apiKeyModel = (db: Db): Model<ApiKeyDoc> => modelOn(db, 'apiKeys', apiKeySchema);
