/** A campaign budget as stored. Invariant: spentFen + remainingFen = capFen, remainingFen ≥ 0. */
export interface BudgetRecord {
  _id: string;
  capFen: number;
  remainingFen: number;
  spentFen: number;
}

export interface BudgetStore {
  /** The budget of a campaign with cap `capFen`, created (or its cap changed) as needed. */
  ensure(campaignId: string, capFen: number): Promise<BudgetRecord>;
  get(campaignId: string): Promise<BudgetRecord | null>;
  /** Takes `fen` from what remains, atomically; false (nothing changed) when it does not fit. */
  charge(campaignId: string, fen: number): Promise<boolean>;
  /** Gives back a charge whose grant was never used (the message was refused). */
  release(campaignId: string, fen: number): Promise<void>;
}
