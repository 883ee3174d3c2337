/** A campaign budget as stored. Invariant: spentFen + remainingFen = capFen, remainingFen ≥ 0. */
export interface BudgetRecord {
  _id: string;
  capFen: number;
  remainingFen: number;
  spentFen: number;
}

/** One delivery's charge to its campaign's budget; the delivery key is its receipt. */
export interface Charge {
  key: string;
  fen: number;
}

/**
 * The budgets, charged with receipts: a charge is recorded in the budget together with the key of
 * the delivery it pays for, in the same atomic update, and the receipt stays until the delivery's
 * outcome settles what becomes of the money (kept: sent or unknown; given back: failed or skipped).
 * So a retry finds its earlier charge, and money is given back exactly once.
 */
export interface BudgetStore {
  /** The budget of a campaign with cap `capFen`, created (or its cap changed) as needed. */
  ensure(campaignId: string, capFen: number): Promise<BudgetRecord>;
  get(campaignId: string): Promise<BudgetRecord | null>;
  /**
   * Charges the deliveries together, atomically, each at most once: one whose receipt the budget
   * holds (an earlier attempt charged it, perhaps one a crash cut off) is not charged again. True
   * when every one holds its charge afterwards; false, nothing changed, when the others do not fit.
   */
  charge(campaignId: string, charges: readonly Charge[]): Promise<boolean>;
  /**
   * Gives back the charges of deliveries that reached no one, each only while the budget holds its
   * receipt (so exactly once, whoever else tries). Returns the fen given back.
   */
  release(campaignId: string, charges: readonly Charge[]): Promise<number>;
  /** Drops the receipts of deliveries whose outcome keeps their charge for good (sent, unknown). */
  keep(campaignId: string, keys: readonly string[]): Promise<void>;
  /** Campaigns whose budget holds receipts, with at most `limit` keys each. */
  receipts(limit: number): Promise<{ campaignId: string; keys: string[] }[]>;
}
