// Conformance: the query operators segment prefilters and reports use, with MongoDB's semantics
// for missing fields, nulls, arrays and type bracketing; projections, sort + limit, counts.
import { openTestDatabase, dropTestDatabase } from '../support/test-db.js';
import type { Db } from '../../src/store/connection.js';
import { coll } from './support.js';

let db: Db;
const day = (d: number) => new Date(Date.UTC(2026, 10, d));
const people = [
  {
    _id: 'a',
    n: 1,
    tier: 'gold',
    at: day(1),
    tags: ['bond', 'vip'],
    lifecycle: { purchaseCount: 3, fundsRedeemed: true },
    buckets: { '2026-11-20': { n: { click_invest: 2 } } },
  },
  {
    _id: 'b',
    n: 5,
    tier: 'silver',
    at: day(5),
    tags: ['stock'],
    lifecycle: { purchaseCount: 0 },
    holdings: [
      { cat: 'bond', amt: 100 },
      { cat: 'stock', amt: 5 },
    ],
  },
  {
    _id: 'c',
    n: 10,
    tier: null,
    at: day(10),
    tags: [],
    holdings: [
      { cat: 'bond', amt: 5 },
      { cat: 'stock', amt: 100 },
    ],
  },
  { _id: 'd', n: '7', at: day(20), lifecycle: { fundsRedeemed: false } },
  { _id: 'e', n: 7.5, tier: 'gold', tags: ['money', 'bond'] },
];

beforeAll(async () => {
  db = await openTestDatabase('conf_queries');
  await coll(db, 'p').insertMany(people);
});
afterAll(async () => {
  await dropTestDatabase(db);
});

const ids = async (filter: object, sort: Record<string, 1 | -1> = { _id: 1 }) =>
  (
    await coll(db, 'p')
      .find(filter, { sort, projection: { _id: 1 } })
      .toArray()
  ).map((d) => d._id);

describe('query operators', () => {
  test.each([
    ['$in on a scalar', { tier: { $in: ['gold', 'silver'] } }, ['a', 'b', 'e']],
    ['$in with null also matches missing', { tier: { $in: ['silver', null] } }, ['b', 'c', 'd']],
    ['$in on an array field matches any element', { tags: { $in: ['money', 'stock'] } }, ['b', 'e']],
    ['$nin matches missing fields too', { tier: { $nin: ['gold'] } }, ['b', 'c', 'd']],
    ['$exists: true includes explicit null', { tier: { $exists: true } }, ['a', 'b', 'c', 'e']],
    ['$exists: false', { tier: { $exists: false } }, ['d']],
    ['equality with null matches null and missing', { tier: null }, ['c', 'd']],
    ['$gt compares numbers only (no string "7")', { n: { $gt: 5 } }, ['c', 'e']],
    ['$gte/$lte range', { n: { $gte: 5, $lte: 10 } }, ['b', 'c', 'e']],
    ['$lt on dates, missing never matches', { at: { $lt: day(10) } }, ['a', 'b']],
    ['$ne matches missing fields', { tier: { $ne: 'gold' } }, ['b', 'c', 'd']],
    ['$ne on an array field excludes arrays containing it', { tags: { $ne: 'bond' } }, ['b', 'c', 'd']],
    ['dotted path into a nested object', { 'lifecycle.purchaseCount': { $gt: 0 } }, ['a']],
    ['dotted path with a day key', { 'buckets.2026-11-20.n.click_invest': { $gte: 1 } }, ['a']],
    ['dotted boolean path', { 'lifecycle.fundsRedeemed': true }, ['a']],
    ['dotted path into an array of objects matches any element', { 'holdings.cat': 'stock' }, ['b', 'c']],
    [
      'conditions on two array paths may match different elements',
      { 'holdings.cat': 'bond', 'holdings.amt': { $gte: 100 } },
      ['b', 'c'],
    ],
    [
      '$elemMatch requires one element to match both',
      { holdings: { $elemMatch: { cat: 'bond', amt: { $gte: 100 } } } },
      ['b'],
    ],
    [
      '$or of $exists: false and a comparison',
      { $or: [{ at: { $exists: false } }, { at: { $gte: day(10) } }] },
      ['c', 'd', 'e'],
    ],
    ['$and with $not', { $and: [{ n: { $type: 'number' } }, { n: { $not: { $gt: 5 } } }] }, ['a', 'b']],
    ['array size and all', { tags: { $all: ['bond', 'vip'], $size: 2 } }, ['a']],
  ])('%s', async (_name, filter, expected) => {
    expect(await ids(filter)).toEqual(expected);
  });
});

describe('reads', () => {
  test('inclusion projection with dotted paths returns only those fields', async () => {
    const doc = await coll(db, 'p').findOne({ _id: 'a' }, { projection: { tier: 1, 'lifecycle.purchaseCount': 1 } });
    expect(doc).toEqual({ _id: 'a', tier: 'gold', lifecycle: { purchaseCount: 3 } });
  });

  test('exclusion projection drops only the excluded fields', async () => {
    const doc = await coll(db, 'p').findOne(
      { _id: 'b' },
      { projection: { holdings: 0, 'lifecycle.purchaseCount': 0, _id: 0 } },
    );
    expect(doc).toEqual({ n: 5, tier: 'silver', at: day(5), tags: ['stock'], lifecycle: {} });
  });

  test('sort + limit and skip; missing sorts before present values ascending', async () => {
    expect(await ids({}, { at: 1 })).toEqual(['e', 'a', 'b', 'c', 'd']);
    const page = await coll(db, 'p')
      .find({}, { sort: { at: -1 }, skip: 1, limit: 2, projection: { _id: 1 } })
      .toArray();
    expect(page.map((d) => d._id)).toEqual(['c', 'b']);
  });

  test('compound sort breaks ties with the second key', async () => {
    expect(await ids({ tier: 'gold' }, { tier: 1, n: -1 })).toEqual(['e', 'a']);
  });

  test('countDocuments and estimatedDocumentCount', async () => {
    expect(await coll(db, 'p').countDocuments({ tags: 'bond' })).toBe(2);
    expect(await coll(db, 'p').countDocuments({ n: { $gte: 5 } }, { limit: 2 })).toBe(2);
    expect(await coll(db, 'p').countDocuments({ nothing: { $exists: true } })).toBe(0);
    expect(await coll(db, 'p').estimatedDocumentCount()).toBe(5);
  });

  test('distinct over an array field unwinds its elements', async () => {
    expect((await coll(db, 'p').distinct('tags')).sort()).toEqual(['bond', 'money', 'stock', 'vip']);
  });
});
