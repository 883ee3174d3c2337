// Conformance: duplicate keys (error code 11000) are how Tideflow makes ingest idempotent and
// claims deliveries exactly once; unordered bulk writes must report which items failed and apply
// the rest. Expected values are MongoDB 6+'s.
import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { openTestDatabase, dropTestDatabase } from '../support/test-db.js';
import type { Db } from '../../src/store/connection.js';
import { coll, rejection } from './support.js';

let db: Db;
beforeAll(async () => {
  db = await openTestDatabase('conf_unique');
});
afterAll(async () => {
  await dropTestDatabase(db);
});

describe('duplicate keys', () => {
  test('a second insert of the same _id fails with code 11000', async () => {
    const c = coll(db, 'events');
    await c.insertOne({ _id: 'e1', userId: 'u1' });
    const err = await rejection(c.insertOne({ _id: 'e1', userId: 'u2' }));
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err.code).toBe(11000);
    expect(await c.findOne({ _id: 'e1' })).toEqual({ _id: 'e1', userId: 'u1' });
  });

  test('a unique secondary index rejects a duplicate with code 11000', async () => {
    const c = coll(db, 'grants');
    await c.createIndex({ campaign: 1, occurrence: 1, user: 1 }, { unique: true });
    await c.insertOne({ _id: 'g1', campaign: 'c', occurrence: 'o1', user: 'u' });
    await c.insertOne({ _id: 'g2', campaign: 'c', occurrence: 'o2', user: 'u' });
    const err = await rejection(c.insertOne({ _id: 'g3', campaign: 'c', occurrence: 'o1', user: 'u' }));
    expect(err.code).toBe(11000);
    expect(await c.countDocuments()).toBe(2);
  });

  test('an update that would duplicate a unique key fails with code 11000', async () => {
    const c = coll(db, 'grants');
    const err = await rejection(c.updateOne({ _id: 'g2' }, { $set: { occurrence: 'o1' } }));
    expect(err.code).toBe(11000);
    expect((await c.findOne({ _id: 'g2' }))?.occurrence).toBe('o2');
  });

  test('an upsert whose filter misses an existing _id fails with code 11000 instead of inserting', async () => {
    const c = coll<{ steps: string[] }>(db, 'claims');
    await c.insertOne({ _id: 'k', steps: ['x'] });
    const err = await rejection(
      c.updateOne({ _id: 'k', steps: { $ne: 'x' } }, { $push: { steps: 'x' } }, { upsert: true }),
    );
    expect(err.code).toBe(11000);
    expect(await c.findOne({ _id: 'k' })).toEqual({ _id: 'k', steps: ['x'] });
    const ok = await c.updateOne({ _id: 'k', steps: { $ne: 'y' } }, { $push: { steps: 'y' } }, { upsert: true });
    expect(ok.modifiedCount).toBe(1);
  });
});

describe('unordered insertMany', () => {
  test('inserts every new document and reports the index of each duplicate', async () => {
    const c = coll(db, 'ingest');
    await c.insertMany([{ _id: 'a' }, { _id: 'c' }]);
    const batch = ['a', 'b', 'c', 'd', 'b', 'e'].map((id, i) => ({ _id: id, i }));
    const err = await rejection(c.insertMany(batch, { ordered: false }));
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as unknown as MongoBulkWriteError;
    expect(bulk.code).toBe(11000);
    const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
    expect(writeErrors.map((w) => w.index).sort()).toEqual([0, 2, 4]);
    expect(writeErrors.every((w) => w.code === 11000)).toBe(true);
    // Not asserted: `insertedCount` (the server's `n`). MongoDB says 3; mongo-java-server 1.47 says 6.
    // Tideflow counts accepted = batch size - duplicate write errors.
    const stored = await c.find({}, { sort: { _id: 1 } }).toArray();
    expect(stored).toEqual([{ _id: 'a' }, { _id: 'b', i: 1 }, { _id: 'c' }, { _id: 'd', i: 3 }, { _id: 'e', i: 5 }]);
  });

  test('mongoose Model.insertMany with ordered: false does the same', async () => {
    const Event = db.model('ConfEvent', new db.base.Schema({ _id: String, n: Number }), 'mevents');
    await Event.insertMany([{ _id: 'a', n: 0 }]);
    const err = await rejection(
      Event.insertMany(
        [
          { _id: 'a', n: 1 },
          { _id: 'b', n: 2 },
          { _id: 'c', n: 3 },
        ],
        { ordered: false },
      ),
    );
    expect(err.code).toBe(11000);
    const writeErrors = err.writeErrors as { index: number }[];
    expect(writeErrors.map((w) => w.index)).toEqual([0]);
    expect(await Event.find().sort({ _id: 1 }).lean()).toEqual([
      { _id: 'a', n: 0, __v: 0 },
      { _id: 'b', n: 2, __v: 0 },
      { _id: 'c', n: 3, __v: 0 },
    ]);
  });
});

describe('unordered bulkWrite of updates', () => {
  test('applies every operation and counts matches, modifications and upserts', async () => {
    const c = coll(db, 'bulk');
    await c.insertMany([
      { _id: 'u1', n: 1 },
      { _id: 'u2', n: 1 },
    ]);
    const res = await c.bulkWrite(
      [
        { updateOne: { filter: { _id: 'u1' }, update: { $inc: { n: 1 } }, upsert: true } },
        { updateOne: { filter: { _id: 'u3' }, update: { $inc: { n: 5 } }, upsert: true } },
        { updateOne: { filter: { _id: 'u2' }, update: { $set: { n: 1 } } } },
        { updateOne: { filter: { _id: 'nobody' }, update: { $set: { n: 1 } } } },
      ],
      { ordered: false },
    );
    expect(res).toMatchObject({ matchedCount: 2, modifiedCount: 1, upsertedCount: 1, upsertedIds: { 1: 'u3' } });
    expect(await c.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'u1', n: 2 },
      { _id: 'u2', n: 1 },
      { _id: 'u3', n: 5 },
    ]);
  });

  test('a failing operation is reported by index and the others still apply', async () => {
    const c = coll(db, 'bulk');
    const err = await rejection(
      c.bulkWrite(
        [
          { updateOne: { filter: { _id: 'u1' }, update: { $inc: { n: 1 } } } },
          { insertOne: { document: { _id: 'u2' } } },
          { updateOne: { filter: { _id: 'u3' }, update: { $inc: { n: 1 } } } },
        ],
        { ordered: false },
      ),
    );
    const bulk = err as unknown as MongoBulkWriteError;
    const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
    expect(writeErrors.map((w) => [w.index, w.code])).toEqual([[1, 11000]]);
    expect(await c.find({}, { sort: { _id: 1 } }).toArray()).toEqual([
      { _id: 'u1', n: 3 },
      { _id: 'u2', n: 1 },
      { _id: 'u3', n: 6 },
    ]);
  });
});
