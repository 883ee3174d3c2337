/**
 * A campaign budget's books, as its report shows them: what was spent and what accounts for it.
 * Every fen spent belongs to a delivery that reached (or may have reached) its user, or to one in
 * flight holding a receipt; what belongs to neither was lost to a failure and is written off.
 */
export interface BudgetBooks {
  capFen: number;
  spentFen: number;
  /** Charges of sent and unknown deliveries: kept for good. */
  keptFen: number;
  /** Charges held by receipts of deliveries not settled yet. */
  inFlightFen: number;
  /** Spent and accounted for by no delivery. */
  writtenOffFen: number;
}

/** The books from what the budget spent and what its deliveries account for. */
export function budgetBooks(capFen: number, spentFen: number, keptFen: number, inFlightFen: number): BudgetBooks {
  return {
    capFen,
    spentFen,
    keptFen,
    inFlightFen,
    writtenOffFen: Math.max(0, spentFen - keptFen - inFlightFen),
  };
}
