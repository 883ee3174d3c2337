import type { Collection } from 'mongodb';
import type { CampaignStatus } from '../domain/campaign.js';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import type { CampaignRun, CampaignRunStore } from '../ports/campaign-run-store.js';
import type { CampaignStatusStore } from '../ports/campaign-status-store.js';

export function campaignRunsCollection(db: Db): Collection<CampaignRun> {
  return nativeDb(db).collection<CampaignRun>('campaign_runs');
}

export async function ensureCampaignRunIndexes(db: Db): Promise<void> {
  await campaignRunsCollection(db).createIndex({ campaignId: 1, createdAt: -1 }, { name: 'campaign_createdAt' });
}

/** `campaign_runs`: one document per occurrence, created once whoever plans it first. */
export function createCampaignRunStore(db: Db): CampaignRunStore {
  const c = campaignRunsCollection(db);
  return {
    async open(run, at) {
      const doc: CampaignRun = { ...run, status: 'planning', chunksDone: [], createdAt: at, updatedAt: at };
      await bulkWriteExpectingDuplicates(c, [{ insertOne: { document: doc } }]);
      const stored = await c.findOne({ _id: run._id });
      if (!stored) throw new Error(`campaign run ${run._id} vanished`);
      return stored;
    },
    async planned(id, chunks, matched, at) {
      await c.updateOne({ _id: id }, { $set: { status: 'planned', chunks, matched, updatedAt: at } });
    },
    async chunkDone(id, index, at) {
      await c.updateOne({ _id: id }, { $addToSet: { chunksDone: index }, $set: { updatedAt: at } });
    },
    get: (id) => c.findOne({ _id: id }),
    list: (campaignId, page) =>
      c.find({ campaignId }, { sort: { createdAt: -1 }, skip: page.offset, limit: page.limit }).toArray(),
  };
}

interface StatusDoc {
  _id: string;
  status: CampaignStatus;
  at: Date;
}

/** `campaign_status`: pause and resume, overriding the campaign file's status. */
export function createCampaignStatusStore(db: Db): CampaignStatusStore {
  const c = nativeDb(db).collection<StatusDoc>('campaign_status');
  return {
    async overrides() {
      const docs = await c.find({}).toArray();
      return new Map(docs.map((d) => [d._id, d.status]));
    },
    async set(campaignId, status, at) {
      await c.updateOne({ _id: campaignId }, { $set: { status, at } }, { upsert: true });
    },
  };
}
