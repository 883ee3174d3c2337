import { createApp } from '../../src/api/app.js';
import { ingest } from '../../src/ingest/ingest.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { Db } from '../../src/store/connection.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { anEvent, fixedClock, testConfig } from '../support/factories.js';
import { listen, send, type Listening } from '../support/http.js';

let db: Db;
let tf: Tideflow;
let api: Listening;
const keys = { ingest: '', viewer: '' };

beforeAll(async () => {
  db = await openTestDatabase('profiles_api');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
  api = await listen(createApp(tf));
  keys.ingest = await apiKey(db, 'ingest');
  keys.viewer = await apiKey(db, 'viewer');
});
afterAll(async () => {
  await api.close();
  await tf.close();
  await dropTestDatabase(db);
});

const url = (userId: string, query = '') => `${api.url}/v1/profiles/${userId}${query}`;
const consent = { granted: true, at: '2026-11-01T10:00:00+08:00', source: 'app_settings' };

test('PUT creates (201) then updates (200) the client-owned fields, merging attributes and consent', async () => {
  expect(
    await send(
      url('c1'),
      'PUT',
      { phone: '+86 138-0013-8000', consent: { sms: consent }, attributes: { risk: 'C3', city: 'Hangzhou' } },
      keys.ingest,
    ),
  ).toEqual({ status: 201, body: { userId: 'c1', created: true } });
  expect(
    await send(
      url('c1'),
      'PUT',
      {
        email: 'li@example.com',
        consent: { push: { ...consent, granted: false } },
        attributes: { city: 'Suzhou' },
        topics: ['bond_news'],
      },
      keys.ingest,
    ),
  ).toEqual({ status: 200, body: { userId: 'c1', created: false } });
  const got = await send(url('c1'), 'GET', undefined, keys.viewer);
  expect(got.status).toBe(200);
  expect(got.body).toMatchObject({
    userId: 'c1',
    phone: '+8613800138000',
    email: 'li@example.com',
    topics: ['bond_news'],
    attributes: { risk: 'C3', city: 'Suzhou' },
    consent: {
      sms: { granted: true, at: '2026-11-01T02:00:00.000Z', source: 'app_settings' },
      push: { granted: false },
    },
    metrics: { isNewCustomer: true, intentScore: 0 },
  });
});

test('PUT with bad fields: 400 with each path; nothing changes', async () => {
  const res = await send(
    url('c2'),
    'PUT',
    { phone: '12800138000', consent: { sms: { granted: 'yes' } }, nickname: 'x' },
    keys.ingest,
  );
  expect(res.status).toBe(400);
  const paths = (res.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
  expect(paths).toEqual(['', 'consent.sms.at', 'consent.sms.granted', 'consent.sms.source', 'phone']);
  expect((await send(url('c2'), 'GET', undefined, keys.viewer)).status).toBe(404);
  expect((await send(url('bad$id'), 'PUT', {}, keys.ingest)).body).toMatchObject({ issues: [{ path: 'userId' }] });
});

test('GET returns the metrics at ?now, buckets only with ?buckets=1, and never ingest bookkeeping', async () => {
  await ingest(tf.ingest, [
    anEvent({ userId: 'm1', type: 'register', ts: '2026-10-01T10:00:00+08:00', channel: 'referral' }),
    anEvent({ userId: 'm1', type: 'purchase', ts: '2026-10-02T10:00:00+08:00', amount: 5000 }),
    anEvent({ userId: 'm1', type: 'redeem', ts: '2026-11-15T10:00:00+08:00', amount: 5100 }),
    anEvent({
      userId: 'm1',
      type: 'view_product_detail',
      ts: '2026-11-19T10:00:00+08:00',
      category: 'bond',
      durationSec: 90,
    }),
    anEvent({
      userId: 'm1',
      type: 'view_product_detail',
      ts: '2026-11-19T10:05:00+08:00',
      category: 'stock',
      durationSec: 10,
    }),
    anEvent({ userId: 'm1', type: 'click_submit', ts: '2026-11-20T09:00:00+08:00' }),
    anEvent({ userId: 'm1', type: 'click_submit', ts: '2026-11-20T09:01:00+08:00' }),
    anEvent({ userId: 'm1', type: 'click_invest', ts: '2026-11-20T09:02:00+08:00' }),
  ]);
  const res = await send(url('m1', '?now=2026-11-20T12:00:00%2B08:00'), 'GET', undefined, keys.viewer);
  expect(res.status).toBe(200);
  const body = res.body as Record<string, unknown>;
  expect(body).not.toHaveProperty('buckets');
  expect(body).not.toHaveProperty('appliedBatches');
  expect(body).toMatchObject({ userId: 'm1', acquisitionChannel: 'referral', oldestBucket: '2026-10-01' });
  expect(body.metrics).toEqual({
    now: '2026-11-20T04:00:00.000Z',
    tz: 'Asia/Shanghai',
    intentScore: 4.2,
    intentWindowDays: 14,
    categoryShare: { bond: 0.9, stock: 0.1, money: 0, index: 0, mixed: 0 },
    preferenceWindowDays: 30,
    preferredCategory: 'bond',
    hasPurchased: true,
    isNewCustomer: false,
    fundsRedeemed: true,
    eventCount: { click_invest: 1, click_submit: 2, redeem: 1, view_product_detail: 2 },
    daysSince: {
      click_invest: 0,
      click_submit: 0,
      mature: null,
      purchase: 49,
      redeem: 5,
      register: 50,
      view_product_detail: 1,
    },
  });
  // A month later the window no longer holds the burst.
  const later = await send(url('m1', '?now=2026-12-20T12:00:00Z'), 'GET', undefined, keys.viewer);
  expect((later.body as { metrics: { intentScore: number } }).metrics.intentScore).toBe(0);
  const withBuckets = await send(url('m1', '?buckets=1'), 'GET', undefined, keys.viewer);
  expect((withBuckets.body as { buckets: Record<string, unknown> }).buckets['2026-11-20']).toEqual({
    n: { click_submit: 2, click_invest: 1 },
  });
});

test('GET of an unknown user is 404; a bad ?now is 400', async () => {
  expect(await send(url('nobody'), 'GET', undefined, keys.viewer)).toEqual({
    status: 404,
    body: { error: "no profile for user 'nobody'" },
  });
  expect(await send(url('m1', '?now=tomorrow'), 'GET', undefined, keys.viewer)).toMatchObject({
    status: 400,
    body: { issues: [{ path: 'query.now' }] },
  });
});
