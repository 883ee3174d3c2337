import type { Campaign } from '../domain/campaign.js';
import type { Event } from '../domain/event.js';
import type { CampaignRuntime } from '../wiring/campaigns.js';
import { drainOutbox, runNow } from '../deliver/run-now.js';
import { formatFen, formatTally, tallyLedger, type CampaignTally } from '../decide/campaign-tally.js';
import { evaluateTrigger, scheduleTriggers } from '../decide/evaluate-trigger.js';
import { startLocalProviders, type LocalProviders } from '../receivers/start-receivers.js';
import type { CampaignQueue, TriggerJob } from '../ports/campaign-queue.js';
import type { DemoRun, DemoStep } from './steps.js';

/**
 * The demo's campaign step: the local SMTP server, SMS endpoint and push gateway are started, and
 * every active shipped campaign runs against them: scheduled ones as one occurrence now; triggered
 * ones are launched today: a campaign whose trigger says `backfill` first reaches the users who
 * qualify at launch (one occurrence now), then every one takes the triggering events the seed
 * ingested recently (scheduled by ingest as in production, evaluated when due, sends that fall in
 * quiet hours sent once those are over). Prints per campaign what happened.
 */

/** Evaluations the seed's ingest scheduled, kept for the campaign step instead of a job queue. */
export interface TriggerRecorder {
  /** The ingest hook (IngestPorts.triggers). */
  hook(events: readonly Event[]): Promise<void>;
  jobs: { job: TriggerJob; dueAt: Date }[];
}

export function triggerRecorder(campaigns: () => Promise<CampaignRuntime>, clock: () => Date): TriggerRecorder {
  const jobs: TriggerRecorder['jobs'] = [];
  const queue: CampaignQueue = {
    chunk: () => Promise.reject(new Error('the demo plans chunks inline')),
    trigger: async (job, dueAt) => {
      jobs.push({ job, dueAt });
    },
    deliverSoon: () => Promise.resolve(),
  };
  return {
    jobs,
    async hook(events) {
      await scheduleTriggers({ campaigns: (await campaigns()).campaigns, queue, clock }, events);
    },
  };
}

/** Local providers started for the step, and how to wait for what they still do (delivery reports). */
export interface StepProviders {
  providers: LocalProviders;
  /** Their addresses as environment variables (see `runtime`). */
  env: Record<string, string>;
  /** Resolves once what they received is kept and every delivery report is answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface CampaignStepPorts {
  /** The campaign runtime with its channels pointed at the providers `env` describes. */
  runtime(env: Record<string, string>): Promise<CampaignRuntime>;
  /**
   * Starts the local providers (the CLI's demo: the sandbox, which keeps the messages and reports
   * delivery back). @defaultValue the bare local providers, reporting nothing
   */
  providers?: () => Promise<StepProviders>;
  triggers: TriggerRecorder;
}

/** Quiet hours last at most this long: sends they postpone are due by then. */
const QUIET_HOURS_MAX_MS = 24 * 3_600_000;

/**
 * Launches a triggered campaign: with `backfill`, one occurrence now over its audience; then each recorded trigger
 * evaluated when it is due (the demo's now, or later) and its send sent then; last, the sends
 * quiet hours postponed.
 */
async function runTriggered(
  rt: CampaignRuntime,
  c: Campaign,
  jobs: readonly { job: TriggerJob; dueAt: Date }[],
  now: Date,
): Promise<CampaignTally> {
  if (c.trigger?.backfill) await runNow(rt, c.id);
  let last = now;
  for (const { job, dueAt } of jobs.filter((j) => j.job.campaignId === c.id)) {
    const at = new Date(Math.max(now.getTime(), dueAt.getTime()));
    if (at > last) last = at;
    await evaluateTrigger({ ...rt.run, clock: () => at, queue: noQueue }, job);
    await drainOutbox({ ...rt.deliver, clock: () => at });
  }
  await drainOutbox({ ...rt.deliver, clock: () => new Date(last.getTime() + QUIET_HOURS_MAX_MS) });
  return tallyLedger(c.id, undefined, await rt.ledger.counts(c.id), await rt.budgets.get(c.id));
}

const noQueue: CampaignQueue = {
  chunk: () => Promise.reject(new Error('no chunks for a trigger')),
  trigger: () => Promise.reject(new Error('no triggers from a trigger')),
  deliverSoon: () => Promise.resolve(),
};

function printCampaign(run: DemoRun, c: Campaign, how: string, tally: CampaignTally): void {
  run.io.out('');
  run.io.out(`${c.id}  ${c.name} (${how})`);
  for (const line of formatTally(tally)) run.io.out(line);
}

async function bareProviders(): Promise<StepProviders> {
  const providers = await startLocalProviders();
  return { providers, env: providers.env, settled: () => Promise.resolve(), close: () => providers.close() };
}

export function campaignStep(ports: CampaignStepPorts): DemoStep {
  return {
    name: 'run the campaigns',
    async run(run) {
      const local = await (ports.providers ?? bareProviders)();
      const { providers } = local;
      try {
        const rt = await ports.runtime(local.env);
        // Higher priority first, as an operator sequences a day: later ones meet the caps it left.
        const campaigns = (await rt.campaigns.list())
          .filter((c) => c.status === 'active')
          .sort((a, b) => b.priority - a.priority);
        run.io.out('');
        run.io.out(
          `campaigns, against the local SMTP server, SMS endpoint and push gateway (${campaigns.length} active):`,
        );
        let cost = 0;
        for (const c of campaigns) {
          const started = run.elapsed();
          const tally = c.schedule
            ? (await runNow(rt, c.id)).tally
            : await runTriggered(rt, c, ports.triggers.jobs, run.options.now);
          printCampaign(
            run,
            c,
            c.schedule
              ? 'one scheduled occurrence now'
              : `${c.trigger?.backfill ? 'launched now, then ' : ''}${c.trigger?.event ?? 'trigger'} events of the seed`,
            tally,
          );
          cost += tally.messageCostFen + tally.incentiveFen;
          run.io.err(`  ${c.id}: ${tally.matched} decided in ${((run.elapsed() - started) / 1000).toFixed(1)} s`);
        }
        await local.settled();
        const received =
          providers.smtp.received.length + providers.sms.received.length + providers.push.received.length;
        run.io.out('');
        run.io.out(
          `received by the local providers: ${providers.sms.received.length} SMS, ${providers.push.received.length} push, ${providers.smtp.received.length} email (${received} in all); cost ${formatFen(cost)} yuan with incentives`,
        );
      } finally {
        await local.close();
      }
    },
  };
}
