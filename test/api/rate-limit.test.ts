import { createApp } from '../../src/api/app.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import type { Db } from '../../src/store/connection.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { anEvent, fixedClock, testConfig } from '../support/factories.js';
import { listen, type Listening } from '../support/http.js';

let db: Db;
let tf: Tideflow;
let api: Listening;
let now = 0;

beforeAll(async () => {
  db = await openTestDatabase('rate_limit');
  const config = testConfig({
    TIDEFLOW_RATE_INGEST_PER_SECOND: '0.5',
    TIDEFLOW_RATE_INGEST_BURST: '2',
    TIDEFLOW_RATE_READ_PER_SECOND: '0.25',
    TIDEFLOW_RATE_READ_BURST: '1',
  });
  tf = await openTideflow(config, { db, clock: fixedClock() });
  api = await listen(createApp(tf, { monotonic: () => now }));
});
afterAll(async () => {
  await api.close();
  await tf.close();
  await dropTestDatabase(db);
});

const ingest = (key: string) =>
  fetch(`${api.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify([anEvent({ userId: 'rl' })]),
  });
const read = (key: string) => fetch(`${api.url}/v1/profiles/rl`, { headers: { authorization: `Bearer ${key}` } });

test('each key has its own ingest bucket: past the burst 429 with Retry-After, refilled as time passes', async () => {
  const key = await apiKey(db, 'ingest');
  expect((await ingest(key)).status).toBe(202);
  expect((await ingest(key)).status).toBe(202);
  const refused = await ingest(key);
  expect(refused.status).toBe(429);
  expect(refused.headers.get('retry-after')).toBe('2');
  expect(await refused.json()).toEqual({ error: 'too many requests for this key; retry in 2 s', retryAfterSeconds: 2 });

  expect((await ingest(await apiKey(db, 'ingest'))).status).toBe(202);
  now += 2000;
  expect((await ingest(key)).status).toBe(202);
  expect((await ingest(key)).status).toBe(429);
});

test('reads draw from a bucket of their own: an admin who read too much can still ingest', async () => {
  const key = await apiKey(db, 'admin');
  expect((await read(key)).status).toBe(200);
  const refused = await read(key);
  expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '4']);
  expect((await ingest(key)).status).toBe(202);
});
