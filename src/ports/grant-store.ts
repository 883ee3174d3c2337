import type { Grant } from '../domain/incentive.js';

/** An issued incentive; `_id` is the delivery key, so a delivery issues at most one. */
export interface GrantRecord {
  _id: string;
  campaignId: string;
  occurrence: string;
  userId: string;
  grant: Grant;
  status: 'issued' | 'revoked';
  issuedAt: Date;
}

export interface GrantStore {
  /** Which of `ids` have a grant (issued or revoked). */
  existing(ids: readonly string[]): Promise<Set<string>>;
  /** Issues the grants in one round trip, each unless one with its key exists (those are left as they are). */
  issueMany(grants: readonly GrantRecord[]): Promise<void>;
  /** Marks a grant whose message was refused for good as revoked. */
  revoke(id: string, now: Date): Promise<void>;
  count(filter: { campaignId?: string; userId?: string }): Promise<number>;
}
