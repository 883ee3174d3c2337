import { join } from 'node:path';
import { z } from 'zod';
import { createChannels } from '../channels/create-channels.js';
import { ChannelEnv } from '../config/channels-env.js';
import type { Config } from '../config/config.js';
import { toFen } from '../domain/budget.js';
import type { Campaign } from '../domain/campaign.js';
import { DEFAULT_LIMITS } from '../domain/campaign-limits.js';
import type { Event } from '../domain/event.js';
import type { Policy } from '../domain/gates.js';
import type { ProductCatalog } from '../domain/product.js';
import type { Channel } from '../domain/profile.js';
import { ConfigError } from '../errors.js';
import { createJobClient, startWorker, type JobClient, type Worker } from '../jobs/worker.js';
import type { Channels } from '../ports/channel.js';
import type { DeliverPorts } from '../deliver/outbox.js';
import { plainLinks, type MessageLinks } from '../deliver/build-message.js';
import type { RunPorts } from '../decide/plan-occurrence.js';
import { sweepAudience } from '../evaluate/campaign-audience.js';
import { campaignDirectory, type CampaignDirectory } from '../decide/campaign-directory.js';
import type { SimulatePorts } from '../deliver/simulate-campaign.js';
import { checkCampaignTemplate, loadTemplates, type TemplateSet } from '../deliver/templates.js';
import { scheduleTriggers } from '../decide/evaluate-trigger.js';
import { loadCampaigns, loadProducts } from '../rules/campaign-loader.js';
import type { RuleSet } from '../rules/rule-set.js';
import { createBudgetStore } from '../store/budgets.js';
import { createContactCaps } from '../store/contact-caps.js';
import { createCampaignRunStore, createCampaignStatusStore } from '../store/campaign-runs.js';
import type { Db } from '../store/connection.js';
import { createDeliveryLedger } from '../store/deliveries.js';
import { createGrantStore } from '../store/grants.js';
import { createProfileBatch } from '../store/ledger-profiles.js';
import type { Clock } from '../ports/clock.js';
import type { BudgetStore } from '../ports/budget-store.js';
import type { CampaignQueue } from '../ports/campaign-queue.js';
import type { CampaignRunStore } from '../ports/campaign-run-store.js';
import type { DeliveryLedger } from '../ports/delivery-ledger.js';
import type { GrantStore } from '../ports/grant-store.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';
import type { Logger } from '../logger.js';

/** What campaigns are made of: the campaign files, the product catalog and the templates, checked together. */
export interface CampaignSources {
  campaigns: Campaign[];
  products: ProductCatalog;
  templates: TemplateSet;
}

/** Loads and checks rules/campaigns, rules/products.json and the templates; the first problem throws. */
export async function loadCampaignSources(config: Config, rules: RuleSet): Promise<CampaignSources> {
  const products = await loadProducts(config.TIDEFLOW_RULES_DIR);
  const templates = await loadTemplates(config.TIDEFLOW_TEMPLATES_DIR);
  const campaigns = await loadCampaigns(config.TIDEFLOW_RULES_DIR, {
    scoring: rules.scoring,
    segmentIds: new Set(rules.segments.keys()),
    products,
    checkTemplates: (c) => checkCampaignTemplate(templates, c),
  });
  return { campaigns, products, templates };
}

