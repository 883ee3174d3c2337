import type { Campaign } from '../domain/campaign.js';
import { loadCampaignSources, type CampaignRuntime } from '../wiring/campaigns.js';
import { openTideflow, type Tideflow } from '../main.js';
import type { Channel } from '../ports/channel.js';
import type { DeliverPorts } from '../deliver/outbox.js';
import { drainOutbox, inlineQueue } from '../deliver/run-now.js';
import { planManual } from '../decide/plan-occurrence.js';
import { type CampaignTally, tallyLedger } from '../decide/campaign-tally.js';
import { loadRuleSet } from '../rules/rule-set.js';
import { nativeDb } from '../store/collections.js';
import type { Db } from '../store/connection.js';
import { ensureIndexes } from '../store/models/index.js';
import { BENCH_NOW, RULES_DIR, benchConfig } from './setup.js';
import { timed } from './measure.js';
import { timedPorts, type PortTime } from './timed-ports.js';

/**
 * The campaign the throughput benchmark runs: the shipped blanket red packet (every registered
 * user, SMS then push then email, a 20-yuan red packet with its budget charged and its grant
 * issued, 10% holdout). Budget caps are lifted so that the budget never stops a run early.
 */
export const BENCH_CAMPAIGN = 'blanket-red-packet';
/**
 * The campaign the memory benchmark runs at every tier: the shipped first purchase (new users with
 * intent, about 4.6% of the population; SMS, push or email with a red packet; budget cap lifted),
 * so its audience and its sends grow with the population. The weekly picks (the top 20% by intent)
 * do not fit the embedded server at 1m: its ledger queries scan every delivery once per planning
 * chunk, and 137,500 of the 200,000 users were planned after 20 minutes.
 */
export const SCALING_CAMPAIGN = 'first-purchase';

/** Collections a campaign run writes; dropped between repetitions so each starts with an empty ledger. */
const LEDGER_COLLECTIONS = ['deliveries', 'grants', 'budgets', 'campaign_runs', 'campaign_status'];

export interface CampaignWorld {
  tf: Tideflow;
  rt: CampaignRuntime;
  campaign: Campaign;
  close(): Promise<void>;
}

/** Tideflow over `db` with its channels pointed at the local providers (`env`), and one shipped campaign, active. */
export async function openCampaignWorld(
  db: Db,
  env: Record<string, string>,
  campaignId = BENCH_CAMPAIGN,
): Promise<CampaignWorld> {
  const config = benchConfig(env);
  const rules = await loadRuleSet(RULES_DIR);
  const sources = await loadCampaignSources(config, rules);
  const shipped = sources.campaigns.find((c) => c.id === campaignId);
  if (!shipped) throw new Error(`rules/campaigns/${campaignId}.json is needed`);
  const campaign: Campaign = {
    ...shipped,
    status: 'active',
    ...(shipped.budget ? { budget: { ...shipped.budget, cap: 1e9 } } : {}),
  };
  const tf = await openTideflow(config, {
    db,
    clock: () => new Date(BENCH_NOW),
    rules,
    scoring: rules.scoring,
    campaigns: { ...sources, campaigns: [campaign] },
  });
  const rt = await tf.campaigns();
  return { tf, rt, campaign, close: () => tf.close() };
}

export async function resetLedger(db: Db): Promise<void> {
  const native = nativeDb(db);
  const present = new Set((await native.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of LEDGER_COLLECTIONS) if (present.has(name)) await native.collection(name).drop();
  await ensureIndexes(db);
}

export interface CampaignRunTimes {
  planMs: number;
  deliverMs: number;
  tally: CampaignTally;
  sent: number;
}

/** The run's ports, with the stores and channels timed into `times` when given. */
function portsOf(
  w: CampaignWorld,
  times?: Record<string, PortTime>,
): { run: CampaignRuntime['run']; deliver: DeliverPorts } {
  const { run, deliver } = w.rt;
  if (!times) return { run, deliver };
  const t = timedPorts(
    {
      ledger: deliver.ledger,
      grants: deliver.grants,
      budgets: w.rt.budgets,
      runs: w.rt.runs,
      profiles: run.profiles,
      sendingProfiles: deliver.profiles,
    },
    times,
  );
  const channels = timedPorts(w.rt.channels as Record<string, Channel>, times);
  return {
    run: { ...run, ledger: t.ledger, budgets: t.budgets, runs: t.runs, profiles: t.profiles },
    deliver: {
      ...deliver,
      ledger: t.ledger,
      grants: t.grants,
      budgets: t.budgets,
      profiles: t.sendingProfiles,
      channels,
    },
  };
}

/**
 * `runNow`'s steps, timed apart: plan every chunk (sweep, gates, ledger), then drain the outbox
 * (claims, charges, grants, sends). With `times`, the time in each store and channel call adds up there.
 */
export async function timedRun(w: CampaignWorld, times?: Record<string, PortTime>): Promise<CampaignRunTimes> {
  const ports = portsOf(w, times);
  let occurrence = '';
  const planMs = await timed(async () => {
    occurrence = (await planManual({ ...ports.run, queue: inlineQueue(ports.run) }, w.campaign.id)).occurrence;
  });
  const deliverMs = await timed(() => drainOutbox(ports.deliver));
  const tally = tallyLedger(
    w.campaign.id,
    occurrence,
    await w.rt.ledger.counts(w.campaign.id, occurrence),
    await w.rt.budgets.get(w.campaign.id),
  );
  return { planMs, deliverMs, tally, sent: Object.values(tally.sent).reduce((a, b) => a + b, 0) };
}
