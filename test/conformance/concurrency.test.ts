// Conformance: the atomic single-document operations budgets and delivery claims rely on, under
// concurrent attempts from several connections (as from several API processes and workers).
import { openTestDatabase, dropTestDatabase, testUri } from '../support/test-db.js';
import { connect, type Db } from '../../src/store/connection.js';
import { coll } from './support.js';

const CONNECTIONS = 4;
let db: Db;
let others: Db[];
beforeAll(async () => {
  db = await openTestDatabase('conf_concurrency');
  others = await Promise.all(Array.from({ length: CONNECTIONS }, () => connect(testUri(), db.name)));
});
afterAll(async () => {
  await Promise.all(others.map((o) => o.close()));
  await dropTestDatabase(db);
});

/** Deterministic amounts 1..10 (a fixed linear congruential sequence). */
function amounts(count: number): number[] {
  let x = 42;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return 1 + (x % 10);
  });
}

test('a guarded $inc never takes a budget below zero under 200 parallel attempts', async () => {
  const cap = 500;
  await coll(db, 'budgets').insertOne({ _id: 'b1', cap, remaining: cap, spent: 0 });
  const asks = amounts(200);
  const results = await Promise.all(
    asks.map(async (amt, i) => {
      const budgets = coll(others[i % CONNECTIONS]!, 'budgets');
      const res = await budgets.updateOne(
        { _id: 'b1', remaining: { $gte: amt } },
        { $inc: { remaining: -amt, spent: amt } },
      );
      return { amt, won: res.modifiedCount === 1 };
    }),
  );
  const granted = results.filter((r) => r.won).reduce((sum, r) => sum + r.amt, 0);
  const budget = await coll(db, 'budgets').findOne({ _id: 'b1' });
  expect(asks.reduce((a, b) => a + b, 0)).toBeGreaterThan(cap); // the attempts do exhaust the cap
  expect(budget?.remaining).toBeGreaterThanOrEqual(0);
  expect(budget?.spent).toBe(granted);
  expect((budget?.remaining as number) + granted).toBe(cap);
  // Every refused attempt saw too little left; the remainder only shrinks, so it is still too small.
  const smallestRefused = Math.min(...results.filter((r) => !r.won).map((r) => r.amt));
  expect(budget?.remaining).toBeLessThan(smallestRefused);
});

test('findOneAndUpdate as a guarded decrement returns the new balance to exactly one winner per unit', async () => {
  await coll(db, 'budgets').insertOne({ _id: 'b2', remaining: 50 });
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      coll(others[i % CONNECTIONS]!, 'budgets').findOneAndUpdate(
        { _id: 'b2', remaining: { $gte: 1 } },
        { $inc: { remaining: -1 } },
        { returnDocument: 'after' },
      ),
    ),
  );
  const balances = results.flatMap((doc) => (doc ? [doc.remaining as number] : []));
  expect(balances.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  expect((await coll(db, 'budgets').findOne({ _id: 'b2' }))?.remaining).toBe(0);
});

test('inserting the same delivery key from many connections succeeds exactly once', async () => {
  const outcomes = await Promise.allSettled(
    Array.from({ length: 100 }, (_, i) =>
      coll(others[i % CONNECTIONS]!, 'deliveries').insertOne({ _id: 'c1:o1:u1:0', worker: i }),
    ),
  );
  const won = outcomes.filter((o) => o.status === 'fulfilled');
  const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as { code?: number }] : []));
  expect(won).toHaveLength(1);
  expect(lost.map((e) => e.code)).toEqual(Array.from({ length: 99 }, () => 11000));
  expect(await coll(db, 'deliveries').countDocuments()).toBe(1);
});

test('concurrent $inc on the same nested counter loses no increments', async () => {
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      coll(others[i % CONNECTIONS]!, 'profiles')
        .updateOne(
          { _id: 'u1' },
          { $inc: { 'buckets.2026-11-20.n.app_open': 1, [`buckets.2026-11-20.n.t${i % 3}`]: 1 } },
          { upsert: true },
        )
        .catch(async (err: { code?: number }) => {
          // Two first-time upserts of one _id can race; MongoDB retries some itself, the caller retries the rest.
          if (err.code !== 11000) throw err;
          await coll(db, 'profiles').updateOne(
            { _id: 'u1' },
            { $inc: { 'buckets.2026-11-20.n.app_open': 1, [`buckets.2026-11-20.n.t${i % 3}`]: 1 } },
          );
        }),
    ),
  );
  const doc = await coll(db, 'profiles').findOne({ _id: 'u1' });
  expect(doc?.buckets).toEqual({ '2026-11-20': { n: { app_open: 200, t0: 67, t1: 67, t2: 66 } } });
});
