import type { Campaign } from '../domain/campaign.js';
import type { Delivery } from '../domain/delivery.js';
import type { Channel, OutgoingMessage } from '../ports/channel.js';
import type { BudgetStore, Charge } from '../ports/budget-store.js';
import type { DeliveryLedger, HeldSettlement, Settlement } from '../ports/delivery-ledger.js';
import type { GrantStore } from '../ports/grant-store.js';

/**
 * The batched steps of an outbox pass (see deliverDue): one bulk write claims the pass's
 * deliveries, one conditional `$inc` per campaign reserves their budget, one bulk insert issues
 * their grants, and outcomes are written in groups while the sends go on.
 */

/** A message ready to go, or the outcome of one that cannot be sent. */
export type Prepared = { ok: true; channel: Channel; message: OutgoingMessage } | { ok: false; settlement: Settlement };

/** A delivery claimed in this pass: the copy as held (attempts, charge, grant) and its lease token. */
export interface Attempt {
  campaign: Campaign;
  held: Delivery;
  token: string;
  ready: Prepared;
  leaseUntil: Date;
}

/**
 * What this attempt charges to the budget: the send's cost while its charge is `pending`, nothing
 * once `done`. `pending` is written with the claim, `done` with the outcome. A `pending` left by a
 * crash is charged under the same receipt (the delivery key): if the first charge went through,
 * the budget holds its receipt and does not take the money again.
 */
export function dueCharge(d: Delivery): number {
  return d.charge === 'pending' ? (d.budgetFen ?? 0) : 0;
}

/**
 * Charges the attempts' budgets: per campaign, the sum in one conditional update, which takes it
 * whole or not at all, so the cap holds however many workers charge at once. When the sum does not
 * fit, the attempts are charged one by one, in due order, while they fit; the rest are refused.
 * Each charge carries its delivery key, so an attempt charged before (by a sender that crashed) is
 * found and not charged twice. Returns the attempts charged (their charge is then `done`).
 */
export async function chargeAll(
  budgets: Pick<BudgetStore, 'charge'>,
  attempts: readonly Attempt[],
  refuse: (a: Attempt) => Promise<void>,
): Promise<Attempt[]> {
  const byCampaign = new Map<string, Attempt[]>();
  for (const a of attempts) byCampaign.set(a.held.campaignId, [...(byCampaign.get(a.held.campaignId) ?? []), a]);
  const receipt = (a: Attempt): Charge => ({ key: a.held._id, fen: dueCharge(a.held) });
  const charged: Attempt[] = [];
  for (const [campaignId, list] of byCampaign) {
    if (await budgets.charge(campaignId, list.map(receipt))) {
      charged.push(...list);
      continue;
    }
    for (const a of list) {
      if (await budgets.charge(campaignId, [receipt(a)])) charged.push(a);
      else await refuse(a);
    }
  }
  for (const a of charged) if (a.held.charge === 'pending') a.held.charge = 'done';
  return charged;
}

/** Issues the grants of the charged attempts that carry an incentive, in one round trip. */
export async function grantAll(
  grants: Pick<GrantStore, 'issueMany'>,
  attempts: readonly Attempt[],
  now: Date,
): Promise<void> {
  const granted = attempts.filter((a) => a.held.incentive);
  await grants.issueMany(
    granted.map(({ held: d }) => ({
      _id: d._id,
      campaignId: d.campaignId,
      occurrence: d.occurrence,
      userId: d.userId,
      grant: d.incentive as NonNullable<Delivery['incentive']>,
      status: 'issued' as const,
      issuedAt: now,
    })),
  );
  for (const a of granted) a.held.grantId = a.held._id;
}

/** Outcomes written in groups: one write in flight at a time, taking everything queued meanwhile. */
export interface Settler {
  add(s: HeldSettlement): void;
  /** Resolves once every outcome added is written; rejects with the first write's failure. */
  finish(): Promise<void>;
}

export function createSettler(ledger: Pick<DeliveryLedger, 'settleMany'>, now: () => Date): Settler {
  let queued: HeldSettlement[] = [];
  let writing: Promise<void> | undefined;
  let failure: unknown;
  const drain = async (): Promise<void> => {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      await ledger.settleMany(batch, now());
    }
  };
  const start = (): void => {
    if (writing || queued.length === 0 || failure !== undefined) return;
    writing = drain()
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => {
        writing = undefined;
        // Added between the drain's last look and now.
        start();
      });
  };
  return {
    add(s) {
      queued.push(s);
      start();
    },
    async finish() {
      while (writing) await writing;
      if (failure !== undefined) throw failure;
    },
  };
}
