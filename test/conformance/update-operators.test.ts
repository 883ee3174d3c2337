// Conformance: the update operators profile ingest relies on, on nested paths whose keys are day
// keys (`2026-11-20`), event types (`click_invest`) and digit-only names. Expected values are what
// MongoDB 6+ returns; docs/decisions/0001-database.md records which servers pass.
import { openTestDatabase, dropTestDatabase } from '../support/test-db.js';
import type { Db } from '../../src/store/connection.js';
import { coll, rejection } from './support.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDatabase('conf_update');
});
afterAll(async () => {
  await dropTestDatabase(db);
});

const t0 = new Date('2026-11-20T02:00:00Z');
const t1 = new Date('2026-11-20T03:00:00Z');
const t2 = new Date('2026-11-21T01:00:00Z');

describe('nested-path updates', () => {
  test('$inc/$set/$setOnInsert/$min/$max on day-key paths upsert a new document', async () => {
    const profiles = coll(db, 'profiles');
    const res = await profiles.updateOne(
      { _id: 'u1' },
      {
        $inc: {
          'buckets.2026-11-20.n.click_invest': 1,
          'buckets.2026-11-20.dwell.bond': 30,
          'buckets.2026-11-20.dwellAll': 30,
        },
        $set: { 'lastSeen.channel': 'app' },
        $setOnInsert: { createdAt: t0, oldestBucket: '2026-11-20' },
        $min: { 'lifecycle.firstPurchaseAt': t1 },
        $max: { 'lastAt.click_invest': t1 },
      },
      { upsert: true },
    );
    expect(res).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, upsertedId: 'u1' });
    expect(await profiles.findOne({ _id: 'u1' })).toEqual({
      _id: 'u1',
      buckets: { '2026-11-20': { n: { click_invest: 1 }, dwell: { bond: 30 }, dwellAll: 30 } },
      lastSeen: { channel: 'app' },
      createdAt: t0,
      oldestBucket: '2026-11-20',
      lifecycle: { firstPurchaseAt: t1 },
      lastAt: { click_invest: t1 },
    });
  });

  test('a second upsert increments, keeps $setOnInsert fields, and $min/$max compare dates', async () => {
    const profiles = coll(db, 'profiles');
    const res = await profiles.updateOne(
      { _id: 'u1' },
      {
        $inc: {
          'buckets.2026-11-20.n.click_invest': 2,
          'buckets.2026-11-21.n.purchase': 1,
          'buckets.2026-11-21.amount.purchase': 1000.5,
        },
        $setOnInsert: { createdAt: t2, oldestBucket: '2026-11-21' },
        $min: { 'lifecycle.firstPurchaseAt': t2 },
        $max: { 'lastAt.click_invest': t0, 'lastAt.purchase': t2 },
      },
      { upsert: true },
    );
    expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    const doc = await profiles.findOne({ _id: 'u1' });
    expect(doc?.buckets).toEqual({
      '2026-11-20': { n: { click_invest: 3 }, dwell: { bond: 30 }, dwellAll: 30 },
      '2026-11-21': { n: { purchase: 1 }, amount: { purchase: 1000.5 } },
    });
    expect(doc?.createdAt).toEqual(t0);
    expect(doc?.oldestBucket).toBe('2026-11-20');
    expect(doc?.lifecycle).toEqual({ firstPurchaseAt: t1 }); // t2 is later: $min keeps t1
    expect(doc?.lastAt).toEqual({ click_invest: t1, purchase: t2 }); // t0 is earlier: $max keeps t1
  });

  test('$min/$max on numbers, and an earlier date replaces a later one under $min', async () => {
    const c = coll(db, 'minmax');
    await c.insertOne({ _id: 'm', lo: 5, hi: 5, at: t1 });
    await c.updateOne({ _id: 'm' }, { $min: { lo: 3, at: t0 }, $max: { hi: 9 } });
    await c.updateOne({ _id: 'm' }, { $min: { lo: 4 }, $max: { hi: 7 } });
    expect(await c.findOne({ _id: 'm' })).toEqual({ _id: 'm', lo: 3, hi: 9, at: t0 });
  });

  test('digit-only keys under a missing path create embedded documents, not arrays', async () => {
    const c = coll(db, 'digits');
    await c.updateOne({ _id: 'd' }, { $inc: { 'hours.09': 1, 'hours.9': 2, 'byYear.2026.n': 1 } }, { upsert: true });
    expect(await c.findOne({ _id: 'd' })).toEqual({
      _id: 'd',
      hours: { '09': 1, '9': 2 },
      byYear: { '2026': { n: 1 } },
    });
  });

  test('$unset removes one day bucket and leaves its siblings', async () => {
    const profiles = coll(db, 'profiles');
    const res = await profiles.updateOne(
      { _id: 'u1' },
      { $unset: { 'buckets.2026-11-20': '' }, $set: { oldestBucket: '2026-11-21' } },
    );
    expect(res.modifiedCount).toBe(1);
    const doc = await profiles.findOne({ _id: 'u1' });
    expect(Object.keys(doc?.buckets ?? {})).toEqual(['2026-11-21']);
    await profiles.updateOne({ _id: 'u1' }, { $unset: { 'buckets.2026-11-21': '' } });
    expect((await profiles.findOne({ _id: 'u1' }))?.buckets).toEqual({});
  });

  test('an update that touches a path and its parent is rejected and changes nothing', async () => {
    const c = coll(db, 'conflict');
    await c.insertOne({ _id: 'c', a: { b: { c: 1 } } });
    await rejection(c.updateOne({ _id: 'c' }, { $set: { 'a.b': { c: 5 } }, $inc: { 'a.b.c': 1 } }));
    expect(await c.findOne({ _id: 'c' })).toEqual({ _id: 'c', a: { b: { c: 1 } } });
  });

  test('upsert copies equality fields of the filter into the new document', async () => {
    const c = coll(db, 'upsert');
    await c.updateOne({ _id: 'g1', campaign: 'c1', user: 'u1' }, { $set: { status: 'planned' } }, { upsert: true });
    expect(await c.findOne({ _id: 'g1' })).toEqual({ _id: 'g1', campaign: 'c1', user: 'u1', status: 'planned' });
  });
});

