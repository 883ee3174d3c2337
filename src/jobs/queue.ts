import type { Agenda } from 'agenda';
import type { CampaignQueue } from '../ports/campaign-queue.js';
import type { PlanJobData } from './job-data.js';

export type { PlanJobData } from './job-data.js';

/** Agenda job names. Scheduled campaigns get one repeating job each: `campaign-schedule:<id>`. */
export const JOBS = {
  plan: 'campaign-plan',
  chunk: 'campaign-chunk',
  trigger: 'campaign-trigger',
  deliver: 'deliver-due',
  schedulePrefix: 'campaign-schedule:',
} as const;

/**
 * The pipeline's queue over Agenda. Chunks are plain jobs (a planner re-run after a crash may
 * queue a chunk twice: the ledger makes the second a no-op). A trigger is one job per campaign
 * and event, whoever schedules it and however often. An outbox kick is a one-off job (removed when
 * done) beside the outbox's periodic one; a kick finding nothing due ends at once.
 */
export function agendaQueue(agenda: Agenda): CampaignQueue {
  return {
    async chunk(job) {
      await agenda.now(JOBS.chunk, job);
    },
    async trigger(job, dueAt) {
      await agenda
        .create(JOBS.trigger, job)
        .unique({ 'data.campaignId': job.campaignId, 'data.eventId': job.eventId }, { insertOnly: true })
        .schedule(dueAt)
        .save();
    },
    async deliverSoon() {
      await agenda.now(JOBS.deliver, { kick: true });
    },
  };
}

/** Queues the planning of one occurrence (the API's run). */
export async function queuePlan(agenda: Agenda, data: PlanJobData): Promise<void> {
  await agenda
    .create(JOBS.plan, data)
    .unique({ 'data.campaignId': data.campaignId, 'data.occurrence': data.occurrence }, { insertOnly: true })
    .schedule(new Date())
    .save();
}
