// A known population through ingest, then the platform funnel (overall and per acquisition
// channel, with the quadrant) and engagement, with counts worked out by hand.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/api/app.js';
import { reportCommand } from '../../src/cli/report.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { ingest } from '../../src/ingest/ingest.js';
import { parseProfileRecords } from '../../src/ingest/profile-records.js';
import { engagementReport, funnelReport } from '../../src/track/reports.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { apiKey } from '../support/api-key.js';
import { fixedClock, testConfig } from '../support/factories.js';
import { listen, send } from '../support/http.js';

let db: Db;
let tf: Tideflow;
const RANGE = { from: '2026-11-01', to: '2026-11-30' };

type Step = [type: string, day: string, extra?: Record<string, unknown>];
const POPULATION: Record<string, Step[]> = {
  a1: [
    ['register', '11-02', { channel: 'app_store' }],
    ['real_name_verified', '11-02'],
    ['bank_card_bound', '11-03'],
    ['purchase', '11-05', { amount: 10_000 }],
    ['app_open', '11-10'],
  ],
  a2: [
    ['register', '11-05', { channel: 'app_store' }],
    ['real_name_verified', '11-06'],
  ],
  a3: [
    ['register', '10-15', { channel: 'app_store' }],
    ['app_open', '11-20'],
    ['purchase', '11-20', { amount: 4000 }],
  ],
  d1: [
    ['register', '11-10', { channel: 'douyin_ads' }],
    ['real_name_verified', '11-12'],
  ],
  d2: [['register', '11-11', { channel: 'douyin_ads' }]],
  d3: [
    ['register', '11-12', { channel: 'douyin_ads' }],
    ['message_delivered', '11-13'],
    ['message_clicked', '11-14'],
  ],
  r1: [
    ['register', '11-03', { channel: 'referral' }],
    ['real_name_verified', '11-03'],
    ['bank_card_bound', '11-04'],
    ['purchase', '11-04', { amount: 20_000 }],
  ],
  b1: [['register', '11-20', { channel: 'baidu_sem' }]],
  v1: [['app_open', '11-15']],
  o1: [
    ['register', '10-01', { channel: 'app_store' }],
    ['app_open', '10-05'],
  ],
  // Card bound and first purchase after the range: not counted.
  z1: [
    ['register', '11-29', { channel: 'referral' }],
    ['bank_card_bound', '12-01'],
    ['purchase', '12-01', { amount: 1000 }],
  ],
};

beforeAll(async () => {
  db = await openTestDatabase('report_funnel');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock(new Date('2026-12-01T12:00:00+08:00')) });
  const events = Object.entries(POPULATION).flatMap(([userId, steps]) =>
    steps.map(([type, day, extra], i) => ({
      id: `${userId}-${i}`,
      userId,
      type,
      ts: `2026-${day}T10:00:00+08:00`,
      ...extra,
    })),
  );
  await ingest(tf.ingest, events);
  const push = {
    pushToken: 'device-token-1',
    consent: { push: { granted: true, at: '2026-11-01T00:00:00Z', source: 'app' } },
  };
  await tf.profiles.updateMany(
    parseProfileRecords([
      { userId: 'a1', ...push },
      { userId: 'r1', ...push },
      { userId: 'd1', pushToken: 'device-token-2' },
    ]),
    tf.clock(),
  );
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

test('the funnel of November: visitors, the cohort registered in it, and its steps by the 30th', async () => {
  const f = await funnelReport(tf.outcomes.reports, RANGE);
  expect(f.range).toEqual({ first: '2026-11-01', last: '2026-11-30' });
  expect(f.channels).toBeUndefined();
  expect(f.overall.counts).toEqual({
    visit: 10,
    register: 8,
    realName: 4,
    cardBound: 2,
    firstPurchase: 2,
    purchases: 3,
    purchaseAmount: 34_000,
  });
  expect(f.overall.stepRates).toEqual({ visit: null, register: 0.8, realName: 0.5, cardBound: 0.5, firstPurchase: 1 });
  expect(f.overall.averageTicket).toBeCloseTo(34_000 / 3, 9);
  // UV × register rate × invest rate × average ticket = 10 × 0.8 × 0.25 × 11,333.33
  expect(f.overall.investment).toBeCloseTo(22_666.67, 2);
});

