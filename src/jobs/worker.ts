import { hostname } from 'node:os';
import { Agenda, backoffStrategies, type Job } from 'agenda';
import { MongoBackend, type MongoBackendConfig } from '@agendajs/mongo-backend';
import { deliverDue, type DeliverPorts } from '../deliver/outbox.js';
import { planChunk, planOccurrence, planScheduled, type RunPorts } from '../decide/plan-occurrence.js';
import { evaluateTrigger } from '../decide/evaluate-trigger.js';
import { agendaQueue, JOBS, queuePlan, type PlanJobData } from './queue.js';
import type { CampaignQueue, ChunkJob, TriggerJob } from '../ports/campaign-queue.js';

/** The driver database the jobs collection lives in (main.ts passes the connection's `db`). */
export type JobsDb = Extract<MongoBackendConfig, { mongo: unknown }>['mongo'];

export interface WorkerOptions {
  /** Names this worker in the jobs it locks. @defaultValue `tideflow-<host>-<pid>` */
  name?: string;
  /** How often to look for due jobs, ms. @defaultValue 1000 */
  processEveryMs?: number;
  /** A job locked longer than this by a silent worker is taken over, ms. @defaultValue 60000 */
  lockLifetimeMs?: number;
  /** How often the outbox runs when nothing wakes it, ms. @defaultValue 10000 */
  deliverEveryMs?: number;
  /** Outbox passes per job run before it yields (each pass sends up to 200). @defaultValue 50 */
  deliverPasses?: number;
  /** On stop, how long running jobs may take to finish before they are left to their lock, ms. @defaultValue 15000 */
  drainMs?: number;
}

export interface WorkerDeps {
  db: JobsDb;
  /** The campaign verbs' ports, all but the queue (the worker supplies it). */
  run: Omit<RunPorts, 'queue'>;
  deliver: DeliverPorts;
  /** Where failures of jobs are reported. */
  report(err: unknown): void;
}

/** A queue for callers that only schedule (the API, ingest): no jobs run in this process. */
export interface JobClient {
  queue: CampaignQueue;
  /** Queues the planning of one occurrence. */
  plan(data: PlanJobData): Promise<void>;
  stop(): Promise<void>;
}

/** Names the worker in the jobs it locks: unique across machines, so a stop hands back only its own. */
function workerName(o: WorkerOptions): string {
  return o.name ?? `tideflow-${hostname()}-${process.pid}`;
}

function agendaFor(db: JobsDb, o: WorkerOptions): Agenda {
  return new Agenda({
    backend: new MongoBackend({ mongo: db, collection: 'jobs' }),
    name: workerName(o),
    processEvery: o.processEveryMs ?? 1000,
    defaultLockLifetime: o.lockLifetimeMs ?? 60_000,
  });
}

/** Schedules jobs without running any. */
export function createJobClient(db: JobsDb, o: WorkerOptions = {}): JobClient {
  const agenda = agendaFor(db, o);
  return { queue: agendaQueue(agenda), plan: (data) => queuePlan(agenda, data), stop: () => agenda.stop(false) };
}

export interface Worker extends JobClient {
  /** Scheduled campaigns registered at start. */
  schedules: string[];
}

/**
 * Starts a worker: defines the campaign jobs, registers one repeating job per scheduled campaign
 * (cron in the campaign's time zone) and the outbox, and processes jobs until `stop`. Any number
 * of workers may share the jobs collection.
 */
