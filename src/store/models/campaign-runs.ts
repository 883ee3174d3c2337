import type { Model } from 'mongoose';
import type { CampaignRun } from '../../ports/campaign-run-store.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** `campaign_runs`: one per occurrence, `_id` `<campaign>~<occurrence>`. */
export const campaignRunSchema = collectionSchema<CampaignRun>({
  campaignId: { type: String, required: true },
  occurrence: { type: String, required: true },
  kind: { type: String, enum: ['scheduled', 'manual', 'trigger'], required: true },
  now: { type: Date, required: true },
  status: { type: String, enum: ['planning', 'planned'], required: true },
  chunks: Number,
  chunksDone: [Number],
  matched: Number,
  createdAt: Date,
  updatedAt: Date,
});
campaignRunSchema.index({ campaignId: 1, createdAt: -1 }, { name: 'campaign_createdAt' });

export const campaignRunModel = (db: Db): Model<CampaignRun> => modelOn(db, 'campaign_runs', campaignRunSchema);
