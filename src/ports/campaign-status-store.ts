import type { CampaignStatus } from '../domain/campaign.js';

/** Pause and resume, kept in the database: it overrides the status of the campaign file. */
export interface CampaignStatusStore {
  /** The overrides by campaign id. */
  overrides(): Promise<Map<string, CampaignStatus>>;
  set(campaignId: string, status: CampaignStatus, at: Date): Promise<void>;
}
