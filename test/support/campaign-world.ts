// A campaign test world: a fresh database, the three local receivers, Tideflow opened over them
// with a movable clock, the shipped segments, products and templates, and factories for users.
import { Campaign, type CampaignInput } from '../../src/domain/campaign.js';
import type { Delivery } from '../../src/domain/delivery.js';
import type { EventInput } from '../../src/domain/event.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { CampaignRuntime } from '../../src/wiring/campaigns.js';
import { ingest } from '../../src/ingest/ingest.js';
import { parseProfileRecords } from '../../src/ingest/profile-records.js';
import { loadTemplates } from '../../src/deliver/templates.js';
import { startLocalProviders, type LocalProviders } from '../../src/receivers/start-receivers.js';
import { loadCampaigns, loadProducts } from '../../src/rules/campaign-loader.js';
import { loadRuleSet } from '../../src/rules/rule-set.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from './test-db.js';
import { NOW, testConfig } from './factories.js';

export type Receivers = LocalProviders;

/** The local providers, with the channel timeout short enough for tests of lost answers. */
export async function startReceivers(): Promise<Receivers> {
  const providers = await startLocalProviders();
  return { ...providers, env: { ...providers.env, TIDEFLOW_CHANNEL_TIMEOUT_MS: '2000' } };
}

/** An instant that tests move forward. */
export interface TestClock {
  (): Date;
  set(at: Date | string): void;
  advance(ms: number): void;
}

/** The real clock, for tests whose jobs Agenda schedules in real time. */
export function realClock(): TestClock {
  const clock = (() => new Date()) as TestClock;
  const refuse = (): never => {
    throw new Error('the real clock cannot be set');
  };
  clock.set = refuse;
  clock.advance = refuse;
  return clock;
}

export function testClock(at: Date = NOW): TestClock {
  let now = new Date(at);
  const clock = (() => new Date(now)) as TestClock;
  clock.set = (t) => {
    now = new Date(t);
  };
  clock.advance = (ms) => {
    now = new Date(now.getTime() + ms);
  };
  return clock;
}

export interface World {
  db: Db;
  tf: Tideflow;
  rt: CampaignRuntime;
  clock: TestClock;
  receivers: Receivers;
  close(): Promise<void>;
}

/** A campaign for tests: active, on the `registered` segment, templates of the shipped weekly picks. */
export function testCampaign(overrides: Partial<CampaignInput> = {}): Campaign {
  return Campaign.parse({
    id: 'test-picks',
    name: 'Test picks',
    segment: 'registered',
    schedule: { cron: '0 10 * * 5', timezone: 'Asia/Shanghai' },
    channels: ['push', 'email'],
    template: 'weekly-picks',
    product: { fallbackCategory: 'money' },
    status: 'active',
    ...overrides,
  });
}

export interface WorldOptions {
  /** Campaigns in play; the shipped ones when absent. */
  campaigns?: Campaign[];
  env?: Record<string, string>;
  label?: string;
  /** @defaultValue a test clock at NOW */
  clock?: TestClock;
  /** A database on another server (dropped on close like the default one). @defaultValue a fresh test database */
  db?: Db;
}

/** Opens a world; close it in afterAll/afterEach. */
export async function openWorld(opts: WorldOptions = {}): Promise<World> {
  const db = opts.db ?? (await openTestDatabase(opts.label ?? 'campaign'));
  const receivers = await startReceivers();
  const clock = opts.clock ?? testClock();
  const rules = await loadRuleSet('rules');
  const products = await loadProducts('rules');
  const templates = await loadTemplates('templates');
  const campaigns =
    opts.campaigns ??
    (await loadCampaigns('rules', { scoring: rules.scoring, segmentIds: new Set(rules.segments.keys()), products }));
  const config = testConfig({ ...receivers.env, TIDEFLOW_SEND_LEASE_MS: '5000', ...opts.env });
  const tf = await openTideflow(config, {
    db,
    clock,
    rules,
    scoring: rules.scoring,
    campaigns: { campaigns, products, templates },
  });
  const rt = await tf.campaigns();
  return {
    db,
    tf,
    rt,
    clock,
    receivers,
    close: async () => {
      await tf.close();
      await receivers.close();
      await dropTestDatabase(db);
    },
  };
}

const GRANTED = { granted: true, at: '2026-01-01T00:00:00Z', source: 'signup' };

export interface UserSpec {
  id: string;
  /** Channels with consent given; the others have none. @defaultValue all three */
  consent?: ('sms' | 'email' | 'push')[];
  /** Channels with consent withdrawn. */
  withdrawn?: ('sms' | 'email' | 'push')[];
  timezone?: string;
  riskTolerance?: string;
  /** Contact points to leave out. */
  without?: ('phone' | 'email' | 'pushToken')[];
  /** Events besides the `register` every user gets. */
  events?: Partial<EventInput>[];
}

/** Users with contact points, consent and behaviour, written through the same parsing and ingest as imports. */
export async function seedUsers(w: World, users: readonly UserSpec[]): Promise<void> {
  const records = users.map((u, i) => {
    const consent: Record<string, unknown> = {};
    for (const ch of u.consent ?? ['sms', 'email', 'push']) consent[ch] = GRANTED;
    for (const ch of u.withdrawn ?? []) consent[ch] = { ...GRANTED, granted: false, at: '2026-06-01T00:00:00Z' };
    const contact: Record<string, string> = {
      phone: `+86138${String(10_000_000 + i).slice(-8)}`,
      email: `${u.id}@example.com`,
      pushToken: `push-token-${u.id}`,
    };
    for (const k of u.without ?? []) delete contact[k];
    return {
      userId: u.id,
      ...contact,
      consent,
      timezone: u.timezone ?? 'Asia/Shanghai',
      ...(u.riskTolerance ? { attributes: { riskTolerance: u.riskTolerance } } : {}),
    };
  });
  await w.tf.profiles.updateMany(parseProfileRecords(records), w.clock());
  let n = 0;
  const events = users.flatMap((u) => [
    { id: `${u.id}-register`, userId: u.id, type: 'register', ts: '2026-10-01T09:00:00+08:00' },
    ...(u.events ?? []).map((e) => ({
      id: `${u.id}-e${n++}`,
      userId: u.id,
      type: 'app_open',
      ts: '2026-11-19T09:00:00+08:00',
      ...e,
    })),
  ]);
  await ingest(w.tf.ingest, events);
}

/** Browsing that makes a user prefer `category` (and scores some intent). */
export function browsing(category: string, days = 3): Partial<EventInput>[] {
  return Array.from({ length: days }, (_, i) => ({
    type: 'view_product_detail',
    category: category as EventInput['category'],
    durationSec: 120,
    ts: `2026-11-${String(19 - i).padStart(2, '0')}T09:00:00+08:00`,
  }));
}

/** The ledger of a campaign by user id. */
export async function ledgerOf(w: World, campaignId: string): Promise<Map<string, Delivery>> {
  const rows = await deliveriesCollection(w.db).find({ campaignId }).toArray();
  return new Map(rows.map((d) => [d.userId, d]));
}
