// Conformance: Agenda 6 with @agendajs/mongo-backend — a job defined, scheduled, locked and run
// exactly once while two workers poll the same collection, failures recorded, clean stop.
import { Agenda, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { openTestDatabase, dropTestDatabase } from '../support/test-db.js';
import type { Db } from '../../src/store/connection.js';
import { ObjectId } from 'mongodb';
import { native } from './support.js';

interface Run {
  worker: string;
  key: string;
  at: Date;
  lockedAt: unknown;
  nextRunAt: Date | null | undefined;
}

let db: Db;
let workers: Agenda[];
const runs: Run[] = [];

function worker(name: string): Agenda {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: native(db), collection: 'jobs' }),
    // Agenda leaves a lockLifetime/2 timer behind every job it runs, which keeps the process
    // alive that long, so the lifetime is short; long enough that a starved worker's lock does
    // not expire mid-run (another worker would then rightly run the job again). Locking no more
    // than it runs keeps locks young.
    name,
    processEvery: 100,
    defaultLockLifetime: 5000,
    defaultConcurrency: 5,
    defaultLockLimit: 5,
  });
  agenda.define('ping', async (job: Job<{ key: string }>) => {
    // Read the stored job while it runs: the lock must be visible to every other worker.
    const stored = await jobDoc(job.attrs._id);
    runs.push({
      worker: name,
      key: job.attrs.data.key,
      at: new Date(),
      lockedAt: stored?.lockedAt,
      nextRunAt: job.attrs.nextRunAt,
    });
    await new Promise((r) => setTimeout(r, 50));
  });
  agenda.define('broken', async () => {
    throw new Error('provider down');
  });
  return agenda;
}

async function until(probe: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The stored job (agenda hands out its ObjectId as a hex string). */
function jobDoc(id: unknown) {
  return native(db)
    .collection('jobs')
    .findOne({ _id: new ObjectId(String(id)) });
}

/** Several poll intervals, so a second (wrong) run would have happened. */
const settle = (ms = 800) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  db = await openTestDatabase('conf_agenda');
  workers = [worker('w1'), worker('w2')];
  await Promise.all(workers.map((w) => w.start()));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await dropTestDatabase(db);
});

test('a job scheduled in 1 second runs once, not before its time, holding its lock while it runs', async () => {
  const [w1] = workers as [Agenda, Agenda];
  const job = await w1.schedule('in 1 second', 'ping', { key: 'later' });
  const due = job.attrs.nextRunAt as Date;
  await until(() => runs.some((r) => r.key === 'later'), 'the scheduled job');
  await settle();
  const mine = runs.filter((r) => r.key === 'later');
  expect(mine).toHaveLength(1);
  expect(mine[0]?.at.getTime()).toBeGreaterThanOrEqual(due.getTime());
  expect(mine[0]?.lockedAt).toBeInstanceOf(Date);
  const stored = await jobDoc(job.attrs._id);
  expect(stored?.lockedAt ?? null).toBeNull();
  expect(stored?.lastFinishedAt).toBeInstanceOf(Date);
  expect(stored?.nextRunAt ?? null).toBeNull();
});

test('twenty jobs queued now are each run exactly once across two workers', async () => {
  const [w1, w2] = workers as [Agenda, Agenda];
  const keys = Array.from({ length: 20 }, (_, i) => `now-${i}`);
  await Promise.all(keys.map((key, i) => (i % 2 ? w1 : w2).now('ping', { key })));
  await until(() => keys.every((k) => runs.some((r) => r.key === k)), 'all queued jobs');
  await settle();
  const ran = runs
    .filter((r) => r.key.startsWith('now-'))
    .map((r) => r.key)
    .sort();
  expect(ran).toEqual([...keys].sort());
  expect(runs.filter((r) => r.key.startsWith('now-')).every((r) => r.lockedAt instanceof Date)).toBe(true);
});

test('a failing job records its failure and is unlocked', async () => {
  const [w1] = workers as [Agenda, Agenda];
  const job = await w1.now('broken', {});
  await until(async () => Boolean((await jobDoc(job.attrs._id))?.failedAt), 'the failure');
  const stored = await jobDoc(job.attrs._id);
  expect(stored).toMatchObject({ failCount: 1, failReason: 'provider down' });
  await until(async () => ((await jobDoc(job.attrs._id))?.lockedAt ?? null) === null, 'the unlock');
});

test('stop() leaves no job locked and nothing runs after it', async () => {
  const [w1, w2] = workers as [Agenda, Agenda];
  await Promise.all([w1.stop(), w2.stop()]);
  const before = runs.length;
  const scheduler = worker('w3');
  await scheduler.now('ping', { key: 'after-stop' });
  await settle(2600); // also outlasts the lockLifetime/2 timers of the jobs run so far
  await scheduler.stop();
  expect(runs.length).toBe(before);
  expect(
    await native(db)
      .collection('jobs')
      .countDocuments({ lockedAt: { $ne: null } }),
  ).toBe(0);
  expect(
    await native(db)
      .collection('jobs')
      .countDocuments({ 'data.key': 'after-stop', nextRunAt: { $ne: null } }),
  ).toBe(1);
});
