import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PHONE_FORMAT } from '../../src/domain/profile.js';
import { connect } from '../../src/store/connection.js';
import { testUri } from '../support/test-db.js';
import { anEvent } from '../support/factories.js';
import { startTideflow, tideflow } from '../support/cli.js';

let dir: string;
const dbName = `t_cli_${randomBytes(4).toString('hex')}`;
const env = (): Record<string, string> => ({ MONGODB_URI: testUri(), TIDEFLOW_DB: dbName });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tideflow-cli-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const db = await connect(testUri(), dbName);
  await db.dropDatabase();
  await db.close();
});

const ndjson = (name: string, rows: unknown[]): string => {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  return file;
};

test('events and profiles imported by one process are seen by the next', async () => {
  const events = ndjson('events.ndjson', [
    anEvent({ userId: 'cli1', type: 'register', ts: '2026-11-01T10:00:00+08:00', channel: 'referral' }),
    anEvent({ userId: 'cli1', type: 'click_submit', ts: '2026-11-19T10:00:00+08:00' }),
  ]);
  const profiles = ndjson('profiles.ndjson', [{ userId: 'cli1', phone: '138 0013 8000', attributes: { risk: 'C2' } }]);
  const imported = await tideflow(['import', 'events', events], env());
  expect(imported).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('2 lines, 2 accepted, 0 duplicates') as string,
  });
  expect(await tideflow(['import', 'profiles', profiles], env())).toMatchObject({
    code: 0,
    stdout: expect.stringContaining('1 updated') as string,
  });

  const shown = await tideflow(['profile', 'cli1', '--now', '2026-11-20T10:00:00+08:00'], env());
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.stdout)).toMatchObject({
    userId: 'cli1',
    phone: '+8613800138000',
    attributes: { risk: 'C2' },
    acquisitionChannel: 'referral',
    metrics: { intentScore: 1.5, eventCount: { click_submit: 1 }, daysSince: { register: 19 } },
  });
  expect(await tideflow(['import', 'events', events], env())).toMatchObject({
    stdout: expect.stringContaining('0 accepted, 2 duplicates') as string,
  });
});

test('a bad line is reported with its line and path, its batch is not stored, and the exit code is 1', async () => {
  const file = ndjson('bad.ndjson', [
    anEvent({ userId: 'cli2' }),
    anEvent({ userId: 'cli3' }),
    { ...anEvent({ userId: 'cli3' }), ts: 'later' },
    anEvent({ userId: 'cli4' }),
  ]);
  const run = await tideflow(['import', 'events', file, '--batch-size', '2'], env());
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`${file}: line 3: ts: Invalid ISO datetime`);
  expect(run.stdout).toContain('4 lines, 2 accepted, 0 duplicates, 1 batch rejected (2 lines not stored)');
  expect((await tideflow(['profile', 'cli3'], env())).code).toBe(0);
  // (Its stderr may begin with a warning that the data's newest event is far from today.)
  expect(await tideflow(['profile', 'cli4'], env())).toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/(^|\n)tideflow profile: no profile for user 'cli4'\n$/),
  });
});

test('a bad phone number is explained in words that masking leaves readable', async () => {
  const file = ndjson('bad-phone.ndjson', [{ userId: 'cli9', phone: '12800138000' }]);
  const run = await tideflow(['import', 'profiles', file], env());
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    `${file}: line 1: phone: a mainland mobile starts with 13 to 19, but it starts with 12; expected ${PHONE_FORMAT}`,
  );
  expect(run.stderr).not.toContain('*');
});

test('a file whose every batch is rejected exits 1 cleanly after its summary, whatever the bad lines are', async () => {
  const files = [
    ndjson('one-bad.ndjson', [{ ...anEvent({ userId: 'cli6' }), ts: 'soon' }]),
    ndjson('all-bad.ndjson', [
      { ...anEvent({ userId: 'cli6' }), type: 'Bad Type' },
      anEvent({ userId: 'cli6' }),
      { ...anEvent({ userId: 'cli6' }), amount: 'lots' },
    ]),
  ];
  const broken = join(dir, 'broken.ndjson');
  writeFileSync(broken, `${JSON.stringify(anEvent({ userId: 'cli6' }))}\n{"id": "e2", "userId":\n`);
  for (const file of [...files, broken]) {
    const run = await tideflow(['import', 'events', file, '--batch-size', '2'], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^imported events from .*rejected \(\d+ lines not stored\) in [\d.]+ s\n$/);
    expect(run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith(`${file}: line `))).toEqual([]);
  }
  expect((await tideflow(['profile', 'cli6'], env())).code).toBe(1);
});

