import { dayKey, dayWindow, inWindow } from '../../src/domain/day.js';
import { CATEGORIES } from '../../src/domain/event.js';
import { DEFAULT_SCORING, weightsInHundredths } from '../../src/domain/intent-scoring.js';
import { runDemo, type DemoOptions, type DemoRun } from '../../src/demo/steps.js';
import { ConflictError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { Db } from '../../src/store/connection.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { NOW, anEvent, fixedClock, testConfig } from '../support/factories.js';

const USERS = 200;

let db: Db;
let tf: Tideflow;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock(NOW), scoring: DEFAULT_SCORING });
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

async function demo(app: Tideflow, options: Partial<DemoOptions> = {}): Promise<{ out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const run: DemoRun = {
    ports: { ingest: app.ingest, profiles: app.profiles, demo: app.demo, population: app.population },
    options: { seed: 42, users: USERS, now: NOW, days: 90, reset: false, batchEvents: 2000, ...options },
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    elapsed: () => 0,
    results: {},
  };
  await runDemo(run);
  return { out, err };
}

/** The number printed on the row labelled `label` (rows are `  <label>  <n>  <note>`). */
function printed(lines: string[], label: string): number {
  const line = lines.find((l) => l.trim().startsWith(`${label}  `) && /^\s+\S/.test(l));
  const match = line?.slice(line.indexOf(label) + label.length).match(/^\s+([\d,]+)/);
  if (!match?.[1]) throw new Error(`no row '${label}' in:\n${lines.join('\n')}`);
  return Number(match[1].replace(/,/g, ''));
}

interface StoredEvent {
  userId: string;
  type: string;
  ts: Date;
  category?: string;
  durationSec?: number;
  channel?: string;
}

/** The counts the summary claims, computed from the raw event log instead of the profiles. */
async function countsFromEvents(): Promise<Record<string, number>> {
  const tz = tf.config.TIDEFLOW_TZ;
  const byUser = new Map<string, StoredEvent[]>();
  for await (const e of db.collection<StoredEvent>('events').find({}, { sort: { ts: 1, _id: 1 } })) {
    byUser.set(e.userId, [...(byUser.get(e.userId) ?? []), e]);
  }
  const weights = weightsInHundredths(DEFAULT_SCORING);
  const w14 = dayWindow(NOW, 14, tz);
  const w30 = dayWindow(NOW, 30, tz);
  const c: Record<string, number> = { users: byUser.size };
  const add = (key: string, yes = true): void => {
    if (yes) c[key] = (c[key] ?? 0) + 1;
  };
  for (const events of byUser.values()) {
    const has = (type: string): boolean => events.some((e) => e.type === type);
    add('registered', has('register'));
    add('real-name verified', has('real_name_verified'));
    add('bank card bound', has('bank_card_bound'));
    add('purchased', has('purchase'));
    add('new customers', !has('purchase'));
    const money = events.filter((e) => ['purchase', 'redeem', 'mature'].includes(e.type));
    add('funds redeemed', has('purchase') && money.at(-1)?.type !== 'purchase');
    const recent = events.filter((e) => inWindow(dayKey(e.ts, tz), w14));
    add('active', recent.length > 0);
    add('strong (score > 5)', recent.reduce((s, e) => s + (weights.get(e.type) ?? 0), 0) > 500);
    const month = events.filter((e) => inWindow(dayKey(e.ts, tz), w30));
    const all = month.reduce((s, e) => s + (e.durationSec ?? 0), 0);
    for (const cat of CATEGORIES) {
      const dwell = month
        .filter((e) => e.type === 'view_product_detail' && e.category === cat)
        .reduce((s, e) => s + (e.durationSec ?? 0), 0);
      add(`prefers ${cat}`, all > 0 && dwell / all > 0.4);
    }
    add(events.find((e) => e.type === 'register')?.channel ?? '(unknown)');
  }
  return c;
}

test('seeds through ingest and prints a summary that matches the database', async () => {
  const { out, err } = await demo(tf);
  const events = await db.collection('events').countDocuments();
  expect(out.join('\n')).toContain(`seeded ${USERS} users and ${events.toLocaleString('en-US')} events through ingest`);
  expect(await db.collection('profiles').countDocuments()).toBe(USERS);
  const expected = await countsFromEvents();
  for (const [label, n] of Object.entries(expected)) expect([label, printed(out, label)]).toEqual([label, n]);
  expect(printed(out, 'purchased')).toBeGreaterThan(0);
  expect(printed(out, 'funds redeemed')).toBeGreaterThan(0);
  expect(printed(out, 'strong (score > 5)')).toBeGreaterThan(0);
  expect(out.join('\n')).toMatch(
    /percentile cut-offs: all users p60 ≥ [\d.]+, p80 ≥ [\d.]+; active users p60 ≥ [\d.]+, p80 ≥ [\d.]+/,
  );
  expect(out.at(-1)).toMatch(/^elapsed /);
  expect(err.join('\n')).toContain('seed the synthetic platform');
  // Profiles came with contact points and consent through the profile import path.
  expect(
    await db
      .collection('profiles')
      .countDocuments({ phone: { $exists: true }, 'attributes.riskTolerance': { $exists: true } }),
  ).toBe(USERS);
  expect(await db.collection('profiles').countDocuments({ 'consent.sms.granted': true })).toBeGreaterThan(USERS / 2);
});

test('the same seed and now print the same summary again; a re-run replaces the demo data', async () => {
  const first = await demo(tf, { users: 80 });
  const events = await db.collection('events').countDocuments();
  const second = await demo(tf, { users: 80 });
  expect(second.out).toEqual(first.out);
  expect(await db.collection('events').countDocuments()).toBe(events);
  const other = await demo(tf, { seed: 7, users: 50 });
  expect(other.out).not.toEqual(first.out);
  expect(await db.collection('profiles').countDocuments()).toBe(50);
});

test('refuses a database that holds other data unless told to reset it', async () => {
  const otherDb = await openTestDatabase('demo_guard');
  const app = await openTideflow(testConfig(), { db: otherDb, clock: fixedClock(NOW), scoring: DEFAULT_SCORING });
  try {
    await ingest(app.ingest, [anEvent({ userId: 'real-customer', type: 'purchase', amount: 5000 })]);
    await expect(demo(app, { users: 20 })).rejects.toThrow(ConflictError);
    expect(
      await otherDb
        .collection('profiles')
        .find()
        .map((p) => p._id)
        .toArray(),
    ).toEqual(['real-customer']);
    await demo(app, { users: 20, reset: true });
    expect(await otherDb.collection('profiles').countDocuments({ _id: 'real-customer' } as never)).toBe(0);
    expect(await otherDb.collection('profiles').countDocuments()).toBe(20);
    // Now marked as a demo database: the next run needs no --reset.
    await demo(app, { users: 10 });
    expect(await otherDb.collection('profiles').countDocuments()).toBe(10);
  } finally {
    await app.close();
    await dropTestDatabase(otherDb);
  }
});
