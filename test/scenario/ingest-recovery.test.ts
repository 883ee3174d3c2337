import { randomUUID } from 'node:crypto';
import { Event, type EventInput } from '../../src/domain/event.js';
import { oldestRetainedDay } from '../../src/domain/windowed-metrics.js';
import { ingest, recoverPendingIngest } from '../../src/ingest/ingest.js';
import { profileDeltas } from '../../src/domain/profile-delta.js';
import type { Db } from '../../src/store/connection.js';
import { APPLIED_BATCHES_KEPT } from '../../src/store/profile-updates.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { NOW, anEvent, fixedClock, testConfig } from '../support/factories.js';

let db: Db;
let tf: Tideflow;

beforeAll(async () => {
  db = await openTestDatabase('ingest_recovery');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

/** Two users, five events: a.app_open ×2, a.purchase 500, b.click_submit, b.redeem 200. */
function batchOf(tag: string): EventInput[] {
  return [
    anEvent({ userId: `${tag}_a` }),
    anEvent({ userId: `${tag}_a` }),
    anEvent({ userId: `${tag}_a`, type: 'purchase', amount: 500 }),
    anEvent({ userId: `${tag}_b`, type: 'click_submit' }),
    anEvent({ userId: `${tag}_b`, type: 'redeem', amount: 200 }),
  ];
}

const STEPS = ['journal', 'store', 'first-profile', 'all-profiles'] as const;

/** Runs an ingest up to a crash point: after journaling, storing events, or some profile updates. */
async function crashAfter(step: (typeof STEPS)[number], inputs: EventInput[]): Promise<void> {
  const events = inputs.map((e) => Event.parse(e));
  const batchId = randomUUID();
  await tf.events.journal(batchId, events, NOW);
  if (step === 'journal') return;
  const { own } = await tf.events.store(batchId, events, NOW);
  if (step === 'store') return;
  const deltas = profileDeltas(own, {
    tz: tf.config.TIDEFLOW_TZ,
    oldestRetainedDay: oldestRetainedDay(NOW, 90, tf.config.TIDEFLOW_TZ),
  });
  await tf.profiles.applyDeltas(batchId, step === 'first-profile' ? deltas.slice(0, 1) : deltas, NOW);
}

async function expectCountedOnce(tag: string): Promise<void> {
  const a = await tf.profiles.get(`${tag}_a`);
  const b = await tf.profiles.get(`${tag}_b`);
  expect(a?.buckets?.['2026-11-20']?.n).toEqual({ app_open: 2, purchase: 1 });
  expect(a?.lifecycle).toMatchObject({ purchaseCount: 1, totalPurchased: 500, fundsRedeemed: false });
  expect(b?.buckets?.['2026-11-20']?.n).toEqual({ click_submit: 1, redeem: 1 });
  expect(b?.lifecycle).toMatchObject({ totalRedeemed: 200, fundsRedeemed: true });
  expect(await db.collection('events').countDocuments({ userId: { $in: [`${tag}_a`, `${tag}_b`] } })).toBe(5);
  expect(await db.collection('ingest_batches').countDocuments()).toBe(0);
}

test.each(STEPS)('killed after %s: recovery applies the batch exactly once', async (step) => {
  const tag = `rec_${step}`;
  await crashAfter(step, batchOf(tag));
  expect(await recoverPendingIngest(tf.ingest)).toBe(1);
  await expectCountedOnce(tag);
  expect(await recoverPendingIngest(tf.ingest)).toBe(0);
  await expectCountedOnce(tag);
});

test.each(STEPS)("killed after %s: the client's replay completes it exactly once", async (step) => {
  const tag = `replay_${step}`;
  const batch = batchOf(tag);
  await crashAfter(step, batch);
  // Killed before its events were stored, the batch is new to the replay; after, all are replays.
  expect(await ingest(tf.ingest, batch)).toEqual(
    step === 'journal' ? { accepted: 5, duplicates: 0 } : { accepted: 0, duplicates: 5 },
  );
  // The journal entry of a batch killed before storing is finished by the next recovery, as a no-op.
  await recoverPendingIngest(tf.ingest);
  await expectCountedOnce(tag);
  expect(await ingest(tf.ingest, batch)).toEqual({ accepted: 0, duplicates: 5 });
  await expectCountedOnce(tag);
});

test('startup recovers what a crashed process left pending', async () => {
  await crashAfter('store', batchOf('startup'));
  const restarted = await openTideflow(testConfig(), { db, clock: fixedClock() });
  await expectCountedOnce('startup');
  await restarted.close();
});

test('a recovery running while the original writer is still at work counts every event once', async () => {
  const events = batchOf('overlap').map((e) => Event.parse(e));
  const batchId = randomUUID();
  await tf.events.journal(batchId, events, NOW);
  // The recovery stores and applies the batch between the writer's journal and store steps.
  expect(await recoverPendingIngest(tf.ingest)).toBe(1);
  const { own, duplicates } = await tf.events.store(batchId, events, NOW);
  expect([own.length, duplicates]).toEqual([5, 0]);
  const deltas = profileDeltas(own, { tz: tf.config.TIDEFLOW_TZ, oldestRetainedDay: '2026-08-23' });
  expect(await tf.profiles.applyDeltas(batchId, deltas, NOW)).toEqual({ updated: 0, alreadyApplied: 2 });
  await expectCountedOnce('overlap');
});

// The race needs a server that runs upserts concurrently (real MongoDB); the embedded one serialises them.
test('concurrent batches for a new user are all applied (an upsert race is not mistaken for a replay)', async () => {
  const batches = Array.from({ length: 8 }, () => [anEvent({ userId: 'race', type: 'click_invest' })]);
  const results = await Promise.all(batches.map((b) => ingest(tf.ingest, b)));
  expect(results.every((r) => r.accepted === 1)).toBe(true);
  expect((await tf.profiles.get('race'))?.buckets?.['2026-11-20']?.n?.click_invest).toBe(8);
});

test(`a profile remembers its last ${APPLIED_BATCHES_KEPT} batches`, async () => {
  for (let i = 0; i < APPLIED_BATCHES_KEPT + 3; i++) await ingest(tf.ingest, [anEvent({ userId: 'many' })]);
  const p = (await db.collection('profiles').findOne({ _id: 'many' as never })) as { appliedBatches?: string[] } | null;
  expect(p?.appliedBatches).toHaveLength(APPLIED_BATCHES_KEPT);
});

test('a journal entry written before journals held JSON (events as stored documents) is still recovered', async () => {
  const events = batchOf('legacy').map((e) => Event.parse(e));
  const batchId = randomUUID();
  const stored = events.map(({ id, ...rest }) => ({ _id: id, ...rest, batch: batchId, receivedAt: NOW }));
  await db.collection('ingest_batches').insertOne({ _id: batchId as never, events: stored, receivedAt: NOW });
  expect(await recoverPendingIngest(tf.ingest)).toBe(1);
  await expectCountedOnce('legacy');
});
