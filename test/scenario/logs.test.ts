// What an operator reads in the logs of a worker and of the API: JSON lines with the campaign,
// occurrence, job and request ids, errors with their stacks, no contact point of any user, and a
// job that cannot succeed failed once instead of retried.
import { createApp } from '../../src/api/app.js';
import { manualOccurrence } from '../../src/domain/delivery.js';
import { startWorker, type Worker } from '../../src/jobs/worker.js';
import { createLogger } from '../../src/logger.js';
import type { Audience } from '../../src/ports/audience.js';
import { apiKey } from '../support/api-key.js';
import { openWorld, realClock, seedUsers, testCampaign, type World } from '../support/campaign-world.js';
import { listen, send } from '../support/http.js';

const NO_QUIET = { quietHours: { sms: null, email: null, push: null } };
const USERS = ['u01', 'u02', 'u03', 'u04', 'u05'];
/** What seedUsers gives the users, and a push token of a real token's shape. */
const PHONES = USERS.map((_, i) => `+86138${String(10_000_000 + i).slice(-8)}`);
const EMAILS = USERS.map((u) => `${u}@example.com`);
const TOKEN = 'fcm8Jk2LmQ9xTz4vBn7wRy1cHd5sGf3aPe6uKo0iXj8hNm2bVq4lZt7rYw1sDe5g';

let w: World;
let worker: Worker;
const lines: string[] = [];
const log = createLogger({ LOG_LEVEL: 'debug', LOG_JSON: true }, { destination: { write: (l) => lines.push(l) } });

/** The audience, except for `broken`, whose read fails as a driver error echoing a document would. */
function failingFor(real: Audience): Audience {
  return {
    ...real,
    members: (c, now) => {
      if (c.id !== 'broken') return real.members(c, now);
      throw new Error(`E11000 dup key: { phone: "${PHONES[0]}", email: "${EMAILS[0]}", pushToken: "${TOKEN}" }`);
    },
  };
}

beforeAll(async () => {
  w = await openWorld({
    label: 'logs',
    clock: realClock(),
    campaigns: [
      testCampaign({ channels: ['sms', 'email', 'push'], limits: NO_QUIET }),
      testCampaign({ id: 'broken', limits: NO_QUIET }),
    ],
  });
  await seedUsers(
    w,
    USERS.map((id) => ({ id })),
  );
  if (!w.db.db) throw new Error('no database');
  worker = await startWorker(
    { db: w.db.db, run: { ...w.rt.run, audience: failingFor(w.rt.run.audience) }, deliver: w.rt.deliver, log },
    { processEveryMs: 100, deliverEveryMs: 500, lockLifetimeMs: 6000 },
  );
});
afterAll(async () => {
  await worker.stop();
  await w.close();
  // Agenda's liveness timers of the jobs that ran end half a lock lifetime later.
  await new Promise((r) => setTimeout(r, 3100));
});

type Entry = Record<string, unknown> & { msg: string; level: string };
const entries = (): Entry[] => lines.map((l) => JSON.parse(l) as Entry);

