import type { Delivery } from './delivery.js';

/** What an SMS of `parts` parts costs, as the claim that sends it records it. */
export interface SmsCost {
  smsParts: number;
  messageCostFen: number;
  budgetFen: number;
}

/**
 * The cost of an SMS by its parts: carriers bill each part, so a message of `parts` parts costs
 * `parts` times the per-message price planning recorded (`messageCostFen`), and a budget that
 * includes message cost is charged the difference too. Undefined once costed (`smsParts` set) or
 * once a charge was taken: an attempt never changes what an earlier one charged.
 */
export function smsCostByParts(
  d: Pick<Delivery, 'messageCostFen' | 'budgetFen' | 'smsParts' | 'charge'>,
  parts: number,
  includeMessageCost: boolean,
): SmsCost | undefined {
  if (d.smsParts !== undefined || d.charge !== undefined) return undefined;
  const perPart = d.messageCostFen ?? 0;
  const messageCostFen = perPart * parts;
  const extra = includeMessageCost ? messageCostFen - perPart : 0;
  return { smsParts: parts, messageCostFen, budgetFen: (d.budgetFen ?? 0) + extra };
}
