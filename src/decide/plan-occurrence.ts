import { latestOccurrence } from '../domain/campaign-schedule.js';
import { manualOccurrence, scheduledOccurrence } from '../domain/delivery.js';
import { ConflictError } from '../errors.js';
import { planUsers, routable, type PlanPorts, type PlanResult } from './decide-batch.js';
import type { CampaignDirectory } from './campaign-directory.js';
import type { Clock } from '../ports/clock.js';
import type { Audience } from '../ports/audience.js';
import type { CampaignQueue, ChunkJob } from '../ports/campaign-queue.js';
import type { CampaignRun, CampaignRunStore, RunKind } from '../ports/campaign-run-store.js';

export interface RunPorts extends PlanPorts {
  campaigns: CampaignDirectory;
  runs: CampaignRunStore;
  audience: Audience;
  queue: CampaignQueue;
  clock: Clock;
  /** Users per planning chunk (one job each). */
  chunkSize: number;
}

/** The id of an occurrence's run document. */
export function runKey(campaignId: string, occurrence: string): string {
  return `${campaignId}~${occurrence}`;
}

/**
 * Plans one occurrence: creates its run (or finds it: a duplicated or restarted planner), sweeps
 * the audience at the run's instant and hands it to the queue in chunks. A run already planned is
 * returned as it is; one left half-planned by a crash is swept again (its chunks are idempotent).
 */
export async function planOccurrence(
  ports: RunPorts,
  campaignId: string,
  kind: RunKind,
  occurrence: string,
): Promise<CampaignRun> {
  const campaign = await ports.campaigns.get(campaignId);
  routable(campaign, ports.channels);
  const run = await ports.runs.open(
    { _id: runKey(campaignId, occurrence), campaignId, occurrence, kind, now: ports.clock() },
    ports.clock(),
  );
  if (run.status === 'planned') return run;
  let chunk: string[] = [];
  let index = 0;
  let matched = 0;
  const flush = async (): Promise<void> => {
    await ports.queue.chunk({ runId: run._id, campaignId, occurrence, index: index++, userIds: chunk });
    chunk = [];
  };
  for await (const userId of ports.audience.members(campaign, run.now)) {
    chunk.push(userId);
    matched++;
    if (chunk.length >= ports.chunkSize) await flush();
  }
  if (chunk.length > 0) await flush();
  await ports.runs.planned(run._id, index, matched, ports.clock());
  return { ...run, status: 'planned', chunks: index, matched };
}

/** A scheduled occurrence: the latest cron slot at the clock's now, so every scheduler firing for it meets one run. */
export async function planScheduled(ports: RunPorts, campaignId: string): Promise<CampaignRun> {
  const c = await ports.campaigns.get(campaignId);
  if (!c.schedule)
    throw new ConflictError(
      `campaign '${campaignId}' is triggered by ${c.trigger?.event ?? 'an event'}, not scheduled`,
    );
  return planOccurrence(
    ports,
    campaignId,
    'scheduled',
    scheduledOccurrence(latestOccurrence(c.schedule, ports.clock())),
  );
}

/** An occurrence started by hand, now. */
export async function planManual(ports: RunPorts, campaignId: string): Promise<CampaignRun> {
  return planOccurrence(ports, campaignId, 'manual', manualOccurrence(ports.clock()));
}

/** Decides one chunk at its run's instant and writes the ledger; the outbox is woken when it planned sends. */
export async function planChunk(ports: RunPorts, job: ChunkJob): Promise<PlanResult> {
  const [run, campaign] = await Promise.all([ports.runs.get(job.runId), ports.campaigns.get(job.campaignId)]);
  if (!run) throw new Error(`chunk ${job.index} of ${job.runId}: no such run`);
  const result = await planUsers(ports, { campaign, occurrence: job.occurrence, now: run.now }, job.userIds);
  await ports.runs.chunkDone(job.runId, job.index, ports.clock());
  if (result.sends > 0) await ports.queue.deliverSoon();
  return result;
}