async function until(probe: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function expectNoContactPoints(): void {
  const all = lines.join('');
  for (const contact of [...PHONES, ...PHONES.map((p) => p.slice(1)), ...EMAILS, TOKEN]) {
    expect(all).not.toContain(contact);
  }
}

test('a campaign run logs JSON lines with its ids, the outbox counts and no contact point', async () => {
  const occurrence = manualOccurrence(new Date());
  await worker.plan({ campaignId: 'test-picks', kind: 'manual', occurrence });
  await until(() => w.receivers.sms.received.length === USERS.length, 'five text messages');
  await until(() => entries().some((e) => e.msg === 'outbox pass' && Number(e.sent) > 0), 'an outbox pass that sent');
  for (const line of lines) expect(line.endsWith('\n') && typeof JSON.parse(line)).toBe('object');
  const ofRun = entries().filter((e) => e.occurrence === occurrence);
  expect(ofRun).toContainEqual(
    expect.objectContaining({
      level: 'info',
      msg: 'job done',
      job: 'campaign-plan',
      jobId: expect.any(String),
      campaignId: 'test-picks',
      runId: `test-picks~${occurrence}`,
      matched: USERS.length,
    }),
  );
  expect(ofRun).toContainEqual(
    expect.objectContaining({ msg: 'job done', job: 'campaign-chunk', campaignId: 'test-picks', index: 0, sends: 5 }),
  );
  const sent = entries()
    .filter((e) => e.msg === 'outbox pass')
    .reduce((n, e) => n + Number(e.sent), 0);
  expect(sent).toBe(USERS.length);
  expect(entries().find((e) => e.msg === 'outbox pass' && Number(e.sent) > 0)).toMatchObject({
    level: 'info',
    job: 'deliver-due',
    jobId: expect.any(String),
    picked: expect.any(Number),
    failed: 0,
  });
  expectNoContactPoints();
});

test('a failing job is logged with its stack and context, its contact points masked, and retried', async () => {
  const occurrence = manualOccurrence(new Date());
  await worker.plan({ campaignId: 'broken', kind: 'manual', occurrence });
  await until(() => entries().some((e) => e.msg === 'job failed' && e.campaignId === 'broken'), 'the failure');
  const failed = entries().find((e) => e.msg === 'job failed' && e.campaignId === 'broken');
  expect(failed).toMatchObject({ level: 'error', job: 'campaign-plan', occurrence, retry: true });
  const err = failed?.err as { type: string; message: string; stack: string };
  expect(err.type).toBe('Error');
  expect(err.message).toContain('E11000 dup key: { phone: "+*********0000", email: "u***@example.com"');
  expect(err.message).toContain('fcm8***');
  expect(err.stack).toMatch(/\n\s+at .*logs\.test\.ts/);
  expectNoContactPoints();
});

test('a job for a deleted campaign fails once and is not retried', async () => {
  await worker.plan({ campaignId: 'deleted', kind: 'manual', occurrence: manualOccurrence(new Date()) });
  const jobs = w.db.collection('jobs');
  await until(
    async () => (await jobs.countDocuments({ 'data.campaignId': 'deleted', failCount: 1 })) === 1,
    'the fail',
  );
  const job = await jobs.findOne({ 'data.campaignId': 'deleted' });
  expect(job).toMatchObject({
    failCount: 1,
    nextRunAt: null,
    failReason: expect.stringContaining("no campaign 'deleted'"),
  });
  expect(entries()).toContainEqual(expect.objectContaining({ msg: 'job failed', campaignId: 'deleted', retry: false }));
});

test('a job whose data is malformed fails once, naming the field', async () => {
  const jobs = w.db.collection('jobs');
  await jobs.insertOne({
    name: 'campaign-chunk',
    type: 'normal',
    priority: 0,
    nextRunAt: new Date(),
    data: { runId: 'x~y', campaignId: 'test-picks', occurrence: 'y', index: 'first', userIds: [] },
  });
  await until(async () => (await jobs.countDocuments({ 'data.runId': 'x~y', failCount: 1 })) === 1, 'the fail');
  expect(await jobs.findOne({ 'data.runId': 'x~y' })).toMatchObject({
    nextRunAt: null,
    failReason: expect.stringMatching(/campaign-chunk has invalid data: index: /),
  });
});

test('each API request is logged with its request id; an unexpected error with its stack, masked', async () => {
  const profiles = {
    ...w.tf.profile.profiles,
    get: (id: string) => Promise.reject(new Error(`profile of ${id} (${EMAILS[1]}) is unreadable`)),
  };
  const api = await listen(createApp({ ...w.tf, profile: { ...w.tf.profile, profiles }, log }));
  try {
    const key = await apiKey(w.db, 'viewer');
    const res = await fetch(`${api.url}/v1/profiles/${encodeURIComponent(PHONES[1] ?? '')}`, {
      headers: { authorization: `Bearer ${key}`, 'x-request-id': 'req-42' },
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('req-42');
    await until(() => entries().some((e) => e.requestId === 'req-42' && e.msg === 'request'), 'the request line');
    const ofRequest = entries().filter((e) => e.requestId === 'req-42');
    expect(ofRequest.map((e) => e.msg)).toEqual(['request failed', 'request']);
    expect(ofRequest[0]).toMatchObject({ level: 'error', err: { stack: expect.stringMatching(/\n\s+at /) } });
    expect(ofRequest[1]).toMatchObject({ method: 'GET', status: 500, path: expect.stringContaining('/v1/profiles/') });
    const other = await send(`${api.url}/v1/profiles/u01`, 'GET', undefined, key);
    expect(other.status).toBe(500);
    const ids = entries()
      .filter((e) => e.msg === 'request')
      .map((e) => e.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    expectNoContactPoints();
  } finally {
    await api.close();
  }
});
