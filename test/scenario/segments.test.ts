import type { EventInput } from '../../src/domain/event.js';
import { ingest } from '../../src/ingest/ingest.js';
import { explainProfile } from '../../src/evaluate/explain-profile.js';
import { segmentMembers, sweepSegments } from '../../src/evaluate/sweep-segments.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { NOW, anEvent, fixedClock, testConfig } from '../support/factories.js';

// A small platform built from events, evaluated at 2026-11-20T10:00+08:00 (Asia/Shanghai): the
// 14-day intent window is 2026-11-07..2026-11-20, the 30-day preference window 2026-10-22..2026-11-20.

let db: Db;
let tf: Tideflow;

const at = (day: string, time = '12:00:00'): string => `${day}T${time}+08:00`;
const ev = (userId: string, type: string, ts: string, extra: Partial<EventInput> = {}): EventInput =>
  anEvent({ userId, type, ts, ...extra });
const times = (n: number, make: () => EventInput): EventInput[] => Array.from({ length: n }, make);
const submits = (userId: string, n: number, ts: string): EventInput[] => times(n, () => ev(userId, 'click_submit', ts));
const detail = (userId: string, category: string, durationSec: number, ts: string): EventInput =>
  ev(userId, 'view_product_detail', ts, { category: category as EventInput['category'], durationSec });
const buyThenRedeem = (userId: string): EventInput[] => [
  ev(userId, 'purchase', at('2026-10-01'), { amount: 10_000 }),
  ev(userId, 'redeem', at('2026-11-10'), { amount: 10_150 }),
];

/** Who did what; scores over 14 days in comments (weights: detail 0.2, invest 0.8, submit 1.5, app_open 0.02). */
const POPULATION: EventInput[] = [
  // 6.6: redeemed, strong intent, 80% of dwell on bonds.
  ev('canon', 'register', at('2026-09-01')),
  ...buyThenRedeem('canon'),
  ...submits('canon', 4, at('2026-11-18')),
  detail('canon', 'bond', 120, at('2026-11-18')),
  detail('canon', 'bond', 120, at('2026-11-19')),
  detail('canon', 'stock', 60, at('2026-11-19')),
  // 6.2, all on the window's first day, half an hour after midnight in Shanghai (still 11-06 in UTC).
  ev('edge-in', 'register', at('2026-09-01')),
  ...buyThenRedeem('edge-in'),
  ...submits('edge-in', 4, at('2026-11-07', '00:30:00')),
  detail('edge-in', 'bond', 300, at('2026-11-07', '00:30:00')),
  // 0: the same, half an hour before the window opens; the bond dwell still counts for the 30-day preference.
  ev('edge-out', 'register', at('2026-09-01')),
  ...buyThenRedeem('edge-out'),
  ...submits('edge-out', 4, at('2026-11-06', '23:30:00')),
  detail('edge-out', 'bond', 300, at('2026-11-06', '23:30:00')),
  // 5.00 exactly (not > 5): never purchased, money-market dwell only.
  ev('exactly-5', 'register', at('2026-11-01')),
  ...submits('exactly-5', 2, at('2026-11-15')),
  ev('exactly-5', 'click_invest', at('2026-11-15')),
  ev('exactly-5', 'click_invest', at('2026-11-15')),
  detail('exactly-5', 'money', 60, at('2026-11-15')),
  detail('exactly-5', 'money', 60, at('2026-11-16')),
  // 6.0 each: a new customer, one still invested, one who redeemed and bought again.
  ev('new-hot', 'register', at('2026-11-10')),
  ...submits('new-hot', 4, at('2026-11-19')),
  ev('invested', 'register', at('2026-09-01')),
  ev('invested', 'purchase', at('2026-11-01'), { amount: 10_000 }),
  ...submits('invested', 4, at('2026-11-19')),
  ev('rebought', 'register', at('2026-09-01')),
  ...buyThenRedeem('rebought').map((e) => (e.type === 'redeem' ? { ...e, ts: at('2026-10-20') } : e)),
  ev('rebought', 'purchase', at('2026-11-05'), { amount: 20_000 }),
  ...submits('rebought', 4, at('2026-11-19')),
  // High-value customers (no register event: imported): quiet since before the window, active on its first day, just below 50,000.
  ev('whale-quiet', 'purchase', at('2026-09-25'), { amount: 60_000 }),
  ev('whale-quiet', 'app_open', at('2026-11-06', '23:59:00')),
  ev('whale-active', 'purchase', at('2026-09-25'), { amount: 60_000 }),
  ev('whale-active', 'app_open', at('2026-11-07', '00:01:00')),
  ev('whale-small', 'purchase', at('2026-09-25'), { amount: 49_999.99 }),
  ev('registered-only', 'register', at('2026-11-20', '09:00:00')),
];

