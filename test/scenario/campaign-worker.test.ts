// The Agenda path in real time: workers plan a run in chunks and send it once between them, a
// scheduled campaign is registered at its next cron slot, and an ingested event reaches its
// triggered campaign's outbox.
import { nextOccurrence } from '../../src/domain/campaign-schedule.js';
import { manualOccurrence } from '../../src/domain/delivery.js';
import type { Worker } from '../../src/jobs/worker.js';
import { startCampaignWorker } from '../../src/wiring/campaigns.js';
import { ingest } from '../../src/ingest/ingest.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import { ledgerOf, openWorld, realClock, seedUsers, testCampaign, type World } from '../support/campaign-world.js';

const NO_QUIET = { quietHours: { sms: null, email: null, push: null } };
let w: World;
let workers: Worker[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  w = await openWorld({
    label: 'campaign_worker',
    clock: realClock(),
    env: { TIDEFLOW_JOB_POLL_MS: '100', TIDEFLOW_CHUNK_SIZE: '7', TIDEFLOW_JOB_LOCK_MS: '6000' },
    campaigns: [
      testCampaign({ limits: NO_QUIET }),
      testCampaign({
        id: 'on-redeem',
        schedule: undefined,
        trigger: { event: 'redeem', delay: '1m', within: '1d' },
        limits: { ...NO_QUIET, cooldown: '1d' },
        priority: 50,
      }),
    ],
  });
  await seedUsers(
    w,
    Array.from({ length: 30 }, (_, i) => ({ id: `u${String(i).padStart(2, '0')}`, consent: ['push' as const] })),
  );
  workers = await Promise.all(
    [1, 2].map(() => startCampaignWorker(w.tf.config, w.db, w.rt, (err) => errors.push(err))),
  );
});
afterAll(async () => {
  await Promise.all(workers.map((x) => x.stop()));
  await w.close();
  // Agenda's liveness timers of the jobs that ran end half a lock lifetime later.
  await new Promise((r) => setTimeout(r, 3100));
});

async function until(probe: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a scheduled campaign is registered once, at its next cron slot in its time zone', async () => {
  expect(workers.map((x) => x.schedules)).toEqual([['campaign-schedule:test-picks'], ['campaign-schedule:test-picks']]);
  const jobs = await w.db.collection('jobs').find({ name: 'campaign-schedule:test-picks' }).toArray();
  expect(jobs).toHaveLength(1);
  const expected = nextOccurrence({ cron: '0 10 * * 5', timezone: 'Asia/Shanghai' }, new Date());
  expect(jobs[0]?.nextRunAt).toEqual(expected);
});

test('a worker starting with rules that no longer schedule a campaign cancels its repeating job', async () => {
  const jobs = w.db.collection('jobs');
  await jobs.insertOne({
    name: 'campaign-schedule:retired',
    type: 'single',
    priority: 0,
    nextRunAt: new Date(Date.now() + 86_400_000),
    repeatInterval: '0 10 * * 5',
    repeatTimezone: 'Asia/Shanghai',
    data: { campaignId: 'retired' },
  });
  const third = await startCampaignWorker(w.tf.config, w.db, w.rt, (err) => errors.push(err));
  try {
    expect(third.schedules).toEqual(['campaign-schedule:test-picks']);
    expect(await jobs.countDocuments({ name: 'campaign-schedule:retired' })).toBe(0);
    expect(await jobs.countDocuments({ name: 'campaign-schedule:test-picks' })).toBe(1);
  } finally {
    await third.stop();
  }
});

test('two workers plan a run in chunks and send each user exactly one message', async () => {
  const occurrence = manualOccurrence(new Date());
  await workers[0]?.plan({ campaignId: 'test-picks', kind: 'manual', occurrence });
  const ledger = deliveriesCollection(w.db);
  await until(async () => (await ledger.countDocuments({ occurrence, state: 'sent' })) === 30, 'thirty sends');
  expect(await w.rt.runs.get(`test-picks~${occurrence}`)).toMatchObject({ status: 'planned', chunks: 5, matched: 30 });
  expect(w.receivers.push.received).toHaveLength(30);
  expect(new Set(w.receivers.push.received.map((p) => p.to)).size).toBe(30);
  expect(errors).toEqual([]);
});

test('an ingested redeem is evaluated after its delay and contacted by the worker', async () => {
  // Due three seconds from now: the job is still there to be seen before it runs (and is removed).
  const at = new Date(Date.now() - 57_000).toISOString();
  await ingest({ ...w.tf.ingest, triggers: w.rt.triggers(workers[1]!.queue) }, [
    { id: 'r1', userId: 'u07', type: 'redeem', amount: 5000, ts: at },
  ]);
  const jobs = await w.db.collection('jobs').find({ name: 'campaign-trigger' }).toArray();
  expect(jobs.map((j) => j.data)).toEqual([
    expect.objectContaining({ campaignId: 'on-redeem', eventId: 'r1', userId: 'u07' }),
  ]);
  expect(jobs[0]?.nextRunAt).toEqual(new Date(new Date(at).getTime() + 60_000));
  await until(async () => (await ledgerOf(w, 'on-redeem')).get('u07')?.state === 'sent', 'the triggered send');
  expect(w.receivers.push.received.filter((p) => p.to === 'push-token-u07')).toHaveLength(2);
  expect(errors).toEqual([]);
});
