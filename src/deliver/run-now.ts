import { deliverDue, type DeliverCounts, type DeliverPorts } from './outbox.js';
import { planChunk, planManual, type RunPorts } from '../decide/plan-occurrence.js';
import { tallyLedger, type CampaignTally } from '../decide/campaign-tally.js';
import type { BudgetStore } from '../ports/budget-store.js';
import type { CampaignQueue } from '../ports/campaign-queue.js';
import type { CampaignRun } from '../ports/campaign-run-store.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';

/**
 * A queue that does the work at once, in this process (`tideflow run`, the demo): chunks are
 * planned as they are queued; the outbox is drained by the caller. Triggers need a worker.
 */
export function inlineQueue(ports: Omit<RunPorts, 'queue'>): CampaignQueue {
  const queue: CampaignQueue = {
    chunk: async (job) => {
      await planChunk({ ...ports, queue }, job);
    },
    trigger: () => Promise.reject(new Error("triggered evaluations are scheduled on a worker's queue")),
    deliverSoon: () => Promise.resolve(),
  };
  return queue;
}

/** Runs the outbox until nothing is due at the clock's now; returns the totals of every pass. */
export async function drainOutbox(ports: DeliverPorts, maxPasses = 10_000): Promise<DeliverCounts> {
  const total: DeliverCounts = {
    picked: 0,
    sent: 0,
    failed: 0,
    unknown: 0,
    skipped: 0,
    later: 0,
    lost: 0,
    reconciled: 0,
  };
  for (let i = 0; i < maxPasses; i++) {
    const counts = await deliverDue(ports);
    for (const k of Object.keys(total) as (keyof DeliverCounts)[]) total[k] += counts[k];
    if (counts.picked === 0 && counts.reconciled === 0) break;
  }
  return total;
}

export interface RunNowPorts {
  run: Omit<RunPorts, 'queue'>;
  deliver: DeliverPorts;
  ledger: Pick<DeliveryLedger, 'counts'>;
  budgets: Pick<BudgetStore, 'get'>;
}

export interface RunNow {
  run: CampaignRun;
  tally: CampaignTally;
}

/**
 * One occurrence of a campaign, now, in this process: plan every chunk, send what is due, and
 * tally the ledger. Sends postponed by quiet hours stay planned for a worker to send later.
 */
export async function runNow(ports: RunNowPorts, campaignId: string): Promise<RunNow> {
  const planned = await planManual({ ...ports.run, queue: inlineQueue(ports.run) }, campaignId);
  await drainOutbox(ports.deliver);
  const [counts, budget] = await Promise.all([
    ports.ledger.counts(campaignId, planned.occurrence),
    ports.budgets.get(campaignId),
  ]);
  return { run: planned, tally: tallyLedger(campaignId, planned.occurrence, counts, budget) };
}
