// The large bench tiers are seeded with profile documents folded straight from the demo model:
// they must be the documents ingest leaves for the same users.
import { BENCH_NOW, BENCH_TZ } from '../../src/bench/setup.js';
import { canonical, profilesEqual } from '../../src/bench/profile-compare.js';
import { storedProfileOf } from '../../src/bench/profile-docs.js';
import { generatePlatform } from '../../src/demo/generator.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { ingest } from '../../src/ingest/ingest.js';
import { parseProfileRecords } from '../../src/ingest/profile-records.js';
import { profilesCollection } from '../../src/store/collections.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { testConfig } from '../support/factories.js';

let db: Db;
let tf: Tideflow;
const users = [...generatePlatform({ seed: 11, users: 40, now: BENCH_NOW, days: 90 })];
const fold = { now: BENCH_NOW, tz: BENCH_TZ, retentionDays: 90 };

beforeAll(async () => {
  db = await openTestDatabase('bench_profile_docs');
  tf = await openTideflow(testConfig({ TIDEFLOW_TZ: BENCH_TZ }), { db, clock: () => new Date(BENCH_NOW) });
  await tf.profiles.updateMany(parseProfileRecords(users.map((u) => u.profile)), BENCH_NOW);
  // Small batches, so a user's events are split across several profile updates as in real ingest.
  const events = users.flatMap((u) => u.events);
  for (let i = 0; i < events.length; i += 97) await ingest(tf.ingest, events.slice(i, i + 97));
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

test('every folded profile equals the ingested one, bookkeeping aside', async () => {
  expect(tf.scoring.retentionDays).toBe(fold.retentionDays);
  const withBehaviour = users.filter((u) => u.events.length > 0).length;
  expect(withBehaviour).toBeGreaterThan(30);
  expect(await profilesEqual(db, users, fold)).toEqual({ equal: users.length, of: users.length });
});

test('a changed bucket is a difference', async () => {
  const [first] = users;
  if (!first) throw new Error('no user');
  const folded = storedProfileOf(first, fold);
  const stored = await profilesCollection(db).findOne({ _id: first.userId });
  expect(canonical(stored)).toBe(canonical(folded));
  const day = Object.keys(folded.buckets ?? {})[0] ?? '';
  const changed = { ...folded, buckets: { ...folded.buckets, [day]: { n: { app_open: 999 } } } };
  expect(canonical(stored)).not.toBe(canonical(changed));
});
