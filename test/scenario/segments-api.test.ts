import { createApp } from '../../src/api/app.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { ingest } from '../../src/ingest/ingest.js';
import type { Db } from '../../src/store/connection.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { anEvent, fixedClock, testConfig } from '../support/factories.js';
import { listen, send, type Listening } from '../support/http.js';

let db: Db;
let tf: Tideflow;
let api: Listening;
let key: string;
const NOW = encodeURIComponent('2026-11-20T10:00:00+08:00');

beforeAll(async () => {
  db = await openTestDatabase('segments_api');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
  api = await listen(createApp(tf));
  key = await apiKey(db, 'viewer');
  const day = '2026-11-19T12:00:00+08:00';
  // Five users whose 14-day intent scores are 0, 0.2, 0.4, 0.6 and 0.8 (detail views weigh 0.2).
  await ingest(
    tf.ingest,
    ['u0', 'u1', 'u2', 'u3', 'u4'].flatMap((userId, i) => [
      anEvent({ userId, type: 'register', ts: day }),
      ...Array.from({ length: i }, () =>
        anEvent({ userId, type: 'view_product_detail', ts: day, category: 'bond', durationSec: 30 }),
      ),
    ]),
  );
});
afterAll(async () => {
  await api.close();
  await tf.close();
  await dropTestDatabase(db);
});

const get = (path: string) => send(`${api.url}${path}`, 'GET', undefined, key);

test('GET /v1/segments lists the segments with their conditions', async () => {
  const res = await get('/v1/segments');
  expect(res.status).toBe(200);
  const segments = (res.body as { segments: { id: string }[] }).segments;
  expect(segments.map((s) => s.id)).toContain('old-redeemed-strong-intent-bond');
  expect(segments).toHaveLength(tf.segments.rules.segments.size);
});

test('GET /v1/segments/:id answers the count, what each condition admits, and the waterfall', async () => {
  expect(await get(`/v1/segments/strong-intent?now=${NOW}`)).toEqual({
    status: 200,
    body: {
      segment: 'strong-intent',
      name: '强购买意愿 · 前 20%',
      now: '2026-11-20T02:00:00.000Z',
      population: 5,
      count: 1,
      conditions: [
        {
          at: 'conditions.all[0]',
          fact: 'intentPercentile',
          params: { days: 14 },
          operator: 'greaterThanInclusive',
          value: 0.8,
          passed: 1,
        },
      ],
      waterfall: {
        population: 5,
        steps: [{ at: 'conditions.all[0]', text: 'intentPercentile(days=14) greaterThanInclusive 0.8', passed: 1 }],
      },
    },
  });
  expect((await get('/v1/segments/strong-intnt')).status).toBe(404);
  expect((await get('/v1/segments/strong-intent?now=yesterday')).status).toBe(400);
});

test('GET /v1/segments/:id/members pages with a cursor', async () => {
  expect(await get(`/v1/segments/registered/members?limit=2&now=${NOW}`)).toEqual({
    status: 200,
    body: { segment: 'registered', members: ['u0', 'u1'], next: 'u1' },
  });
  expect(await get(`/v1/segments/registered/members?limit=2&after=u1&now=${NOW}`)).toEqual({
    status: 200,
    body: { segment: 'registered', members: ['u2', 'u3'], next: 'u3' },
  });
  expect(await get(`/v1/segments/registered/members?limit=2&after=u3&now=${NOW}`)).toEqual({
    status: 200,
    body: { segment: 'registered', members: ['u4'] },
  });
  expect((await get('/v1/segments/registered/members?limit=0')).status).toBe(400);
});

test('GET /v1/profiles/:userId/explain explains one segment or all', async () => {
  const one = await get(`/v1/profiles/u3/explain?segment=medium-intent&now=${NOW}`);
  expect(one).toEqual({
    status: 200,
    body: {
      userId: 'u3',
      now: '2026-11-20T02:00:00.000Z',
      segments: [
        {
          segment: 'medium-intent',
          name: '中等购买意愿 · 20%–60%',
          member: true,
          leaves: [
            {
              at: 'conditions.all[0]',
              fact: 'intentPercentile',
              params: { days: 14 },
              operator: 'greaterThanInclusive',
              value: 0.4,
              seen: 0.6,
              passed: true,
            },
            {
              at: 'conditions.all[1]',
              fact: 'intentPercentile',
              params: { days: 14 },
              operator: 'lessThan',
              value: 0.8,
              seen: 0.6,
              passed: true,
            },
          ],
        },
      ],
    },
  });
  const all = await get(`/v1/profiles/u0/explain?now=${NOW}`);
  const segments = (all.body as { segments: { segment: string; member: boolean }[] }).segments;
  expect(
    segments
      .filter((s) => s.member)
      .map((s) => s.segment)
      .sort(),
  ).toEqual(['registered', 'weak-intent']);
  expect((await get('/v1/profiles/nobody/explain')).status).toBe(404);
});
