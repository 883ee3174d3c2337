// SIGTERM: `tideflow work` stops mid-run and hands back what it holds, so a worker started after
// it finishes the run long before a job lock could have expired (the lock lifetime is set to two
// minutes here, so a lock left behind would show); `tideflow serve` answers the request it is
// working on, closes the API and exits 0.
import { rm } from 'node:fs/promises';
import { Campaign, type CampaignInput } from '../../src/domain/campaign.js';
import { loadBatch, type LoadShape } from '../../src/bench/load-client.js';
import { batchJournal, nativeDb } from '../../src/store/collections.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import { openWorld, seedUsers, type UserSpec } from '../support/campaign-world.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase, testUri } from '../support/test-db.js';
import {
  contactedTwice,
  faultyProxy,
  ledgerRows,
  queueManualRun,
  receivedByDelivery,
  rulesFolder,
  sleep,
  untilSettled,
  workerEnv,
} from './fault-drill.js';
import { checkIngest } from '../../src/bench/load-check.js';
import { startServe } from './serve-process.js';
import { startWorkerProcess, type WorkerProcess } from './workers.js';

const USERS = 240;
const LOCK_MS = 120_000;
const CAMPAIGN: CampaignInput = {
  id: 'shutdown-drill',
  name: 'Shutdown drill',
  segment: 'registered',
  schedule: { cron: '0 3 1 1 *', timezone: 'Asia/Shanghai' },
  channels: ['push'],
  template: 'weekly-picks',
  product: { fallbackCategory: 'money' },
  limits: { quietHours: { sms: null, email: null, push: null } },
  status: 'active',
};

function users(): UserSpec[] {
  return Array.from({ length: USERS }, (_, i) => ({ id: `g${String(i).padStart(3, '0')}`, consent: ['push'] }));
}

test('SIGTERM to a worker mid-send: it exits 0 leaving no job locked, and the next worker finishes the run well within the lock lifetime', async () => {
  const w = await openWorld({ label: 'shutdown', campaigns: [Campaign.parse(CAMPAIGN)] });
  const rules = await rulesFolder(CAMPAIGN);
  // A slow push gateway while the first worker runs: its outbox pass (up to 200 sends, 8 at a time,
  // 3 s each) outlasts the 15 s a stopping worker waits for running jobs.
  const gateway = new URL(w.receivers.push.url);
  const push = await faultyProxy(gateway.origin);
  push.delay(3000);
  let workers: WorkerProcess[] = [];
  try {
    await seedUsers(w, users());
    const occurrence = await queueManualRun(w, CAMPAIGN.id);
    const env = workerEnv(w, `${testUri()}/${w.db.name}`, rules, {
      TIDEFLOW_JOB_LOCK_MS: String(LOCK_MS),
      TIDEFLOW_CHANNEL_TIMEOUT_MS: '5000',
      TIDEFLOW_SEND_LEASE_MS: '8000',
      PUSH_GATEWAY_URL: `${push.url}${gateway.pathname}`,
    });
    const first = startWorkerProcess(env);
    workers = [first];
    const pid = (await first.waitFor(/worker (\d+) running/))[1];
    const deadline = Date.now() + 60_000;
    while ((await deliveriesCollection(w.db).countDocuments({ occurrence, state: 'sent' })) < 16) {
      if (Date.now() > deadline) throw new Error(`nothing sent within 60 s:\n${first.output()}`);
      await sleep(50);
    }
    const stoppedAt = Date.now();
    expect(await first.stop()).toBe(0);
    const stopMs = Date.now() - stoppedAt;
    push.delay(0);
    const locked = await nativeDb(w.db)
      .collection('jobs')
      .find({ lockedAt: { $ne: null }, lastModifiedBy: { $regex: `^tideflow-.*-${pid}$` } })
      .toArray();
    expect(locked.map((j) => j.name as string)).toEqual([]);
    expect(await deliveriesCollection(w.db).countDocuments({ occurrence, state: 'sent' })).toBeLessThan(USERS);
    workers = [startWorkerProcess(env)];
    await untilSettled(w, occurrence, USERS, LOCK_MS / 2, () => workers.map((x) => x.output()).join('\n'));
    process.stdout.write(
      `graceful shutdown: the worker stopped in ${stopMs} ms; the run settled ${Date.now() - stoppedAt} ms after the stop (lock lifetime ${LOCK_MS} ms)\n`,
    );
    // Sends cut short by the stop were settled or reconciled through the gateway's lookup: each user reached once.
    const rows = await ledgerRows(w, occurrence);
    const received = receivedByDelivery(w);
    for (const d of rows.filter((r) => r.state === 'sent')) expect([d._id, received.get(d._id)]).toEqual([d._id, 1]);
    expect(rows.filter((r) => r.state !== 'sent' && r.state !== 'unknown')).toEqual([]);
    expect(contactedTwice(w)).toEqual([]);
  } finally {
    await Promise.all(workers.map((x) => x.stop()));
    await push.close();
    await rm(rules, { recursive: true, force: true });
    await w.close();
  }
}, 180_000);

test('SIGTERM to serve mid-request: the request is answered, new connections are refused, the process exits 0', async () => {
  const db = await openTestDatabase('shutdown_api');
  const shape: LoadShape = { run: 'sigterm', batchSize: 5000, users: 50, at: new Date(Date.now() - 3_600_000) };
  try {
    const server = await startServe({ MONGODB_URI: `${testUri()}/${db.name}`, TIDEFLOW_MAX_BATCH: '10000' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${await apiKey(db, 'ingest')}` };
    const answer = fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify(loadBatch(shape, 0)),
    });
    // The batch is journaled: the request is being worked on.
    const deadline = Date.now() + 20_000;
    while ((await batchJournal(db).countDocuments({})) === 0 && Date.now() < deadline) await sleep(5);
    const stopStarted = Date.now();
    const exited = server.stop();
    const res = await answer;
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 5000, duplicates: 0 });
    expect(await exited).toBe(0);
    process.stdout.write(
      `graceful shutdown: serve exited ${Date.now() - stopStarted} ms after SIGTERM, its request answered\n`,
    );
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(await checkIngest(db, shape, 1)).toEqual({ events: 5000, pendingBatches: 0, miscounted: [] });
  } finally {
    await dropTestDatabase(db);
  }
}, 60_000);
