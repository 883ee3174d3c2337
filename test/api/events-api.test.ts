import { createApp } from '../../src/api/app.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { Db } from '../../src/store/connection.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { anEvent, fixedClock, testConfig } from '../support/factories.js';
import { listen, send, type Listening } from '../support/http.js';

let db: Db;
let tf: Tideflow;
let api: Listening;
let key: string;
const reported: unknown[] = [];

beforeAll(async () => {
  db = await openTestDatabase('events_api');
  tf = await openTideflow(testConfig({ TIDEFLOW_MAX_BATCH: '3' }), { db, clock: fixedClock() });
  api = await listen(createApp(tf, { report: (err) => reported.push(err) }));
  key = await apiKey(db, 'admin');
});
afterAll(async () => {
  await api.close();
  await tf.close();
  await dropTestDatabase(db);
});

const post = (body: unknown) => send(`${api.url}/v1/events`, 'POST', body, key);

test('POST /v1/events takes an array or { events }, answers 202 with accepted and duplicate counts', async () => {
  const batch = [anEvent({ userId: 'h1' }), anEvent({ userId: 'h1', type: 'click_invest' })];
  expect(await post(batch)).toEqual({ status: 202, body: { accepted: 2, duplicates: 0 } });
  expect(await post({ events: [...batch, anEvent({ userId: 'h1' })] })).toEqual({
    status: 202,
    body: { accepted: 1, duplicates: 2 },
  });
  expect((await tf.profiles.get('h1'))?.buckets?.['2026-11-20']?.n).toEqual({ app_open: 2, click_invest: 1 });
});

test('a bad event rejects the batch: 400 with every issue and its path, nothing stored', async () => {
  const res = await post({
    events: [anEvent({ userId: 'h2' }), anEvent({ userId: 'h2', ts: '2026-13-01' }), { userId: 'h2' }],
  });
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ error: '2 of 3 events are invalid; nothing was stored' });
  const paths = (res.body as { issues: { path: string; message: string }[] }).issues.map((i) => i.path).sort();
  expect(paths).toEqual(['[1].ts', '[2].id', '[2].ts', '[2].type']);
  expect(await tf.profiles.get('h2')).toBeNull();
});

test('an event dated more than TIDEFLOW_MAX_CLOCK_SKEW_MS ahead of the clock rejects its batch, naming its ts', async () => {
  const now = fixedClock()();
  const at = (ms: number): string => new Date(now.getTime() + ms).toISOString();
  const res = await post([
    anEvent({ userId: 'h5', ts: at(4 * 60_000) }),
    anEvent({ userId: 'h5', ts: '2030-01-01T00:00:00+08:00' }),
  ]);
  expect(res).toEqual({
    status: 400,
    body: {
      error: '1 of 2 events are dated in the future; nothing was stored',
      issues: [
        {
          path: '[1].ts',
          message: `2029-12-31T16:00:00.000Z is 3 years ahead of the server's clock (${now.toISOString()}); events more than 5 minutes ahead are refused (TIDEFLOW_MAX_CLOCK_SKEW_MS)`,
          hint: "check the sender's clock and the timestamp's zone offset",
        },
      ],
    },
  });
  expect((await post([anEvent({ userId: 'h5', ts: at(6 * 60_000) })])).status).toBe(400);
  expect(await tf.profiles.get('h5')).toBeNull();
  expect(await post([anEvent({ userId: 'h5', ts: at(5 * 60_000) })])).toEqual({
    status: 202,
    body: { accepted: 1, duplicates: 0 },
  });
});

test('more events than TIDEFLOW_MAX_BATCH, a body of the wrong shape or broken JSON: 400', async () => {
  const tooMany = await post(Array.from({ length: 4 }, () => anEvent({ userId: 'h3' })));
  expect(tooMany).toEqual({
    status: 400,
    body: {
      error: 'a batch holds at most 3 events (TIDEFLOW_MAX_BATCH); split it',
      issues: [{ path: '', message: '4 events, at most 3 allowed' }],
    },
  });
  expect(await post({ event: [] })).toMatchObject({
    status: 400,
    body: { issues: [{ path: '', message: 'expected an array' }] },
  });
  expect(await post({ events: 'x' })).toMatchObject({ status: 400, body: { issues: [{ path: 'events' }] } });
  expect(await post('[{"id": ')).toMatchObject({ status: 400, body: { error: 'request body is not valid JSON' } });
  expect(await tf.profiles.get('h3')).toBeNull();
});

test('health answers; unknown endpoints are JSON 404s', async () => {
  expect(await send(`${api.url}/health`, 'GET')).toEqual({ status: 200, body: { status: 'ok' } });
  expect(await send(`${api.url}/v1/nothing`, 'GET', undefined, key)).toEqual({
    status: 404,
    body: { error: 'no such endpoint' },
  });
});

test('a failing database: health 503, a request 500 without internals, the error reported', async () => {
  const failing = () => Promise.reject(new Error('secret internals'));
  const broken = await listen(
    createApp(
      { ...tf, ping: failing, ingest: { ...tf.ingest, events: { ...tf.ingest.events, journal: failing } } },
      { report: (err) => reported.push(err) },
    ),
  );
  try {
    expect((await send(`${broken.url}/health`, 'GET')).status).toBe(503);
    expect(await send(`${broken.url}/v1/events`, 'POST', [anEvent()], key)).toEqual({
      status: 500,
      body: { error: 'internal error' },
    });
    expect(reported).toEqual([expect.stringMatching(/^Error: secret internals\n\s+at /)]);
  } finally {
    await broken.close();
  }
});
