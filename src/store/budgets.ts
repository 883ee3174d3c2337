import type { Collection } from 'mongodb';
import { nativeDb } from './collections.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';
import type { BudgetRecord, BudgetStore } from '../ports/budget-store.js';

export function budgetsCollection(db: Db): Collection<BudgetRecord> {
  return nativeDb(db).collection<BudgetRecord>('budgets');
}

/**
 * The `budgets` collection: one document per campaign. Every change is a single conditional
 * update, so any number of workers can charge at once and the cap still holds: a charge matches
 * only while `remainingFen` covers it.
 */
export function createBudgetStore(db: Db): BudgetStore {
  const c = budgetsCollection(db);
  const get = (id: string): Promise<BudgetRecord | null> => c.findOne({ _id: id });
  return {
    get,
    async ensure(campaignId, capFen) {
      await bulkWriteExpectingDuplicates(c, [
        { insertOne: { document: { _id: campaignId, capFen, remainingFen: capFen, spentFen: 0 } } },
      ]);
      let stored = await get(campaignId);
      // A changed cap in the campaign file moves what remains by the difference, in one update
      // guarded by the cap it read (another worker doing the same makes this one a no-op).
      while (stored && stored.capFen !== capFen) {
        await c.updateOne(
          { _id: campaignId, capFen: stored.capFen },
          { $set: { capFen }, $inc: { remainingFen: capFen - stored.capFen } },
        );
        stored = await get(campaignId);
      }
      if (!stored) throw new Error(`budget of ${campaignId} vanished`);
      return stored;
    },
    async charge(campaignId, fen) {
      if (fen <= 0) return true;
      const res = await c.updateOne(
        { _id: campaignId, remainingFen: { $gte: fen } },
        { $inc: { remainingFen: -fen, spentFen: fen } },
      );
      return res.modifiedCount === 1;
    },
    async release(campaignId, fen) {
      if (fen <= 0) return;
      await c.updateOne({ _id: campaignId, spentFen: { $gte: fen } }, { $inc: { remainingFen: fen, spentFen: -fen } });
    },
  };
}
