import type { Collection } from 'mongodb';
import type { BudgetRecord, BudgetStore, Charge } from '../ports/budget-store.js';
import { nativeOf } from './model-collection.js';
import { budgetModel } from './models/budgets.js';
import type { Db } from './connection.js';
import { bulkWriteExpectingDuplicates } from './duplicate-key.js';

/** A budget as stored: the record, and the receipts of the charges whose outcome is not settled yet. */
interface BudgetDocument extends BudgetRecord {
  receipts?: string[];
}

/** The driver collection behind the budget model: every change is a conditional update written here. */
export function budgetsCollection(db: Db): Collection<BudgetDocument> {
  return nativeOf(db, budgetModel(db)) as unknown as Collection<BudgetDocument>;
}

const sum = (charges: readonly Charge[]): number => charges.reduce((s, c) => s + c.fen, 0);

/**
 * The `budgets` collection: one document per campaign. Every change of money is a single
 * conditional update of that document, so any number of workers can charge at once and the cap
 * still holds: a charge matches only while `remainingFen` covers it and none of its receipts is
 * there yet, and pushes its receipts with the money; a release matches only while they are there,
 * and pulls them with the money. The receipts are few (the charges in flight): they leave once the
 * delivery's outcome is settled (see deliver-receipts.ts). Everything is by `_id`.
 */
export function createBudgetStore(db: Db): BudgetStore {
  const c = budgetsCollection(db);
  // Reads go through the model, so a filter value that is not a plain id is refused (sanitizeFilter).
  const get = (id: string): Promise<BudgetRecord | null> =>
    budgetModel(db).findOne({ _id: id }, { receipts: 0 }).lean<BudgetRecord>().exec();
  const held = async (id: string): Promise<Set<string>> =>
    new Set((await c.findOne({ _id: id }, { projection: { receipts: 1 } }))?.receipts ?? []);
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
    async charge(campaignId, charges) {
      let todo = charges.filter((x) => x.fen > 0);
      while (todo.length > 0) {
        const keys = todo.map((x) => x.key);
        const fen = sum(todo);
        const res = await c.updateOne(
          { _id: campaignId, remainingFen: { $gte: fen }, receipts: { $nin: keys } },
          { $inc: { remainingFen: -fen, spentFen: fen }, $push: { receipts: { $each: keys } } },
        );
        if (res.modifiedCount === 1) return true;
        // Refused: either it does not fit, or some were charged before (their receipts are there).
        const receipts = await held(campaignId);
        const rest = todo.filter((x) => !receipts.has(x.key));
        if (rest.length === todo.length) return false;
        todo = rest;
      }
      return true;
    },
    async release(campaignId, charges) {
      const due = charges.filter((x) => x.fen > 0);
      if (due.length === 0) return 0;
      const keys = due.map((x) => x.key);
      const all = await c.updateOne(
        { _id: campaignId, receipts: { $all: keys } },
        { $inc: { remainingFen: sum(due), spentFen: -sum(due) }, $pull: { receipts: { $in: keys } } },
      );
      if (all.modifiedCount === 1) return sum(due);
      // Some were given back already (by a sweep after a crash): one by one, each while its receipt holds.
      let returned = 0;
      for (const x of due) {
        const one = await c.updateOne(
          { _id: campaignId, receipts: x.key },
          { $inc: { remainingFen: x.fen, spentFen: -x.fen }, $pull: { receipts: x.key } },
        );
        returned += one.modifiedCount === 1 ? x.fen : 0;
      }
      return returned;
    },
    async keep(campaignId, keys) {
      if (keys.length === 0) return;
      await c.updateOne({ _id: campaignId }, { $pull: { receipts: { $in: [...keys] } } });
    },
    async receipts(limit) {
      const docs = await c
        .find({ 'receipts.0': { $exists: true } }, { projection: { receipts: { $slice: limit } } })
        .toArray();
      return docs.map((d) => ({ campaignId: d._id, keys: d.receipts ?? [] }));
    },
  };
}