beforeAll(async () => {
  db = await openTestDatabase('segments');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
  await ingest(tf.ingest, POPULATION);
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

// Percentiles (strictly lower / 11): the four 0s → 0; 0.02 → 4/11; 5.0 → 5/11; the three 6.0s → 6/11
// (tied, so all medium); 6.2 → 9/11; 6.6 → 10/11.
const EXPECTED: Record<string, string[]> = {
  'old-redeemed-strong-intent-bond': ['canon', 'edge-in'],
  'redeemed-strong-intent': ['canon', 'edge-in'],
  'new-with-intent': ['new-hot'],
  'strong-intent': ['canon', 'edge-in'],
  'medium-intent': ['exactly-5', 'invested', 'new-hot', 'rebought'],
  'weak-intent': ['edge-out', 'registered-only', 'whale-active', 'whale-quiet', 'whale-small'],
  'prefers-bond': ['canon', 'edge-in', 'edge-out'],
  'prefers-stock': [],
  'prefers-money': ['exactly-5'],
  'prefers-index': [],
  'prefers-mixed': [],
  'churn-watch': ['whale-quiet'],
  registered: ['canon', 'edge-in', 'edge-out', 'exactly-5', 'invested', 'new-hot', 'rebought', 'registered-only'],
};

test('every shipped segment has exactly the expected members at now', async () => {
  const result = await sweepSegments(tf.segments, [...tf.segments.rules.segments.keys()], { now: NOW, members: true });
  const actual = Object.fromEntries(result.segments.map((s) => [s.segment, [...(s.members ?? [])].sort()]));
  expect(actual).toEqual(EXPECTED);
  expect(result.segments.every((s) => s.count === s.members?.length)).toBe(true);
});

test('per-condition counts show which condition narrows the canonical segment', async () => {
  const [canonical] = (
    await sweepSegments(tf.segments, ['old-redeemed-strong-intent-bond'], { now: NOW, leafCounts: true })
  ).segments;
  expect(canonical?.leaves?.map((l) => [l.at, l.fact, l.passed])).toEqual([
    ['conditions.all[0]', 'hasPurchased', 8],
    ['conditions.all[1]', 'fundsRedeemed', 3],
    ['conditions.all[2]', 'intentScore', 5],
    ['conditions.all[3]', 'categoryShare', 3],
  ]);
  expect(canonical?.count).toBe(2);
});

test('a day later the window has moved: edge-in drops out, the rest stay', async () => {
  const later = new Date('2026-11-21T10:00:00+08:00');
  const [canonical] = (
    await sweepSegments(tf.segments, ['old-redeemed-strong-intent-bond'], { now: later, members: true })
  ).segments;
  expect(canonical?.members).toEqual(['canon']);
});

test('members page through in user id order with a cursor', async () => {
  const first = await segmentMembers(tf.segments, 'weak-intent', { now: NOW, limit: 2 });
  expect(first).toEqual({ segment: 'weak-intent', members: ['edge-out', 'registered-only'], next: 'registered-only' });
  const second = await segmentMembers(tf.segments, 'weak-intent', { now: NOW, limit: 2, after: first.next });
  expect(second).toEqual({ segment: 'weak-intent', members: ['whale-active', 'whale-quiet'], next: 'whale-quiet' });
  const last = await segmentMembers(tf.segments, 'weak-intent', { now: NOW, limit: 2, after: second.next });
  expect(last).toEqual({ segment: 'weak-intent', members: ['whale-small'] });
});

test('explain shows every leaf with the value seen and whether it passed', async () => {
  const edgeOut = await explainProfile(tf.segments, 'edge-out', {
    now: NOW,
    segment: 'old-redeemed-strong-intent-bond',
  });
  expect(edgeOut.segments).toHaveLength(1);
  expect(edgeOut.segments[0]?.member).toBe(false);
  expect(edgeOut.segments[0]?.leaves.map((l) => [l.fact, l.seen, l.passed])).toEqual([
    ['hasPurchased', true, true],
    ['fundsRedeemed', true, true],
    ['intentScore', 0, false],
    ['categoryShare', 1, true],
  ]);
  const all = await explainProfile(tf.segments, 'exactly-5', { now: NOW });
  const bySegment = Object.fromEntries(all.segments.map((s) => [s.segment, s]));
  expect(bySegment['new-with-intent']?.leaves.map((l) => [l.fact, l.seen, l.passed])).toEqual([
    ['isNewCustomer', true, true],
    ['intentScore', 5, false],
  ]);
  expect(bySegment['medium-intent']?.leaves.map((l) => l.seen)).toEqual([5 / 11, 5 / 11]);
  expect(
    all.segments
      .filter((s) => s.member)
      .map((s) => s.segment)
      .sort(),
  ).toEqual(['medium-intent', 'prefers-money', 'registered']);
});
