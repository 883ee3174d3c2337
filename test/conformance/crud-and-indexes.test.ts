// Conformance: mongoose CRUD through the project's connection settings, index management
// (unique, sparse, compound; created explicitly since autoIndex is off) and dropping a database.
import { Schema, trusted } from 'mongoose';
import { openTestDatabase, dropTestDatabase, testUri } from '../support/test-db.js';
import { connect, type Db } from '../../src/store/connection.js';
import { coll, native, rejection } from './support.js';

let db: Db;
let Profile: ReturnType<typeof profileModel>;
beforeAll(async () => {
  db = await openTestDatabase('conf_crud');
  Profile = profileModel();
});
afterAll(async () => {
  await dropTestDatabase(db);
});

const now = new Date('2026-11-20T02:00:00Z');

function profileModel() {
  const schema = new Schema(
    {
      _id: { type: String, required: true },
      email: { type: String, index: { unique: true, sparse: true } },
      consent: { sms: { granted: Boolean, at: Date, source: String } },
      score: { type: Number, default: 0 },
      topics: [String],
    },
    { timestamps: true, collection: 'mprofiles' },
  );
  schema.index({ score: -1, _id: 1 });
  return db.model('ConfProfile', schema);
}

describe('mongoose CRUD', () => {
  test('create applies defaults and timestamps; findById reads it back', async () => {
    await Profile.create({
      _id: 'u1',
      email: 'a@example.com',
      consent: { sms: { granted: true, at: now, source: 'app' } },
    });
    const doc = await Profile.findById('u1').lean();
    expect(doc).toMatchObject({
      _id: 'u1',
      email: 'a@example.com',
      score: 0,
      topics: [],
      consent: { sms: { granted: true, at: now, source: 'app' } },
    });
    expect(doc?.createdAt).toBeInstanceOf(Date);
  });

  test('updateOne casts values and upserts; findOneAndUpdate returns the new document', async () => {
    await Profile.updateOne({ _id: 'u2' }, { $inc: { score: '3' }, $addToSet: { topics: 'bond' } }, { upsert: true });
    await Profile.updateOne({ _id: 'u2' }, { $addToSet: { topics: 'bond' } });
    const after = await Profile.findOneAndUpdate({ _id: 'u2' }, { $inc: { score: 2 } }, { new: true }).lean();
    expect(after).toMatchObject({ _id: 'u2', score: 5, topics: ['bond'] });
  });

  test('select, sort, limit and countDocuments', async () => {
    const top = await Profile.find().sort({ score: -1, _id: 1 }).limit(1).select({ score: 1 }).lean();
    expect(top).toEqual([{ _id: 'u2', score: 5 }]);
    expect(await Profile.countDocuments({ topics: 'bond' })).toBe(1);
    expect(await Profile.exists({ _id: 'nobody' })).toBeNull();
  });

  test('the connection sanitizes filters: operators are refused unless wrapped in trusted()', async () => {
    expect((await rejection(Profile.countDocuments({ score: { $gt: 1 } }))).name).toBe('CastError');
    expect(await Profile.countDocuments({ score: trusted({ $gt: 1 }) })).toBe(1);
  });

  test('deleteOne and deleteMany report what they removed', async () => {
    expect((await Profile.deleteOne({ _id: 'u1' })).deletedCount).toBe(1);
    expect((await Profile.deleteMany({})).deletedCount).toBe(1);
    expect(await Profile.countDocuments()).toBe(0);
  });
});

describe('indexes', () => {
  test('mongoose createIndexes builds the schema indexes and listIndexes shows them', async () => {
    await Profile.createIndexes();
    const indexes = await native(db).collection('mprofiles').listIndexes().toArray();
    const byName = Object.fromEntries(indexes.map((i) => [i.name as string, i]));
    expect(Object.keys(byName).sort()).toEqual(['_id_', 'email_1', 'score_-1__id_1']);
    expect(byName.email_1).toMatchObject({ key: { email: 1 }, unique: true, sparse: true });
    expect(byName['score_-1__id_1']).toMatchObject({ key: { score: -1, _id: 1 } });
    expect(byName['score_-1__id_1']?.unique).toBeFalsy();
  });

  test('a sparse unique index allows many documents without the field, not two with the same value', async () => {
    await Profile.create([{ _id: 's1' }, { _id: 's2' }, { _id: 's3', email: 'x@example.com' }]);
    const err = await rejection(Profile.create({ _id: 's4', email: 'x@example.com' }));
    expect(err.code).toBe(11000);
  });

  test('a non-sparse unique index treats a missing field as null: the second such document is a duplicate', async () => {
    const c = coll(db, 'nonsparse');
    await c.createIndex({ key: 1 }, { unique: true });
    await c.insertOne({ _id: 'n1' });
    expect((await rejection(c.insertOne({ _id: 'n2' }))).code).toBe(11000);
  });

  test('a compound unique index rejects only the same combination', async () => {
    const c = coll(db, 'compound');
    const name = await c.createIndex({ campaign: 1, user: 1 }, { unique: true, name: 'campaign_user' });
    expect(name).toBe('campaign_user');
    await c.insertMany([
      { _id: '1', campaign: 'c1', user: 'u1' },
      { _id: '2', campaign: 'c1', user: 'u2' },
      { _id: '3', campaign: 'c2', user: 'u1' },
    ]);
    expect((await rejection(c.insertOne({ _id: '4', campaign: 'c1', user: 'u1' }))).code).toBe(11000);
  });

  test('creating an existing index again is a no-op; syncIndexes drops indexes the schema lost', async () => {
    await Profile.createIndexes();
    await native(db).collection('mprofiles').createIndex({ stale: 1 });
    const dropped = await Profile.syncIndexes();
    expect(dropped).toEqual(['stale_1']);
    const names = (await native(db).collection('mprofiles').listIndexes().toArray()).map((i) => i.name as string);
    expect(names.sort()).toEqual(['_id_', 'email_1', 'score_-1__id_1']);
  });
});

test('dropDatabase removes every collection of that database only', async () => {
  const other = await connect(testUri(), `${db.name}_drop`);
  await coll(other, 'a').insertOne({ _id: 'x' });
  await coll(other, 'b').insertOne({ _id: 'y' });
  expect((await native(other).listCollections().toArray()).map((c) => c.name).sort()).toEqual(['a', 'b']);
  await other.dropDatabase();
  expect(await native(other).listCollections().toArray()).toEqual([]);
  expect(await coll(db, 'compound').countDocuments()).toBe(3);
  await other.close();
});
