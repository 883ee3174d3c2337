import type { Config } from './config/config.js';
import type { DemoStore } from './ports/demo-store.js';
import {
  campaignRuntime,
  loadCampaignSources,
  type CampaignRuntime,
  type CampaignSources,
} from './wiring/campaigns.js';
import { linkSecretOf, outcomeRuntime, type OutcomeRuntime } from './wiring/outcomes.js';
import type { Channels } from './ports/channel.js';
import type { Scoring } from './domain/intent-scoring.js';
import { recoverPendingIngest, type IngestPorts } from './ingest/ingest.js';
import { createRankCache } from './evaluate/rank-table.js';
import type { PopulationSummaryPorts } from './metrics/population-summary.js';
import type { PrunePorts } from './metrics/prune-buckets.js';
import { createLogger, type Logger } from './logger.js';
import type { AccessPorts } from './ports/access-ports.js';
import type { EvaluatePorts } from './ports/evaluate-ports.js';
import type { Clock } from './ports/clock.js';
import type { EventLog } from './ports/event-log.js';
import type { ProfilePorts } from './ingest/profile-records.js';
import type { ProfileStore } from './ports/profile-store.js';
import { loadRuleSet, type RuleSet } from './rules/rule-set.js';
import { loadScoring } from './rules/scoring-loader.js';
import { createAccessPorts } from './store/access-store.js';
import { openDatabase, pingDatabase, type Db } from './store/connection.js';
import { createDemoStore } from './store/demo-store.js';
import { createEventLog } from './store/event-log.js';
import { ensureIndexes } from './store/models/index.js';
import { createProfileScan } from './store/profile-scan.js';
import { createProfileStore } from './store/profile-store.js';
import { readIngestMarker, type IngestMarker } from './store/newest-event.js';
import { createSegmentReader } from './store/segment-queries.js';

/**
 * The composition root: configuration → connection → adapters → the ports each verb takes.
 * CLI commands, the API and tests all start here; nothing else opens connections or reads the
 * clock.
 */
export interface Tideflow {
  config: Config;
  db: Db;
  clock: Clock;
  /** Structured logs (LOG_LEVEL, LOG_JSON); add context with `log.child`. */
  log: Logger;
  /** rules/scoring.json, loaded and validated once. */
  scoring: Scoring;
  events: EventLog;
  profiles: ProfileStore;
  ingest: IngestPorts;
  profile: ProfilePorts;
  prune: PrunePorts;
  /** Segment evaluation: rules/segments (checked when opening) over the profiles. */
  segments: EvaluatePorts;
  /** Population counts (lifecycle, intent, preference, channels) over a profile cursor. */
  population: PopulationSummaryPorts;
  /** The demo database marker and reset (`tideflow demo`). */
  demo: DemoStore;
  /**
   * Campaign execution (ledger, planning, delivery, simulation), composed on first use: loading
   * and checking the campaign files, products and templates, and setting up the channels.
   */
  campaigns(): Promise<CampaignRuntime>;
  /** Outcome tracking (webhooks, signed links, conversions) and reports. */
  outcomes: OutcomeRuntime;
  /** API keys and the audit log. */
  access: AccessPorts;
  /** The newest event stored and the latest ingest (one lookup of a marker ingest keeps); undefined when none is recorded. */
  ingestMarker(): Promise<IngestMarker | undefined>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  /** Closes what this instance opened. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** @defaultValue `() => new Date()` */
  clock?: Clock;
  /** Use this connection instead of opening one (tests); `close()` leaves it open. */
  db?: Db;
  /** Use these settings instead of loading rules/scoring.json. */
  scoring?: Scoring;
  /** Use these segments instead of loading rules/segments. */
  rules?: RuleSet;
  /** Use these campaigns, products and templates instead of loading them. */
  campaigns?: CampaignSources;
  /** Use these channels instead of the configured ones. */
  channels?: Channels;
  /** @defaultValue a logger on stderr made from the configuration */
  log?: Logger;
}

/**
 * Opens Tideflow: loads the scoring rules, opens the database (MONGODB_URI, or the embedded server
 * started on demand), ensures indexes and re-applies ingest batches a crash left pending.
 */
export async function openTideflow(config: Config, opts: OpenOptions = {}): Promise<Tideflow> {
  const scoring = opts.scoring ?? (await loadScoring(config.TIDEFLOW_RULES_DIR));
  const rules = opts.rules ?? (await loadRuleSet(config.TIDEFLOW_RULES_DIR));
  const db = opts.db ?? (await openDatabase(config));
  let runtime: Promise<CampaignRuntime> | undefined;
  const close = async (): Promise<void> => {
    if (runtime) await (await runtime.catch(() => undefined))?.close();
    if (!opts.db) await db.close();
  };
  try {
    await ensureIndexes(db);
    const secret = await linkSecretOf(config);
    const clock = opts.clock ?? ((): Date => new Date());
    const log = opts.log ?? createLogger(config);
    const tz = config.TIDEFLOW_TZ;
    const events = createEventLog(db);
    const profiles = createProfileStore(db);
    const ingest: IngestPorts = { events, profiles, clock, scoring, tz };
    await recoverPendingIngest(ingest);
    const segments: EvaluatePorts = {
      reader: createSegmentReader(db),
      rules: { ...rules, scoring },
      clock,
      tz,
      ranks: createRankCache(),
    };
    const campaigns = (): Promise<CampaignRuntime> =>
      (runtime ??= (async () =>
        campaignRuntime({
          config,
          db,
          clock,
          log,
          segments,
          sources: opts.campaigns ?? (await loadCampaignSources(config, segments.rules)),
          ...(opts.channels ? { channels: opts.channels } : {}),
          links: outcomes.links,
        }))());
    const outcomes = outcomeRuntime({
      config,
      db,
      clock,
      ingest,
      profiles,
      secret,
      campaigns: async () => (await campaigns()).campaigns,
    });
    return {
      config,
      db,
      clock,
      log,
      scoring,
      events,
      profiles,
      ingest,
      profile: { profiles, clock, scoring, tz },
      prune: { profiles, clock, retentionDays: scoring.retentionDays, tz },
      segments,
      population: { profiles: createProfileScan(db), scoring, tz },
      demo: createDemoStore(db),
      campaigns,
      outcomes,
      access: createAccessPorts(db, clock),
      ingestMarker: () => readIngestMarker(db),
      ping: () => pingDatabase(db),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