describe('$push with $each and $slice', () => {
  test('keeps only the newest N entries', async () => {
    const c = coll<{ recent: string[] }>(db, 'recent');
    await c.updateOne({ _id: 'r' }, { $push: { recent: { $each: ['a', 'b'], $slice: -3 } } }, { upsert: true });
    await c.updateOne({ _id: 'r' }, { $push: { recent: { $each: ['c', 'd'], $slice: -3 } } });
    expect((await c.findOne({ _id: 'r' }))?.recent).toEqual(['b', 'c', 'd']);
    await c.updateOne({ _id: 'r' }, { $push: { recent: { $each: ['e'], $slice: 2 } } });
    expect((await c.findOne({ _id: 'r' }))?.recent).toEqual(['b', 'c']);
  });
});

describe('conditional updates', () => {
  test('{ field: { $lt: v } } updates only when the stored value is smaller', async () => {
    const c = coll(db, 'cond');
    await c.insertOne({ _id: 'x', seq: 5 });
    expect((await c.updateOne({ _id: 'x', seq: { $lt: 5 } }, { $set: { seq: 5 } })).matchedCount).toBe(0);
    expect((await c.updateOne({ _id: 'x', seq: { $lt: 7 } }, { $set: { seq: 7 } })).modifiedCount).toBe(1);
    expect((await c.findOne({ _id: 'x' }))?.seq).toBe(7);
  });

  test('$or with $exists: false matches a missing field, then the comparison guards it', async () => {
    const c = coll(db, 'cond');
    await c.insertOne({ _id: 'y' });
    const filter = (at: Date) => ({ _id: 'y', $or: [{ lastAt: { $exists: false } }, { lastAt: { $lt: at } }] });
    expect((await c.updateOne(filter(t1), { $set: { lastAt: t1 } })).modifiedCount).toBe(1);
    expect((await c.updateOne(filter(t0), { $set: { lastAt: t0 } })).matchedCount).toBe(0);
    expect((await c.updateOne(filter(t2), { $set: { lastAt: t2 } })).modifiedCount).toBe(1);
    expect((await c.findOne({ _id: 'y' }))?.lastAt).toEqual(t2);
  });
});

describe('findOneAndUpdate', () => {
  test('with sort picks the first match in sort order and returns the document after the update', async () => {
    const c = coll(db, 'queue');
    await c.insertMany([
      { _id: 'q1', state: 'planned', due: t2 },
      { _id: 'q2', state: 'planned', due: t0 },
      { _id: 'q3', state: 'sent', due: t0 },
      { _id: 'q4', state: 'planned', due: t1 },
    ]);
    const claim = () =>
      c.findOneAndUpdate(
        { state: 'planned' },
        { $set: { state: 'sending' }, $inc: { attempts: 1 } },
        { sort: { due: 1 }, returnDocument: 'after' },
      );
    expect(await claim()).toEqual({ _id: 'q2', state: 'sending', due: t0, attempts: 1 });
    expect((await claim())?._id).toBe('q4');
    expect((await claim())?._id).toBe('q1');
    expect(await claim()).toBeNull();
  });

  test('returns the document before the update by default, and upserts when asked', async () => {
    const c = coll(db, 'fam');
    await c.insertOne({ _id: 'f', n: 1 });
    expect(await c.findOneAndUpdate({ _id: 'f' }, { $inc: { n: 1 } })).toEqual({ _id: 'f', n: 1 });
    expect(
      await c.findOneAndUpdate({ _id: 'g' }, { $inc: { n: 1 } }, { upsert: true, returnDocument: 'after' }),
    ).toEqual({ _id: 'g', n: 1 });
  });

  test('with a projection returns only the projected fields', async () => {
    const c = coll(db, 'famp');
    await c.insertOne({ _id: 'p', n: 1, big: 'x'.repeat(100) });
    expect(
      await c.findOneAndUpdate({ _id: 'p' }, { $inc: { n: 1 } }, { projection: { n: 1 }, returnDocument: 'after' }),
    ).toEqual({ _id: 'p', n: 2 });
  });
});
