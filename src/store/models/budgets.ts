import type { Model } from 'mongoose';
import type { BudgetRecord } from '../../ports/budget-store.js';
import type { Db } from '../connection.js';
import { collectionSchema, modelOn } from './model.js';

/** `budgets`: one per campaign, `_id` the campaign id; amounts in fen (integers). */
export const budgetSchema = collectionSchema<BudgetRecord>({
  capFen: { type: Number, required: true },
  remainingFen: { type: Number, required: true },
  spentFen: { type: Number, required: true },
});

export const budgetModel = (db: Db): Model<BudgetRecord> => modelOn(db, 'budgets', budgetSchema);
