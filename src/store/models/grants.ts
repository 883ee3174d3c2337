import { Schema, type Model } from 'mongoose';
import type { GrantRecord } from '../../ports/grant-store.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** `grants`: incentives issued, `_id` the delivery's key (at most one grant per delivery). */
export const grantSchema = collectionSchema<GrantRecord>({
  campaignId: { type: String, required: true },
  occurrence: { type: String, required: true },
  userId: { type: String, required: true },
  grant: Schema.Types.Mixed,
  status: { type: String, enum: ['issued', 'revoked'] },
  issuedAt: Date,
  revokedAt: Date,
});
grantSchema.index({ userId: 1, issuedAt: 1 }, { name: 'userId_issuedAt' });
grantSchema.index({ campaignId: 1, occurrence: 1 }, { name: 'campaign_occurrence' });

export const grantModel = (db: Db): Model<GrantRecord> => modelOn(db, 'grants', grantSchema);
