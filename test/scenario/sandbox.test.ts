// Sandbox channels end to end through the CLI: `run --sandbox` sends into local receivers that
// keep every message and report delivery back; `inbox` shows the messages as users would see them.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/api/app.js';
import type { InboxMessage } from '../../src/domain/inbox.js';
import { carrierStatus } from '../../src/receivers/carrier-outcome.js';
import { createSandboxInbox } from '../../src/store/sandbox-inbox.js';
import { apiKey } from '../support/api-key.js';
import { ledgerOf, openWorld, seedUsers, type World } from '../support/campaign-world.js';
import { tideflow } from '../support/cli.js';
import { testUri } from '../support/test-db.js';
import { listen, send } from '../support/http.js';

let w: World;
let dir: string;
const env = (): Record<string, string> => ({
  MONGODB_URI: testUri(),
  TIDEFLOW_DB: w.db.name,
  TIDEFLOW_RULES_DIR: join(dir, 'rules'),
  TIDEFLOW_DATA_DIR: join(dir, 'data'),
});
const NOW = '2026-11-20T10:00:00+08:00';

beforeAll(async () => {
  w = await openWorld({ label: 'sandbox' });
  // One user reachable on each channel only: the campaign reaches each on a different one.
  await seedUsers(w, [
    { id: 'u-sms', consent: ['sms'] },
    { id: 'u-push', consent: ['push'] },
    { id: 'u-email', consent: ['email'] },
  ]);
  dir = await mkdtemp(join(tmpdir(), 'tideflow-sandbox-'));
  await cp('rules', join(dir, 'rules'), { recursive: true });
  await writeFile(
    join(dir, 'rules', 'campaigns', 'sandbox-hello.json'),
    JSON.stringify({
      id: 'sandbox-hello',
      name: 'Sandbox hello',
      segment: 'registered',
      schedule: { cron: '0 10 * * 5', timezone: 'Asia/Shanghai' },
      channels: ['sms', 'push', 'email'],
      template: 'weekly-picks',
      product: { fallbackCategory: 'money' },
      holdout: 0,
      status: 'active',
    }),
  );
});
afterAll(async () => {
  await w.close();
  await rm(dir, { recursive: true, force: true });
});

test('run --sandbox sends into local receivers, says so, and inbox shows each message as its user sees it', async () => {
  const run = await tideflow(['run', 'sandbox-hello', '--sandbox', '--now', NOW], env());
  expect(run.stderr).toContain('sandbox channels: messages go to local receivers on this machine, not to users');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('sandbox: see the messages with `tideflow inbox --campaign sandbox-hello`');

  const all = JSON.parse((await tideflow(['inbox', '--json'], env())).stdout) as InboxMessage[];
  expect(all.map((m) => [m.userId, m.channel, m.campaignId]).sort()).toEqual([
    ['u-email', 'email', 'sandbox-hello'],
    ['u-push', 'push', 'sandbox-hello'],
    ['u-sms', 'sms', 'sandbox-hello'],
  ]);

  const sms = await tideflow(['inbox', '--user', 'u-sms'], env());
  expect(sms.code).toBe(0);
  const lines = sms.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(
    /^2026-11-20 10:00:00 \+08:00 {2}sms to \+86138\d{8} {2}\(user u-sms, campaign sandbox-hello\)$/,
  );
  expect(lines[1]).toBe('  from: +8610690000');
  expect(sms.stdout.trimEnd()).toMatch(/回T退订$/);

  const push = await tideflow(['inbox', '--campaign', 'sandbox-hello', '--user', 'u-push'], env());
  expect(push.stdout).toMatch(/push to push-token-u-push {2}\(user u-push, campaign sandbox-hello\)\n {2}title: \S/);
  const email = await tideflow(['inbox', '--user', 'u-email'], env());
  expect(email.stdout).toMatch(
    /email to u-email@example\.com .*\n {2}from: .*noreply@tideflow\.local.*\n {2}subject: \S/,
  );

  expect((await tideflow(['inbox', '--user', 'nobody'], env())).stdout).toContain('holds no such message');
});

test('the local receivers report delivery as real providers do: the ledger holds each final status', async () => {
  const ledger = await ledgerOf(w, 'sandbox-hello');
  const status = (user: string): unknown =>
    (ledger.get(user) as unknown as { outcome?: { status?: string } } | undefined)?.outcome?.status;
  const phone = (await w.tf.profiles.get('u-sms'))?.phone ?? '';
  expect(status('u-sms')).toBe(carrierStatus(phone));
  expect(status('u-push')).toBe('delivered');
  expect(status('u-email')).toBe('delivered');
});

test('GET /v1/inbox shows the same messages to a viewer key, filtered by user and campaign', async () => {
  const api = await listen(createApp({ ...w.tf, inbox: createSandboxInbox(w.db) }, { report: () => undefined }));
  try {
    const viewer = await apiKey(w.db, 'viewer');
    const got = await send(`${api.url}/v1/inbox?userId=u-push&campaignId=sandbox-hello`, 'GET', undefined, viewer);
    expect(got.status).toBe(200);
    const { messages } = got.body as { messages: InboxMessage[] };
    expect(messages).toEqual([
      expect.objectContaining({
        channel: 'push',
        userId: 'u-push',
        to: 'push-token-u-push',
        receivedAt: expect.any(String),
      }),
    ]);
    expect((await send(`${api.url}/v1/inbox?campaignId=other`, 'GET', undefined, viewer)).body).toEqual({
      messages: [],
    });
    expect((await send(`${api.url}/v1/inbox?limit=0`, 'GET', undefined, viewer)).status).toBe(400);
    expect((await send(`${api.url}/v1/inbox`, 'GET', undefined, await apiKey(w.db, 'ingest'))).status).toBe(403);
  } finally {
    await api.close();
  }
});

test('a run without --sandbox and without providers never falls back to the sandbox', async () => {
  const run = await tideflow(['run', 'sandbox-hello', '--now', NOW], env());
  expect(run.code).toBe(1);
  expect(run.stderr).not.toContain('sandbox channels: messages go');
});

test('TIDEFLOW_CHANNELS=sandbox turns the sandbox on as --sandbox does', async () => {
  const run = await tideflow(['run', 'sandbox-hello', '--now', '2026-11-27T10:00:00+08:00'], {
    ...env(),
    TIDEFLOW_CHANNELS: 'sandbox',
  });
  expect(run.stderr).toContain('sandbox channels: messages go to local receivers on this machine, not to users');
  expect(run.code).toBe(0);
});
