// `tideflow import` stores several event batches at once: whatever order they finish in, the
// profiles must be the ones a one-at-a-time fold of the same events gives, and a replay changes nothing.
import { Readable } from 'node:stream';
import { BENCH_NOW, BENCH_TZ } from '../../src/bench/setup.js';
import { profilesEqual } from '../../src/bench/profile-compare.js';
import { generatePlatform } from '../../src/demo/generator.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { EVENT_IMPORT_IN_FLIGHT, eventImport, importNdjson, profileImport } from '../../src/ingest/import-ndjson.js';
import { parseProfileRecords } from '../../src/ingest/profile-records.js';
import { eventsCollection } from '../../src/store/collections.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { testConfig } from '../support/factories.js';

let db: Db;
let tf: Tideflow;
const users = [...generatePlatform({ seed: 23, users: 60, now: BENCH_NOW, days: 90 })];
// In time order, as a platform exports them: every batch holds many users, every user spans many batches.
const events = users.flatMap((u) => u.events).sort((a, b) => String(a.ts).localeCompare(String(b.ts)));
const file = (): Readable => Readable.from([events.map((e) => JSON.stringify(e)).join('\n')]);

beforeAll(async () => {
  db = await openTestDatabase('import_concurrent');
  tf = await openTideflow(testConfig({ TIDEFLOW_TZ: BENCH_TZ }), { db, clock: () => new Date(BENCH_NOW) });
  await tf.profiles.updateMany(parseProfileRecords(users.map((u) => u.profile)), BENCH_NOW);
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

test('concurrent batches leave every profile as the fold of its events, and a replay changes nothing', async () => {
  expect(eventImport(tf.ingest).inFlight).toBe(EVENT_IMPORT_IN_FLIGHT);
  expect(EVENT_IMPORT_IN_FLIGHT).toBeGreaterThan(1);
  const first = await importNdjson(file(), eventImport(tf.ingest), { batchSize: 40 });
  expect(first.batches).toBeGreaterThan(3 * EVENT_IMPORT_IN_FLIGHT);
  expect(first.counts).toEqual({ accepted: events.length, duplicates: 0 });
  const fold = { now: BENCH_NOW, tz: BENCH_TZ, retentionDays: tf.scoring.retentionDays };
  expect(await profilesEqual(db, users, fold)).toEqual({ equal: users.length, of: users.length });

  const again = await importNdjson(file(), eventImport(tf.ingest), { batchSize: 40 });
  expect(again.counts).toEqual({ accepted: 0, duplicates: events.length });
  expect(await eventsCollection(db).countDocuments()).toBe(events.length);
  expect(await profilesEqual(db, users, fold)).toEqual({ equal: users.length, of: users.length });
});

test('profile records are imported one batch at a time, so the last line for a user wins', async () => {
  expect(profileImport(tf.profile).inFlight ?? 1).toBe(1);
  const lines = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({ userId: 'u-many-lines', email: `v${i}@example.com` }),
  );
  const summary = await importNdjson(Readable.from([lines.join('\n')]), profileImport(tf.profile), { batchSize: 1 });
  expect(summary.batches).toBe(30);
  expect((await tf.profiles.get('u-many-lines'))?.email).toBe('v29@example.com');
});
