import { budgetBooks, type BudgetBooks } from '../domain/report-budget.js';
import { budgetsCollection } from './budgets.js';
import type { Db } from './connection.js';
import { deliveriesCollection } from './deliveries.js';

/**
 * A campaign budget's books: the budget document, the charges of its sent and unknown deliveries
 * (one `$match` + `$group`), and the in-flight deliveries its receipts name (read by `_id`).
 */
export async function readBudgetBooks(db: Db, campaignId: string): Promise<BudgetBooks | null> {
  const budget = await budgetsCollection(db).findOne({ _id: campaignId });
  if (!budget) return null;
  const deliveries = deliveriesCollection(db);
  const [kept] = await deliveries
    .aggregate<{ fen: number }>([
      { $match: { campaignId, state: { $in: ['sent', 'unknown'] }, charge: { $in: ['pending', 'done'] } } },
      { $group: { _id: null, fen: { $sum: '$budgetFen' } } },
    ])
    .toArray();
  const receipts = budget.receipts ?? [];
  const inFlight =
    receipts.length === 0
      ? []
      : await deliveries
          .find({ _id: { $in: receipts }, state: { $in: ['planned', 'sending'] } }, { projection: { budgetFen: 1 } })
          .toArray();
  return budgetBooks(
    budget.capFen,
    budget.spentFen,
    kept?.fen ?? 0,
    inFlight.reduce((s, d) => s + (d.budgetFen ?? 0), 0),
  );
}
