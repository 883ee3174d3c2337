import type { Job } from 'agenda';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ConfigError, ConflictError, jsonPath, NotFoundError, PermanentJobError, ValidationError } from '../errors.js';

/** What a job did, logged on its `job done` line. */
export type JobSummary = Record<string, unknown>;

export interface JobHandlerOptions {
  /** Log `job done` at debug instead of info (the outbox's frequent runs). @defaultValue false */
  quiet?: boolean;
}

/** Where a worker's jobs log; `outage` tells an error an outage watch logs once (not logged per job). */
export interface JobLogging {
  log: Logger;
  outage?: (err: unknown) => boolean;
}

/** Fields of a job's data that name what it works on; every line the job logs carries them. */
const CONTEXT = ['campaignId', 'occurrence', 'runId', 'index', 'eventId'] as const;

/**
 * Wraps a job's work: its data is parsed at the edge (malformed data is a PermanentJobError), a
 * child logger carries the job's name, id, campaign and occurrence, and the outcome is logged:
 * `job done` with the work's summary, or `job failed` with the error's stack and whether it is
 * retried (an unreachable database is left to the outage watch, which logs an outage once). Errors no retry can cure (a deleted campaign, one sending on no configured channel, a
 * conflict with the campaign's state) are rethrown as PermanentJobError.
 */
export function jobHandler<T>(
  { log, outage }: JobLogging,
  schema: z.ZodType<T>,
  work: (data: T, log: Logger, job: Job) => Promise<JobSummary | void>,
  opts: JobHandlerOptions = {},
): (job: Job) => Promise<void> {
  return async (job) => {
    const jobLog = log.child({ job: job.attrs.name, jobId: String(job.attrs._id), ...contextOf(job.attrs.data) });
    try {
      const summary = (await work(parseJobData(schema, job), jobLog, job)) ?? {};
      if (opts.quiet) jobLog.debug(summary, 'job done');
      else jobLog.info(summary, 'job done');
    } catch (err) {
      const permanent = asPermanent(err);
      if (!outage?.(err)) jobLog.error({ err, retry: !permanent }, 'job failed');
      throw permanent ?? err;
    }
  };
}

function parseJobData<T>(schema: z.ZodType<T>, job: Job): T {
  const parsed = schema.safeParse(job.attrs.data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${jsonPath(i.path) || '(root)'}: ${i.message}`);
  throw new PermanentJobError(`job ${job.attrs.name} has invalid data: ${issues.join('; ')}`);
}

/** The error as a PermanentJobError when retrying cannot help; undefined when it may. */
export function asPermanent(err: unknown): PermanentJobError | undefined {
  if (err instanceof PermanentJobError) return err;
  if (
    err instanceof NotFoundError ||
    err instanceof ConfigError ||
    err instanceof ConflictError ||
    err instanceof ValidationError
  )
    return new PermanentJobError(err.message, { cause: err });
  return undefined;
}

function contextOf(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null) return {};
  const out: Record<string, unknown> = {};
  for (const key of CONTEXT) {
    const v = (data as Record<string, unknown>)[key];
    if (typeof v === 'string' || typeof v === 'number') out[key] = v;
  }
  return out;
}
