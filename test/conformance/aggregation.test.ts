// Conformance: the aggregation stages reports and the demo summary use. Expected values are
// MongoDB 6+'s; the decision record lists the stages and operators to avoid.
import { openTestDatabase, dropTestDatabase } from '../support/test-db.js';
import type { Db } from '../../src/store/connection.js';
import { coll } from './support.js';

let db: Db;
const at = (d: number, h = 0) => new Date(Date.UTC(2026, 10, d, h));
const deliveries = [
  { _id: 'd1', campaign: 'c1', channel: 'sms', state: 'sent', cost: 5, at: at(1), tags: ['a', 'b'] },
  { _id: 'd2', campaign: 'c1', channel: 'sms', state: 'skipped', reason: 'holdout', at: at(2), tags: [] },
  { _id: 'd3', campaign: 'c1', channel: 'email', state: 'sent', cost: 1, at: at(3), tags: ['a'] },
  { _id: 'd4', campaign: 'c2', channel: 'push', state: 'sent', cost: 2, at: at(4) },
  { _id: 'd5', campaign: 'c2', channel: 'sms', state: 'failed', cost: 0, at: at(5), tags: ['b', 'c'] },
  { _id: 'd6', campaign: 'c1', channel: 'sms', state: 'sent', cost: 3, at: at(6), tags: ['a'] },
];

beforeAll(async () => {
  db = await openTestDatabase('conf_aggregation');
  await coll(db, 'deliveries').insertMany(deliveries);
});
afterAll(async () => {
  await dropTestDatabase(db);
});

const run = (pipeline: object[]) => coll(db, 'deliveries').aggregate(pipeline).toArray();

test('$match + $group with $sum/$min/$max/$avg + $sort', async () => {
  expect(
    await run([
      { $match: { state: 'sent' } },
      {
        $group: {
          _id: '$campaign',
          n: { $sum: 1 },
          cost: { $sum: '$cost' },
          first: { $min: '$at' },
          last: { $max: '$at' },
          avgCost: { $avg: '$cost' },
        },
      },
      { $sort: { _id: 1 } },
    ]),
  ).toEqual([
    { _id: 'c1', n: 3, cost: 9, first: at(1), last: at(6), avgCost: 3 },
    { _id: 'c2', n: 1, cost: 2, first: at(4), last: at(4), avgCost: 2 },
  ]);
});

test('$group on a compound key, $sum over a missing field is 0, $avg ignores missing values', async () => {
  expect(
    await run([
      { $match: { campaign: 'c1' } },
      {
        $group: {
          _id: { channel: '$channel', state: '$state' },
          n: { $sum: 1 },
          cost: { $sum: '$cost' },
          avg: { $avg: '$cost' },
        },
      },
      { $sort: { '_id.channel': 1, '_id.state': 1 } },
    ]),
  ).toEqual([
    { _id: { channel: 'email', state: 'sent' }, n: 1, cost: 1, avg: 1 },
    { _id: { channel: 'sms', state: 'sent' }, n: 2, cost: 8, avg: 4 },
    { _id: { channel: 'sms', state: 'skipped' }, n: 1, cost: 0, avg: null },
  ]);
});

test('$group with _id null totals everything', async () => {
  expect(await run([{ $group: { _id: null, n: { $sum: 1 }, cost: { $sum: '$cost' } } }])).toEqual([
    { _id: null, n: 6, cost: 11 },
  ]);
});

test('$sort + $limit gives the top entries', async () => {
  const top = await run([
    { $match: { cost: { $gt: 0 } } },
    { $sort: { cost: -1 } },
    { $limit: 2 },
    { $project: { _id: 1 } },
  ]);
  expect(top).toEqual([{ _id: 'd1' }, { _id: 'd6' }]);
});

test('$project includes, excludes, renames with a field path and computes a literal', async () => {
  expect(
    await run([
      { $match: { _id: 'd1' } },
      { $project: { _id: 0, campaign: 1, via: '$channel', one: { $literal: 1 } } },
    ]),
  ).toEqual([{ campaign: 'c1', via: 'sms', one: 1 }]);
  expect(await run([{ $match: { _id: 'd2' } }, { $project: { tags: 0, at: 0, campaign: 0 } }])).toEqual([
    { _id: 'd2', channel: 'sms', state: 'skipped', reason: 'holdout' },
  ]);
});

test('$count counts the documents reaching it, and yields nothing for none', async () => {
  expect(await run([{ $match: { channel: 'sms' } }, { $count: 'n' }])).toEqual([{ n: 4 }]);
  expect(await run([{ $match: { channel: 'fax' } }, { $count: 'n' }])).toEqual([]);
});

test('$unwind drops missing and empty arrays; $group then counts per element', async () => {
  expect(
    await run([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }]),
  ).toEqual([
    { _id: 'a', n: 3 },
    { _id: 'b', n: 2 },
    { _id: 'c', n: 1 },
  ]);
});

test('$match on a date range and $skip', async () => {
  const page = await run([
    { $match: { at: { $gte: at(2), $lt: at(6) } } },
    { $sort: { at: 1 } },
    { $skip: 1 },
    { $project: { _id: 1 } },
  ]);
  expect(page).toEqual([{ _id: 'd3' }, { _id: 'd4' }, { _id: 'd5' }]);
});

test('an aggregation cursor streams in batches', async () => {
  const bulk = Array.from({ length: 1000 }, (_, i) => ({ _id: `x${i}`, k: i % 7 }));
  await coll(db, 'many').insertMany(bulk);
  let n = 0;
  for await (const _doc of coll(db, 'many').aggregate([{ $match: { k: { $lt: 3 } } }], { batchSize: 50 })) n += 1;
  expect(n).toBe(bulk.filter((d) => d.k < 3).length);
});
