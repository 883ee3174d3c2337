import type { Page } from './delivery-ledger.js';

export type RunKind = 'scheduled' | 'manual' | 'trigger';

/** One occurrence of a campaign: `_id` is `campaign~occurrence`. */
export interface CampaignRun {
  _id: string;
  campaignId: string;
  occurrence: string;
  kind: RunKind;
  /** The instant the audience was evaluated at. */
  now: Date;
  status: 'planning' | 'planned';
  /** Audience chunks, once planning finished. */
  chunks?: number;
  chunksDone: number[];
  /** Users the sweep matched, once planning finished. */
  matched?: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CampaignRunStore {
  /** Creates the run unless it exists; returns the stored one. */
  open(run: Pick<CampaignRun, '_id' | 'campaignId' | 'occurrence' | 'kind' | 'now'>, at: Date): Promise<CampaignRun>;
  /** Planning finished: `chunks` chunks hold `matched` users. */
  planned(id: string, chunks: number, matched: number, at: Date): Promise<void>;
  chunkDone(id: string, index: number, at: Date): Promise<void>;
  get(id: string): Promise<CampaignRun | null>;
  list(campaignId: string, page: Page): Promise<CampaignRun[]>;
}
