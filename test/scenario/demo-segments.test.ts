import { DEFAULT_SCORING } from '../../src/domain/intent-scoring.js';
import { CANONICAL_SEGMENT, segmentStep } from '../../src/demo/segment-step.js';
import { prepareDatabase, runDemo, seedPlatform, type DemoRun } from '../../src/demo/steps.js';
import { explainProfile } from '../../src/evaluate/explain-profile.js';
import type { Db } from '../../src/store/connection.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { NOW, fixedClock, testConfig } from '../support/factories.js';

const USERS = 400;

let db: Db;
let tf: Tideflow;
const out: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase('demo_segments');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock(NOW), scoring: DEFAULT_SCORING });
  const run: DemoRun = {
    ports: { ingest: tf.ingest, profiles: tf.profiles, demo: tf.demo, population: tf.population },
    options: { seed: 7, users: USERS, now: NOW, days: 90, reset: false, batchEvents: 4000 },
    io: { out: (l) => out.push(l), err: () => undefined },
    elapsed: () => 0,
    results: {},
  };
  await runDemo(run, [prepareDatabase, seedPlatform, segmentStep(tf.segments)]);
}, 300_000);
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

test('every segment size the demo prints is what json-rules-engine decides user by user', async () => {
  const users = (
    await db
      .collection('profiles')
      .find({}, { projection: { _id: 1 } })
      .toArray()
  ).map((p) => String(p._id));
  expect(users).toHaveLength(USERS);
  const expected = new Map<string, number>();
  for (const userId of users) {
    const e = await explainProfile(tf.segments, userId, { now: NOW });
    for (const s of e.segments) expected.set(s.segment, (expected.get(s.segment) ?? 0) + (s.member ? 1 : 0));
  }
  for (const [segment, count] of expected) {
    const row = out.find((l) => l.trim().startsWith(`${segment} `));
    expect(row).toBeDefined();
    expect(Number(row?.trim().split(/\s+/)[1]?.replace(/,/g, ''))).toBe(count);
  }
  expect(expected.size).toBe(tf.segments.rules.segments.size);
}, 300_000);

test('the canonical segment is explained with its members, every condition passing', () => {
  const header = out.findIndex((l) => l.startsWith(`Top members of ${CANONICAL_SEGMENT}`));
  expect(header).toBeGreaterThan(0);
  const shown = out.slice(header + 1).filter((l) => /^ {2}\S/.test(l));
  const canonical = out.find((l) => l.trim().startsWith(`${CANONICAL_SEGMENT} `));
  const size = Number(canonical?.trim().split(/\s+/)[1]);
  expect(size).toBeGreaterThan(0);
  expect(shown).toHaveLength(Math.min(3, size));
  const leaves = out.slice(header + 1).filter((l) => /^ {4}(pass|fail) /.test(l));
  expect(leaves).toHaveLength(shown.length * 4);
  expect(leaves.every((l) => l.trim().startsWith('pass'))).toBe(true);
});
