import { hostname } from 'node:os';
import { Agenda, exponential, when, type Job } from 'agenda';
import { MongoBackend, type MongoBackendConfig } from '@agendajs/mongo-backend';
import { deliverDue, type DeliverPorts } from '../deliver/outbox.js';
import { planChunk, planOccurrence, planScheduled, type RunPorts } from '../decide/plan-occurrence.js';
import { evaluateTrigger } from '../decide/evaluate-trigger.js';
import { agendaQueue, JOBS, queuePlan } from './queue.js';
import type { CampaignQueue, TriggerJob } from '../ports/campaign-queue.js';
import type { Logger } from 'pino';
import { isDatabaseUnreachable, PermanentJobError } from '../errors.js';
import { ChunkJobData, DeliverJobData, PlanJobData, ScheduleJobData, TriggerJobData } from './job-data.js';
import { jobHandler, type JobLogging, type JobSummary } from './job-run.js';

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
  /** Each job's outcome and each outbox pass's counts, with the job's context on every line. */
  log: Logger;
  /** Also told of every job failure (tests collect them). */
  report?(err: unknown): void;
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
  // Agenda connects (and creates its indexes) in the background from its constructor: a client
  // stopped before that finished would leave those operations to fail once the caller closes the
  // connection (`import` of a file whose every batch is rejected stops at once).
  const stop = async (): Promise<void> => {
    await agenda.ready;
    await agenda.stop(false);
  };
  return { queue: agendaQueue(agenda), plan: (data) => queuePlan(agenda, data), stop };
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
  const log = deps.log.child({ worker: workerName(o) });
  // Every failure goes to `report`; given one (an outage watch), an unreachable database is left
  // to it, which logs an outage once, instead of a line per job.
  const outage = (err: unknown): boolean => deps.report !== undefined && isDatabaseUnreachable(err);
  const jobs = { log, outage };
  agenda.on('error', (err: unknown) => {
    deps.report?.(err);
    if (!outage(err)) log.error({ err }, 'job queue error');
  });
  agenda.on('fail', (err: unknown) => deps.report?.(err));
  const queue = agendaQueue(agenda);
  const run: RunPorts = { ...deps.run, queue };
  // One-off jobs leave no document behind; their effects are in the ledger. A permanent error is
  // recorded on the job (failCount, failReason) and not retried.
  const retry = {
    backoff: when((ctx) => !(ctx.error instanceof PermanentJobError), exponential({ delay: 2000, maxRetries: 8 })),
    removeOnComplete: true,
  };
  agenda.define(
    JOBS.plan,
    jobHandler(jobs, PlanJobData, async (d) =>
      runSummary(await planOccurrence(run, d.campaignId, d.kind, d.occurrence)),
    ),
    retry,
  );
  agenda.define(
    JOBS.chunk,
    jobHandler(jobs, ChunkJobData, async (d) => ({ ...(await planChunk(run, d)) })),
    { ...retry, concurrency: 2 },
  );
  agenda.define(
    JOBS.trigger,
    jobHandler(jobs, TriggerJobData, (d, _log, job) => runTrigger(run, d, job)),
    { ...retry, concurrency: 5 },
  );
  const passes = o.deliverPasses ?? 50;
  agenda.define(
    JOBS.deliver,
    jobHandler(
      jobs,
      DeliverJobData,
      (_d, jobLog, job) => runOutbox(deps.deliver, job, jobLog, passes, stopping.signal),
      {
        quiet: true,
      },
    ),
    { concurrency: 1, removeOnComplete: true },
  );
  await agenda.start();
  const schedules = await registerSchedules(agenda, run, jobs);
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

function runSummary(r: { _id: string; status: string; chunks?: number; matched?: number }): JobSummary {
  return { runId: r._id, status: r.status, chunks: r.chunks, matched: r.matched };
}

/** A trigger not yet due by the clock (a clock behind the scheduler's) runs again when it is. */
async function runTrigger(run: RunPorts, data: TriggerJob, job: Job): Promise<JobSummary> {
  const outcome = await evaluateTrigger(run, data);
  if (outcome.kind === 'not-due')
    job.attrs.nextRunAt = new Date(Date.now() + (outcome.dueAt.getTime() - run.clock().getTime()));
  return { outcome: outcome.kind };
}

/**
 * Sends due deliveries pass after pass until none is due, keeping the job's lock fresh. Each pass
 * logs its counts (at debug when it found nothing due).
 */
async function runOutbox(
  ports: DeliverPorts,
  job: Job,
  log: Logger,
  passes: number,
  stopping: AbortSignal,
): Promise<JobSummary> {
  let pass = 0;
  while (pass < passes && !stopping.aborted) {
    const counts = await deliverDue(ports);
    pass++;
    if (counts.picked === 0 && counts.reconciled === 0) {
      log.debug({ pass, ...counts }, 'outbox pass');
      break;
    }
    log.info({ pass, ...counts }, 'outbox pass');
    if (counts.picked === 0) break;
    await job.touch();
  }
  return { passes: pass };
}

async function registerSchedules(agenda: Agenda, run: RunPorts, jobs: JobLogging): Promise<string[]> {
  const scheduled = (await run.campaigns.list()).filter((c) => c.schedule && c.status !== 'draft');
  const names = scheduled.map((c) => `${JOBS.schedulePrefix}${c.id}`);
  for (const c of scheduled) {
    const name = `${JOBS.schedulePrefix}${c.id}`;
    agenda.define(
      name,
      jobHandler(jobs, ScheduleJobData, async (d) => runSummary(await planScheduled(run, d.campaignId))),
    );
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