test('per acquisition channel, with each channel in its quadrant', async () => {
  const f = await funnelReport(tf.outcomes.reports, { ...RANGE, by: 'channel' });
  const rows = new Map(f.channels?.map((r) => [r.channel, r]));
  expect([...rows.keys()]).toEqual(['app_store', 'douyin_ads', 'referral', '(none)', 'baidu_sem']);
  expect(rows.get('app_store')?.stats.counts).toEqual({
    visit: 3,
    register: 2,
    realName: 2,
    cardBound: 1,
    firstPurchase: 1,
    purchases: 2,
    purchaseAmount: 14_000,
  });
  expect(rows.get('douyin_ads')?.stats.counts).toMatchObject({
    visit: 3,
    register: 3,
    realName: 1,
    cardBound: 0,
    firstPurchase: 0,
  });
  expect(rows.get('referral')?.stats.counts).toMatchObject({
    visit: 2,
    register: 2,
    realName: 1,
    cardBound: 1,
    firstPurchase: 1,
    purchaseAmount: 20_000,
  });
  expect(rows.get('(none)')?.stats.counts).toMatchObject({ visit: 1, register: 0 });
  expect(rows.get('(none)')?.point).toBeUndefined();
  // Mean traffic 9 / 4 = 2.25; platform invest rate 2 / 8 = 25%.
  expect(f.channels?.flatMap((r) => (r.point ? [[r.channel, r.point.quadrant]] : []))).toEqual([
    ['app_store', 'keep-investing'],
    ['douyin_ads', 'target-better'],
    ['referral', 'grow-carefully'],
    ['baidu_sem', 'watch'],
  ]);
});

test('engagement: DAU/MAU without outcome events, 7-day retention of the November cohort, push reach', async () => {
  const e = await engagementReport(tf.outcomes.reports, RANGE);
  expect(e.daily).toHaveLength(30);
  expect(e.daily.find((d) => d.day === '2026-11-20')).toEqual({ day: '2026-11-20', active: 2 });
  expect(e.daily.find((d) => d.day === '2026-11-13')).toEqual({ day: '2026-11-13', active: 0 });
  expect(e.dau).toBe(0);
  expect(e.mau).toBe(10);
  // a1 4 days, a2 2, a3 1, d1 2, d2 1, d3 1, r1 2, b1 1, v1 1, z1 1: 16 user-days over 30 days and 10 users.
  expect(e.dauMau).toBeCloseTo(16 / 30 / 10, 12);
  // Registered by 11-23: a1, a2, r1, d1, d2, d3, b1; back within a week: a1, a2, r1, d1.
  expect(e.retention7).toEqual({ cohort: 7, retained: 4, rate: 4 / 7 });
  expect(e.push).toEqual({ users: 11, reachable: 2, reachRate: 2 / 11 });
  expect(e.pushDelivery).toEqual({ sent: 0, delivered: 0, rate: null });
});

test('GET /v1/reports/funnel and /engagement; a range ending before it starts is 400', async () => {
  const api = await listen(createApp({ ...tf, outcomes: tf.outcomes }, { report: () => undefined }));
  const key = await apiKey(db, 'viewer');
  try {
    const f = await send(
      `${api.url}/v1/reports/funnel?from=2026-11-01&to=2026-11-30&by=channel`,
      'GET',
      undefined,
      key,
    );
    expect(f.status).toBe(200);
    expect(f.body).toMatchObject({
      overall: { counts: { visit: 10, register: 8 } },
      channels: expect.arrayContaining([expect.objectContaining({ channel: 'referral' })]),
    });
    const e = await send(`${api.url}/v1/reports/engagement?from=2026-11-01&to=2026-11-30`, 'GET', undefined, key);
    expect(e.body).toMatchObject({ mau: 10, retention7: { cohort: 7, retained: 4 } });
    const bad = await send(`${api.url}/v1/reports/funnel?from=2026-11-30&to=2026-11-01&by=week`, 'GET', undefined, key);
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['query.by']);
  } finally {
    await api.close();
  }
});

test('tideflow report funnel: text, --json and --html; bad arguments are named', async () => {
  const config = testConfig({ TIDEFLOW_DB: db.name });
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await reportCommand.run(args, config, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };
  const text = await run(['funnel', '--by', 'channel', '--from', '2026-11-01', '--to', '2026-11-30']);
  expect(text.code).toBe(0);
  expect(text.out.join('\n')).toContain('investment = 10 UV × 80.0% × 25.0% × ¥11,333.33 = ¥22,666.67');
  expect(text.out.join('\n')).toMatch(/referral +2 +2 +50\.0% +high quality, low traffic: grow it carefully/);
  const json = await run(['funnel', '--from', '2026-11-01', '--to', '2026-11-30', '--json']);
  expect(JSON.parse(json.out.join('\n'))).toMatchObject({ overall: { counts: { visit: 10, firstPurchase: 2 } } });
  const dir = await mkdtemp(join(tmpdir(), 'tideflow-cli-report-'));
  try {
    const html = await run(['funnel', '--from', '2026-11-01', '--to', '2026-11-30', '--html', join(dir, 'r.html')]);
    expect(html.out).toEqual([`report written to ${join(dir, 'r.html')}`]);
    const page = await readFile(join(dir, 'r.html'), 'utf8');
    expect(page).toContain('data-chart="channel-quadrant"');
    expect(page).toContain('data-chart="dau"');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await expect(run(['funnel', '--from', '2026-11-31'])).rejects.toMatchObject({ issues: [{ path: '--from' }] });
  expect((await run(['campaign'])).code).toBe(1);
});
