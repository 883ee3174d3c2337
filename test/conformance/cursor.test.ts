// Conformance: audiences are streamed with cursors in batches, so memory stays flat; every
// document must be seen exactly once, in batches no larger than asked for.
import { MongoClient, type CommandSucceededEvent } from 'mongodb';
import { Schema } from 'mongoose';
import { openTestDatabase, dropTestDatabase, testUri } from '../support/test-db.js';
import type { Db } from '../../src/store/connection.js';
import { coll } from './support.js';

const TOTAL = 10_000;
const BATCH = 500;
let db: Db;
let client: MongoClient;
const replies: CommandSucceededEvent[] = [];
const killed: CommandSucceededEvent[] = [];

beforeAll(async () => {
  db = await openTestDatabase('conf_cursor');
  const docs = Array.from({ length: TOTAL }, (_, i) => ({
    _id: `u${String(i).padStart(5, '0')}`,
    score: i % 100,
    seg: i % 3,
  }));
  for (let i = 0; i < TOTAL; i += 2000) await coll(db, 'profiles').insertMany(docs.slice(i, i + 2000));
  client = new MongoClient(testUri(), { monitorCommands: true });
  client.on('commandSucceeded', (e) => {
    if (e.commandName === 'find' || e.commandName === 'getMore') replies.push(e);
    if (e.commandName === 'killCursors') killed.push(e);
  });
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await dropTestDatabase(db);
});

/** Documents per reply batch of the find/getMore commands seen since `from`. */
function batchSizes(from: number): number[] {
  return replies.slice(from).map((e) => {
    const cursor = (e.reply as { cursor: { firstBatch?: unknown[]; nextBatch?: unknown[] } }).cursor;
    return (cursor.firstBatch ?? cursor.nextBatch ?? []).length;
  });
}

test('a driver cursor with batchSize streams all 10k documents once, in batches of at most batchSize', async () => {
  const from = replies.length;
  const seen = new Set<string>();
  let count = 0;
  for await (const doc of client
    .db(db.name)
    .collection<{ _id: string }>('profiles')
    .find({}, { batchSize: BATCH, sort: { _id: 1 } })) {
    seen.add(doc._id);
    count += 1;
  }
  expect(count).toBe(TOTAL);
  expect(seen.size).toBe(TOTAL);
  const sizes = batchSizes(from);
  expect(sizes.length).toBeGreaterThanOrEqual(TOTAL / BATCH);
  expect(Math.max(...sizes)).toBeLessThanOrEqual(BATCH);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(TOTAL);
});

test('a filtered cursor with projection returns only matching documents and fields', async () => {
  const from = replies.length;
  let count = 0;
  const cursor = client
    .db(db.name)
    .collection('profiles')
    .find({ seg: 1, score: { $gte: 50 } }, { batchSize: 200, projection: { score: 1 } });
  for await (const doc of cursor) {
    expect(Object.keys(doc).sort()).toEqual(['_id', 'score']);
    expect(doc.score).toBeGreaterThanOrEqual(50);
    count += 1;
  }
  const expected = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 3 === 1 && i % 100 >= 50).length;
  expect(count).toBe(expected);
  expect(batchSizes(from).length).toBeGreaterThan(1);
});

test('a mongoose query cursor streams lean documents in batches', async () => {
  const Profile = db.model('ConfCursorProfile', new Schema({ _id: String, score: Number }), 'profiles');
  const seen = new Set<string>();
  for await (const doc of Profile.find().lean().cursor({ batchSize: BATCH })) seen.add(String(doc._id));
  expect(seen.size).toBe(TOTAL);
});

test('a cursor left early is killed on the server', async () => {
  const cursor = client.db(db.name).collection('profiles').find({}, { batchSize: 100 });
  let count = 0;
  for await (const _doc of cursor) if (++count === 150) break;
  expect(count).toBe(150);
  await cursor.close();
  expect(killed).toHaveLength(1);
  expect((killed[0]?.reply as { cursorsKilled?: unknown[] }).cursorsKilled).toHaveLength(1);
});
