import { isTriggeredBy, isTriggerStale, triggerDueAt } from '../domain/campaign.js';
import { skip } from '../domain/decision.js';
import { deliveryKey, triggerOccurrence, type TriggerRecord } from '../domain/delivery.js';
import type { Event } from '../domain/event.js';
import { NotFoundError } from '../errors.js';
import { ledgerRow, planUsers, type CampaignOccurrence, type PlanResult } from './decide-batch.js';
import { type RunPorts, runKey } from './plan-occurrence.js';
import type { TriggerJob } from '../ports/campaign-queue.js';

export type TriggerPorts = Omit<RunPorts, 'chunkSize'>;

/**
 * Called by ingest for newly stored events (once more after a crash: the queue keeps one job per
 * campaign and event). Schedules, for each campaign the event triggers, the user's evaluation at
 * the event time plus the trigger's delay. Events already too old for the trigger's `within`
 * (history being imported) schedule nothing. Drafts are never triggered; a paused campaign's
 * evaluation records the pause. Returns how many evaluations were scheduled.
 */
export async function scheduleTriggers(
  ports: Pick<TriggerPorts, 'campaigns' | 'queue' | 'clock'>,
  events: readonly Event[],
): Promise<number> {
  const campaigns = (await ports.campaigns.list()).filter((c) => c.trigger && c.status !== 'draft');
  if (campaigns.length === 0) return 0;
  const now = ports.clock();
  let scheduled = 0;
  for (const e of events) {
    for (const c of campaigns) {
      if (!isTriggeredBy(c, e.type)) continue;
      if (isTriggerStale(c, e.ts, now)) continue;
      const dueAt = triggerDueAt(c, e.ts);
      const job: TriggerJob = {
        campaignId: c.id,
        eventId: e.id,
        userId: e.userId,
        type: e.type,
        at: e.ts.toISOString(),
      };
      if (e.amount !== undefined) job.amount = e.amount;
      await ports.queue.trigger(job, dueAt);
      scheduled++;
    }
  }
  return scheduled;
}

export type TriggerOutcome =
  | { kind: 'not-due'; dueAt: Date }
  /** The user's decision is in the ledger (now, or already before). */
  | { kind: 'decided'; result: PlanResult }
  /** The campaign file is gone: nothing to evaluate. */
  | { kind: 'dropped' };

/**
 * Evaluates one triggered user at the clock's now, once due: the campaign's status, then the
 * segment and conditions re-checked (`not-eligible` recorded when they no longer hold), then the
 * gates. The occurrence is the event (`evt-<id>`), so a repeated job decides nothing twice.
 */
export async function evaluateTrigger(ports: TriggerPorts, job: TriggerJob): Promise<TriggerOutcome> {
  const campaign = await ports.campaigns.get(job.campaignId).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
  if (!campaign) return { kind: 'dropped' };
  const trigger: TriggerRecord = {
    eventId: job.eventId,
    type: job.type,
    at: new Date(job.at),
    ...(job.amount !== undefined ? { amount: job.amount } : {}),
  };
  const dueAt = triggerDueAt(campaign, trigger.at);
  if (ports.clock().getTime() < dueAt.getTime()) return { kind: 'not-due', dueAt };
  const occurrence = triggerOccurrence(job.eventId);
  const run = await ports.runs.open(
    { _id: runKey(campaign.id, occurrence), campaignId: campaign.id, occurrence, kind: 'trigger', now: ports.clock() },
    ports.clock(),
  );
  const ev: CampaignOccurrence = { campaign, occurrence, now: run.now, trigger };
  const result = await decideTriggered(ports, ev, job.userId);
  await ports.runs.planned(run._id, 1, 1, ports.clock());
  await ports.runs.chunkDone(run._id, 0, ports.clock());
  if (result.sends > 0) await ports.queue.deliverSoon();
  return { kind: 'decided', result };
}

async function decideTriggered(ports: TriggerPorts, ev: CampaignOccurrence, userId: string): Promise<PlanResult> {
  if (ev.campaign.status !== 'active') return planUsers(ports, ev, [userId]);
  const key = deliveryKey(ev.campaign.id, ev.occurrence, userId);
  if ((await ports.ledger.existing([key])).size > 0) return { decided: 0, sends: 0, already: 1 };
  const [profile] = await ports.profiles.getMany([userId]);
  if (profile && (await ports.audience.includes(ev.campaign, profile, ev.now))) return planUsers(ports, ev, [userId]);
  const detail = profile
    ? `no longer in ${ev.campaign.segment}${ev.campaign.conditions ? ' with the campaign conditions' : ''}`
    : 'no profile';
  const inserted = await ports.ledger.insert([
    ledgerRow(ev, { userId, timezone: profile?.timezone ?? ports.tz, decision: skip('not-eligible', detail) }),
  ]);
  return { decided: inserted, sends: 0, already: 1 - inserted };
}