export async function startWorker(deps: WorkerDeps, o: WorkerOptions = {}): Promise<Worker> {
  const agenda = agendaFor(deps.db, o);
  const stopping = new AbortController();
  agenda.on('error', deps.report);
  agenda.on('fail', (err: unknown) => deps.report(err));
  const queue = agendaQueue(agenda);
  const run: RunPorts = { ...deps.run, queue };
  // One-off jobs leave no document behind; their effects are in the ledger.
  const retry = { backoff: backoffStrategies.exponential({ delay: 2000, maxRetries: 8 }), removeOnComplete: true };
  agenda.define<PlanJobData>(
    JOBS.plan,
    async (job) => {
      await planOccurrence(run, job.attrs.data.campaignId, job.attrs.data.kind, job.attrs.data.occurrence);
    },
    retry,
  );
  agenda.define<ChunkJob>(
    JOBS.chunk,
    async (job) => {
      await planChunk(run, job.attrs.data);
    },
    { ...retry, concurrency: 2 },
  );
  agenda.define<TriggerJob>(JOBS.trigger, (job) => runTrigger(run, job), { ...retry, concurrency: 5 });
  agenda.define(JOBS.deliver, (job) => runOutbox(deps.deliver, job, o.deliverPasses ?? 50, stopping.signal), {
    concurrency: 1,
    removeOnComplete: true,
  });
  await agenda.start();
  const schedules = await registerSchedules(agenda, run);
  await agenda.every(o.deliverEveryMs ?? 10_000, JOBS.deliver, { periodic: true }, { skipImmediate: true });
  // Stopping: the outbox ends after its current pass, other jobs finish; the connection stays open.
  const stop = async (): Promise<void> => {
    stopping.abort();
    await agenda.drain({ timeout: o.drainMs ?? 15_000, closeConnection: false });
    await handBack(deps.db, workerName(o));
  };
  return { queue, schedules, plan: (data) => queuePlan(agenda, data), stop };
}

/**
 * Unlocks every job this worker still holds once it has stopped taking new ones: those Agenda
 * locked ahead of running them (a drain leaves them locked), and any still running when the drain
 * timed out. Another worker takes them at its next poll instead of after the lock lifetime; every
 * job is safe to run again (the ledger makes a repeated chunk or send a no-op).
 */
async function handBack(db: JobsDb, name: string): Promise<void> {
  await db
    .collection('jobs')
    .updateMany({ lastModifiedBy: name, lockedAt: { $ne: null } }, { $unset: { lockedAt: true } });
}

/** A trigger not yet due by the clock (a clock behind the scheduler's) runs again when it is. */
async function runTrigger(run: RunPorts, job: Job<TriggerJob>): Promise<void> {
  const outcome = await evaluateTrigger(run, job.attrs.data);
  if (outcome.kind === 'not-due')
    job.attrs.nextRunAt = new Date(Date.now() + (outcome.dueAt.getTime() - run.clock().getTime()));
}

/** Sends due deliveries pass after pass until none is due, keeping the job's lock fresh. */
async function runOutbox(ports: DeliverPorts, job: Job, passes: number, stopping: AbortSignal): Promise<void> {
  for (let i = 0; i < passes && !stopping.aborted; i++) {
    const counts = await deliverDue(ports);
    if (counts.picked === 0) return;
    await job.touch();
  }
}

async function registerSchedules(agenda: Agenda, run: RunPorts): Promise<string[]> {
  const scheduled = (await run.campaigns.list()).filter((c) => c.schedule && c.status !== 'draft');
  const names = scheduled.map((c) => `${JOBS.schedulePrefix}${c.id}`);
  for (const c of scheduled) {
    const name = `${JOBS.schedulePrefix}${c.id}`;
    agenda.define(name, async () => {
      await planScheduled(run, c.id);
    });
    await agenda.every(
      c.schedule?.cron as string,
      name,
      { campaignId: c.id },
      { timezone: c.schedule?.timezone as string, skipImmediate: true },
    );
  }
  await cancelUnscheduled(agenda, names);
  return names;
}

/**
 * Repeating jobs of campaigns no longer scheduled (file removed, made draft, turned into a
 * trigger) are cancelled: the rules this worker loaded are the latest word.
 */
async function cancelUnscheduled(agenda: Agenda, current: readonly string[]): Promise<void> {
  const { jobs } = await agenda.queryJobs({ search: JOBS.schedulePrefix });
  const gone = [...new Set(jobs.map((j) => j.name))].filter(
    (n) => n.startsWith(JOBS.schedulePrefix) && !current.includes(n),
  );
  if (gone.length > 0) await agenda.cancel({ names: gone });
}
