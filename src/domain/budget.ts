import { z } from 'zod';

/** An amount of money in yuan with at most two decimals (fen). */
export const Yuan = z
  .number()
  .finite()
  .min(0)
  .max(1e10)
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, {
    message: 'amounts in yuan have at most two decimals',
  });

/** Yuan to whole fen, the unit all accounting is done in (sums of fen are exact). */
export function toFen(yuan: number): number {
  return Math.round(yuan * 100);
}

/** A campaign's spending limit. */
export const CampaignBudget = z.strictObject({
  /** Most the campaign may spend, yuan. */
  cap: Yuan.refine((v) => v > 0, { message: 'a budget cap is above 0' }),
  /** Charge each message's cost to the cap as well as the incentives. @defaultValue false */
  includeMessageCost: z.boolean().default(false),
});
export type CampaignBudget = z.infer<typeof CampaignBudget>;

/** A campaign's budget as the store keeps it. Invariant: 0 ≤ spentFen ≤ capFen. */
export interface BudgetState {
  capFen: number;
  spentFen: number;
}

/** What one send charges to the budget, fen. */
export function budgetCharge(budget: CampaignBudget, incentiveFen: number, messageFen: number): number {
  return incentiveFen + (budget.includeMessageCost ? messageFen : 0);
}

/** Whether a charge of `costFen` fits in what is left (the store's conditional update is the guarantee). */
export function canCharge(s: BudgetState, costFen: number): boolean {
  return costFen >= 0 && s.spentFen + costFen <= s.capFen;
}
