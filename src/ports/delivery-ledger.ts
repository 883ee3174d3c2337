import type { SmsCost } from '../domain/sms-cost.js';
import type { SendRecord } from '../domain/caps.js';
import type { Delivery, DeliveryState, Lease } from '../domain/delivery.js';

/**
 * Ports of the campaign verbs (plan, deliver, run, simulate, trigger). The pipeline owns them;
 * src/store implements them over the `deliveries`, `grants`, `budgets`, `campaign_runs` and
 * `campaign_status` collections, src/jobs implements the queue.
 */

/** A page of a listing. */
export interface Page {
  /** @defaultValue 50 */
  limit: number;
  /** @defaultValue 0 */
  offset: number;
}

export interface DeliveryFilter {
  campaignId?: string;
  occurrence?: string;
  userId?: string;
  state?: DeliveryState;
  reason?: string;
}

/** Deliveries of one state, reason and channel, with what they cost (fen). */
export interface LedgerRow {
  state: DeliveryState;
  reason?: string;
  channel?: string;
  count: number;
  messageCostFen: number;
  /** The face cost of the incentives they carry. */
  incentiveFen: number;
}

/** Counts of a campaign's ledger, for summaries and reports. */
export interface LedgerCounts {
  /** Rows by state, reason and channel (absent keys: not applicable). */
  rows: LedgerRow[];
}

/** The outcome a sender records on a delivery it holds. */
export type Settlement =
  | { state: 'sent'; providerId: string; sentAt: Date }
  | { state: 'failed' | 'unknown' | 'skipped'; reason: NonNullable<Delivery['reason']>; detail?: string }
  | { state: 'planned'; dueAt: Date; detail?: string };

/** One claim of {@link DeliveryLedger.claimMany}. */
export interface ClaimRequest {
  id: string;
  lease: Lease;
  /** Mark the charge `pending` with the claim (only if it has none yet). */
  announceCharge: boolean;
  /** An SMS's cost by its parts, recorded with the claim (domain/sms-cost.ts). */
  cost?: SmsCost;
}

/** One outcome of {@link DeliveryLedger.settleMany}, with what the attempt took. */
export interface HeldSettlement {
  id: string;
  token: string;
  outcome: Settlement;
  taken?: Partial<Pick<Delivery, 'charge' | 'grantId'>>;
}

/** The `deliveries` collection: the ledger and the outbox. */
export interface DeliveryLedger {
  /** Which of `ids` are in the ledger already. */
  existing(ids: readonly string[]): Promise<Set<string>>;
  /** Inserts decisions; a row whose key exists is left as it is. Returns how many were new. */
  insert(rows: readonly Delivery[]): Promise<number>;
  /** Each user's contacts (planned, sending, sent, unknown) sent or planned since `since`. */
  history(userIds: readonly string[], since: Date): Promise<Map<string, SendRecord[]>>;
  /** Budget planned but not yet charged by the campaign's deliveries, fen. */
  reservedFen(campaignId: string): Promise<number>;
  /** Planned deliveries of `campaignIds` due at `now`, earliest first. */
  due(now: Date, limit: number, campaignIds: readonly string[]): Promise<Delivery[]>;
  /** Moves a planned delivery's due time (quiet hours began before it went out). */
  postpone(id: string, dueAt: Date, now: Date): Promise<void>;
  /**
   * planned → sending under each request's fresh lease, and with `announceCharge` its charge
   * `pending` (only if it has none yet), in a constant number of round trips. Returns the ids
   * claimed: not those another sender took first or that are no longer due.
   */
  claimMany(claims: readonly ClaimRequest[], now: Date): Promise<Set<string>>;
  /**
   * Records on a delivery held under `token` that its message is about to be handed over for good;
   * false when the claim is no longer the caller's (it must then not send).
   */
  handover(id: string, token: string, at: Date): Promise<boolean>;
  /**
   * Records the outcome of a delivery held under `token` (state sending, or unknown after its lease
   * ran out: the holder's late answer is still the truth), with what the attempt took (its charge,
   * its grant). False when the token no longer holds it.
   */
  settle(
    id: string,
    token: string,
    outcome: Settlement,
    now: Date,
    taken?: Partial<Pick<Delivery, 'charge' | 'grantId'>>,
  ): Promise<boolean>;
  /** {@link settle} for many deliveries in one round trip (each still only under its token). */
  settleMany(settlements: readonly HeldSettlement[], now: Date): Promise<void>;
  /**
   * Takes a stale claim over from the sender holding `token`: its token is replaced by `newToken`, so
   * that sender can no longer hand the message over nor record an outcome. Returns the delivery as
   * it stands after the takeover, or null when someone else got there first.
   */
  takeOver(id: string, token: string, newToken: string): Promise<Delivery | null>;
  /** Deliveries left `sending` past their lease (their sender died or hangs). */
  stale(now: Date, limit: number): Promise<Delivery[]>;
  get(id: string): Promise<Delivery | null>;
  /** The deliveries of `ids` that exist (state, campaign, charge and cost are what callers read). */
  getMany(ids: readonly string[]): Promise<Delivery[]>;
  list(filter: DeliveryFilter, page: Page): Promise<{ total: number; items: Delivery[] }>;
  counts(campaignId: string, occurrence?: string): Promise<LedgerCounts>;
}
