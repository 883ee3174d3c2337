import type { CampaignRun, CampaignRunStore } from '../ports/campaign-run-store.js';
import type { CampaignStatusStore } from '../ports/campaign-status-store.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import { nativeOf } from './model-collection.js';
import { campaignRunModel } from './models/campaign-runs.js';
import { campaignStatusModel, type CampaignStatusDoc } from './models/campaign-status.js';

/** `campaign_runs`: one document per occurrence, created once whoever plans it first. */
export function createCampaignRunStore(db: Db): CampaignRunStore {
  const runs = campaignRunModel(db);
  const get = (id: string): Promise<CampaignRun | null> => runs.findOne({ _id: id }).lean<CampaignRun>().exec();
  return {
    async open(run, at) {
      const doc: CampaignRun = { ...run, status: 'planning', chunksDone: [], createdAt: at, updatedAt: at };
      await bulkWriteExpectingDuplicates(nativeOf(db, runs), [{ insertOne: { document: doc } }]);
      const stored = await get(run._id);
      if (!stored) throw new Error(`campaign run ${run._id} vanished`);
      return stored;
    },
    async planned(id, chunks, matched, at) {
      await runs.updateOne({ _id: id }, { $set: { status: 'planned', chunks, matched, updatedAt: at } });
    },
    async chunkDone(id, index, at) {
      await runs.updateOne({ _id: id }, { $addToSet: { chunksDone: index }, $set: { updatedAt: at } });
    },
    get,
    list: (campaignId, page) =>
      runs
        .find({ campaignId })
        .sort({ createdAt: -1 })
        .skip(page.offset)
        .limit(page.limit)
        .lean<CampaignRun[]>()
        .exec(),
  };
}

/** `campaign_status`: pause and resume, overriding the campaign file's status. */
export function createCampaignStatusStore(db: Db): CampaignStatusStore {
  const statuses = campaignStatusModel(db);
  return {
    async overrides() {
      const docs = await statuses.find({}).lean<CampaignStatusDoc[]>();
      return new Map(docs.map((d) => [d._id, d.status]));
    },
    async set(campaignId, status, at) {
      await statuses.updateOne({ _id: campaignId }, { $set: { status, at } }, { upsert: true });
    },
  };
}