test('an event dated years ahead of the clock is reported by line, and its batch is not stored', async () => {
  const file = ndjson('future.ndjson', [
    anEvent({ userId: 'cli7' }),
    anEvent({ userId: 'cli7', ts: '2030-01-01T00:00:00+08:00' }),
  ]);
  const run = await tideflow(['import', 'events', file], env());
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(
    new RegExp(
      `^${file}: line 2: ts: 2029-12-31T16:00:00.000Z is 3 years ahead of the server's clock \\(\\S+\\); events more than 5 minutes ahead are refused \\(TIDEFLOW_MAX_CLOCK_SKEW_MS\\)`,
      'm',
    ),
  );
  expect(run.stdout).toContain('2 lines, 1 batch rejected (2 lines not stored)');
  expect((await tideflow(['profile', 'cli7'], env())).code).toBe(1);
  const allowed = await tideflow(['import', 'events', file], { ...env(), TIDEFLOW_MAX_CLOCK_SKEW_MS: '200000000000' });
  expect(allowed).toMatchObject({ code: 0, stdout: expect.stringContaining('2 accepted') as string });
});

test('usage errors and missing files exit 1 without touching the database', async () => {
  expect(await tideflow(['import', 'things', 'x.ndjson'], env())).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('usage: tideflow import') as string,
  });
  expect(await tideflow(['import', 'events', join(dir, 'missing.ndjson')], env())).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('no such file') as string,
  });
  expect((await tideflow(['import', '--help'], env())).stdout).toContain(
    'What was committed: every batch without a bad',
  );
});

test('serve answers over HTTP until SIGTERM, then exits 0; events need a key made by tideflow keys create', async () => {
  const created = await tideflow(['keys', 'create', '--role', 'ingest', '--name', 'cli test'], env());
  expect(created).toMatchObject({ code: 0, stderr: expect.stringContaining('it is shown only this once') as string });
  const key = created.stdout.trim();
  const server = startTideflow(['serve', '--port', '0'], env());
  try {
    const [, url] = await server.waitFor(/API listening on (http:\/\/\S+)/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    const events = JSON.stringify([anEvent({ userId: 'srv1' })]);
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: events,
      });
    expect((await post({})).status).toBe(401);
    const posted = await post({ authorization: `Bearer ${key}` });
    expect([posted.status, await posted.json()]).toEqual([202, { accepted: 1, duplicates: 0 }]);
  } finally {
    expect(await server.stop()).toBe(0);
  }
  expect((await tideflow(['profile', 'srv1'], env())).code).toBe(0);
});

test('an imported redeem queues the re-engagement evaluation for the worker, once however often it is imported', async () => {
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  const file = ndjson('redeem.ndjson', [
    anEvent({ id: 'cli-redeem-1', userId: 'cli5', type: 'redeem', ts, amount: 20_000 }),
  ]);
  expect((await tideflow(['import', 'events', file], env())).code).toBe(0);
  expect((await tideflow(['import', 'events', file], env())).code).toBe(0);
  const db = await connect(testUri(), dbName);
  try {
    const jobs = await db
      .collection('jobs')
      .find({ name: 'campaign-trigger', 'data.eventId': 'cli-redeem-1' })
      .toArray();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toMatchObject({
      campaignId: 'reengage-redeemed',
      userId: 'cli5',
      type: 'redeem',
      amount: 20_000,
    });
    // The campaign's delay: three days after the redemption.
    expect((jobs[0]?.nextRunAt as Date).getTime()).toBe(new Date(ts).getTime() + 3 * 86_400_000);
  } finally {
    await db.close();
  }
});
