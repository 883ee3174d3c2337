import type { Model } from 'mongoose';
import type { CampaignStatus } from '../../domain/campaign.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** A pause or resume overriding the campaign file's status; `_id` the campaign id. */
export interface CampaignStatusDoc {
  _id: string;
  status: CampaignStatus;
  at: Date;
}

export const campaignStatusSchema = collectionSchema<CampaignStatusDoc>({
  status: { type: String, required: true },
  at: { type: Date, required: true },
});

export const campaignStatusModel = (db: Db): Model<CampaignStatusDoc> =>
  modelOn(db, 'campaign_status', campaignStatusSchema);
