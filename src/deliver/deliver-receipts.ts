import type { Delivery } from '../domain/delivery.js';
import type { BudgetStore, Charge } from '../ports/budget-store.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import type { GrantStore } from '../ports/grant-store.js';

/**
 * Budget receipts (see BudgetStore) whose delivery has settled, brought to their end: a sender
 * records the outcome first and moves the money after it, so a crash in between leaves a receipt
 * behind. Sent or unknown: the charge is kept, the receipt dropped. Failed or skipped: the grant is
 * revoked and the money given back (exactly once: only while the receipt holds). Planned or in
 * flight: left alone, its sender (or a retry) will settle it.
 */

export interface ReceiptPorts {
  budgets: Pick<BudgetStore, 'receipts' | 'release' | 'keep'>;
  ledger: Pick<DeliveryLedger, 'getMany'>;
  grants: Pick<GrantStore, 'revoke'>;
}

/** Settles the receipts of settled deliveries; returns the fen given back. */
export async function settleReceipts(ports: ReceiptPorts, now: Date, limit = 500): Promise<number> {
  let returned = 0;
  for (const { campaignId, keys } of await ports.budgets.receipts(limit)) {
    const rows = await ports.ledger.getMany(keys);
    const kept = rows.filter((d) => d.state === 'sent' || d.state === 'unknown').map((d) => d._id);
    const back = rows.filter((d) => d.state === 'failed' || d.state === 'skipped');
    for (const d of back) if (d.incentive) await ports.grants.revoke(d._id, now);
    returned += await ports.budgets.release(campaignId, back.map(chargeOf));
    await ports.budgets.keep(campaignId, kept);
  }
  return returned;
}

/** What one outbox pass does with the money of the deliveries it settles, once their outcomes are written. */
export interface PassReceipts {
  /** Reached no one: its charge, if any attempt made one, is to be given back (`charge` becomes `released`). */
  giveBack(d: Delivery): void;
  /** Reached someone or may have: its charge is kept, its receipt to be dropped. */
  keep(d: Delivery): void;
  /** Moves the money, per campaign: call after the outcomes are written. */
  apply(budgets: Pick<BudgetStore, 'release' | 'keep'>): Promise<void>;
}

export function passReceipts(): PassReceipts {
  const byCampaign = new Map<string, { back: Charge[]; kept: string[] }>();
  const of = (campaignId: string): { back: Charge[]; kept: string[] } => {
    let r = byCampaign.get(campaignId);
    if (!r) byCampaign.set(campaignId, (r = { back: [], kept: [] }));
    return r;
  };
  return {
    giveBack(d) {
      if (d.charge === undefined || d.charge === 'released') return;
      d.charge = 'released';
      of(d.campaignId).back.push(chargeOf(d));
    },
    keep(d) {
      if (d.charge === 'done' || d.charge === 'pending') of(d.campaignId).kept.push(d._id);
    },
    async apply(budgets) {
      for (const [campaignId, r] of byCampaign) {
        await budgets.release(campaignId, r.back);
        await budgets.keep(campaignId, r.kept);
      }
    },
  };
}

/** What a delivery's charge is, with its key as the receipt. */
export function chargeOf(d: Pick<Delivery, '_id' | 'budgetFen'>): Charge {
  return { key: d._id, fen: d.budgetFen ?? 0 };
}