/** Campaign execution, composed: the stores, and the ports of each campaign verb. */
export interface CampaignRuntime {
  campaigns: CampaignDirectory;
  ledger: DeliveryLedger;
  grants: GrantStore;
  budgets: BudgetStore;
  runs: CampaignRunStore;
  channels: Channels;
  /** Planning and running, all but the queue (a worker's, or an inline one). */
  run: Omit<RunPorts, 'queue'>;
  deliver: DeliverPorts;
  simulate: SimulatePorts;
  /** The composition root's logger: workers over this runtime log through it. */
  log: Logger;
  /** The ingest hook scheduling triggered evaluations on `queue`. */
  triggers(queue: CampaignQueue): (events: readonly Event[]) => Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeDeps {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  segments: EvaluatePorts;
  sources: CampaignSources;
  /** @defaultValue the channels the configuration sets up */
  channels?: Channels;
  /** Links messages carry (signed ones from the outcomes stage). @defaultValue unsigned links to TIDEFLOW_PUBLIC_URL */
  links?: MessageLinks;
}

/**
 * Channels for providers other than the configured ones (the demo's local providers): `env` holds
 * their addresses as environment variables; costs and timeouts stay the configuration's.
 */
export function channelsFor(config: Config, env: Record<string, string>): Channels {
  // Only the variables `env` sets are parsed: defaults must not replace the configuration's values.
  const given = Object.entries(ChannelEnv).filter(([k]) => k in env);
  return createChannels({ ...config, ...z.object(Object.fromEntries(given)).parse(env) });
}

/** The runtime with its sends routed over `channels` (closing it leaves them open). */
export function withChannels(rt: CampaignRuntime, channels: Channels): CampaignRuntime {
  const names = Object.keys(channels) as Channel[];
  return {
    ...rt,
    channels,
    run: { ...rt.run, channels: names },
    deliver: { ...rt.deliver, channels },
    simulate: { ...rt.simulate, channels: names },
    close: () => Promise.resolve(),
  };
}

/** Message costs from the configuration; the platform's default limits. */
export function policyOf(config: Config): Policy {
  return {
    limits: DEFAULT_LIMITS,
    messageCostFen: {
      sms: toFen(config.TIDEFLOW_SMS_COST),
      email: toFen(config.TIDEFLOW_EMAIL_COST),
      push: toFen(config.TIDEFLOW_PUSH_COST),
    },
  };
}

/**
 * Starts a job worker over the runtime (`tideflow work`, `tideflow serve`): the jobs collection
 * lives in the same database; jobs log through the runtime's logger, and their failures are also
 * handed to `report` when given.
 */
export function startCampaignWorker(
  config: Config,
  db: Db,
  rt: CampaignRuntime,
  report?: (err: unknown) => void,
): Promise<Worker> {
  if (!db.db) throw new Error('database connection is not open');
  return startWorker(
    { db: db.db, run: rt.run, deliver: rt.deliver, log: rt.log, ...(report ? { report } : {}) },
    {
      processEveryMs: config.TIDEFLOW_JOB_POLL_MS,
      lockLifetimeMs: config.TIDEFLOW_JOB_LOCK_MS,
      deliverEveryMs: config.TIDEFLOW_OUTBOX_EVERY_MS,
    },
  );
}

/**
 * A job client that schedules without running jobs (`tideflow import`): triggered evaluations it
 * queues run on whichever worker (`tideflow work` / `serve`) is up.
 */
export function openCampaignJobClient(config: Config, db: Db): JobClient {
  if (!db.db) throw new Error('database connection is not open');
  return createJobClient(db.db, {
    processEveryMs: config.TIDEFLOW_JOB_POLL_MS,
    lockLifetimeMs: config.TIDEFLOW_JOB_LOCK_MS,
  });
}

export function campaignRuntime(deps: RuntimeDeps): CampaignRuntime {
  const { config, db, clock, sources } = deps;
  if (config.TIDEFLOW_SEND_LEASE_MS <= config.TIDEFLOW_CHANNEL_TIMEOUT_MS) {
    throw new ConfigError(
      'TIDEFLOW_SEND_LEASE_MS must be longer than TIDEFLOW_CHANNEL_TIMEOUT_MS: a lease may run out only after the provider call gave up',
    );
  }
  const channels = deps.channels ?? createChannels(config);
  const stores = {
    ledger: createDeliveryLedger(db),
    grants: createGrantStore(db),
    budgets: createBudgetStore(db),
    runs: createCampaignRunStore(db),
    profiles: createProfileBatch(db),
    contactCaps: createContactCaps(db),
  };
  const campaigns = campaignDirectory(
    sources.campaigns,
    createCampaignStatusStore(db),
    join(config.TIDEFLOW_RULES_DIR, 'campaigns'),
  );
  const decide = {
    scoring: deps.segments.rules.scoring,
    tz: config.TIDEFLOW_TZ,
    policy: policyOf(config),
    products: () => sources.products,
    channels: Object.keys(channels) as Channel[],
  };
  const message = {
    templates: sources.templates,
    links: deps.links ?? plainLinks(config.TIDEFLOW_PUBLIC_URL),
    appUrl: config.TIDEFLOW_APP_URL,
    riskNotice: sources.products.riskNotice,
    ...(config.TIDEFLOW_SMS_SIGNATURE ? { smsSignature: config.TIDEFLOW_SMS_SIGNATURE } : {}),
  };
  const audience = sweepAudience(deps.segments);
  const run = { ...decide, ...stores, campaigns, audience, clock, chunkSize: config.TIDEFLOW_CHUNK_SIZE };
  const deliver: DeliverPorts = {
    ...message,
    ...stores,
    channels,
    campaigns,
    clock,
    policy: decide.policy,
    retry: {
      maxAttempts: config.TIDEFLOW_SEND_ATTEMPTS,
      baseDelayMs: config.TIDEFLOW_RETRY_DELAY_MS,
      maxDelayMs: 30 * 60_000,
    },
    leaseMs: config.TIDEFLOW_SEND_LEASE_MS,
    concurrency: config.TIDEFLOW_SEND_CONCURRENCY,
    sendTimeoutMs: config.TIDEFLOW_CHANNEL_TIMEOUT_MS,
    profiles: createProfileBatch(db, { withoutBuckets: true }),
  };
  return {
    ...stores,
    campaigns,
    channels,
    run,
    deliver,
    simulate: { ...decide, ...message, ...stores, campaigns, audience, clock },
    log: deps.log,
    triggers: (queue) => (events) => scheduleTriggers({ campaigns, queue, clock }, events).then(() => undefined),
    close: async () => {
      await Promise.all(Object.values(channels).map((ch) => ch.close()));
    },
  };
}
