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

export function remainingFen(s: BudgetState): number {
  return Math.max(0, s.capFen - s.spentFen);
}

/** Whether a charge of `costFen` fits in what is left. */
export function canCharge(s: BudgetState, costFen: number): boolean {
  return costFen >= 0 && s.spentFen <= chargeGuard(s.capFen, costFen);
}

/**
 * The largest `spentFen` that still admits a charge of `costFen`. The store makes the charge
 * atomic as one conditional update: match `spentFen <= chargeGuard(cap, cost)`, then `$inc` by
 * `cost`; no match means the budget is exhausted, whatever other workers did meanwhile.
 */
export function chargeGuard(capFen: number, costFen: number): number {
  return capFen - costFen;
}

/** The budget after a charge, or undefined when it does not fit (the state is never overspent). */
export function charge(s: BudgetState, costFen: number): BudgetState | undefined {
  return canCharge(s, costFen) ? { capFen: s.capFen, spentFen: s.spentFen + costFen } : undefined;
}

/** The budget after giving back a charge whose grant was never issued (never below zero spent). */
export function release(s: BudgetState, costFen: number): BudgetState {
  return { capFen: s.capFen, spentFen: Math.max(0, s.spentFen - costFen) };
}
