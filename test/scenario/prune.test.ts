import { ingest } from '../../src/ingest/ingest.js';
import { prune } from '../../src/metrics/prune-buckets.js';
import type { Db } from '../../src/store/connection.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { NOW, anEvent, fixedClock, testConfig } from '../support/factories.js';

let db: Db;
let past: Tideflow;
let today: Tideflow;

beforeAll(async () => {
  db = await openTestDatabase('prune');
  // Ingested on 2026-09-01; pruned on 2026-11-20 with 90 days kept: 2026-08-23 is the oldest day kept.
  past = await openTideflow(testConfig(), { db, clock: fixedClock(new Date('2026-09-01T12:00:00+08:00')) });
  today = await openTideflow(testConfig(), { db, clock: fixedClock(NOW) });
});
afterAll(async () => {
  await past.close();
  await today.close();
  await dropTestDatabase(db);
});

test('prune removes buckets before the retention, resets oldestBucket, and keeps lifecycle and lastAt', async () => {
  await ingest(past.ingest, [
    anEvent({ userId: 'p1', type: 'purchase', ts: '2026-08-22T23:59:59+08:00', amount: 10 }),
    anEvent({ userId: 'p1', ts: '2026-08-23T00:00:00+08:00' }),
    anEvent({ userId: 'p1', ts: '2026-08-30T10:00:00+08:00' }),
    anEvent({ userId: 'p2', ts: '2026-08-10T10:00:00+08:00' }),
    anEvent({ userId: 'p3', ts: '2026-09-01T10:00:00+08:00' }),
  ]);
  const p3Before = await today.profiles.get('p3');
  expect(await prune(today.prune)).toEqual({ profiles: 2, oldestKept: '2026-08-23' });

  const p1 = await today.profiles.get('p1');
  expect(Object.keys(p1?.buckets ?? {}).sort()).toEqual(['2026-08-23', '2026-08-30']);
  expect(p1?.oldestBucket).toBe('2026-08-23');
  expect(p1?.lifecycle).toMatchObject({ purchaseCount: 1, lastPurchaseAt: new Date('2026-08-22T23:59:59+08:00') });

  const p2 = await today.profiles.get('p2');
  expect(p2?.buckets).toEqual({});
  expect(p2?.oldestBucket).toBeUndefined();
  expect(p2?.lastAt?.app_open).toEqual(new Date('2026-08-10T10:00:00+08:00'));
  expect(await today.profiles.get('p3')).toEqual(p3Before);

  expect(await prune(today.prune)).toEqual({ profiles: 0, oldestKept: '2026-08-23' });
  await ingest(today.ingest, [anEvent({ userId: 'p2' })]);
  expect((await today.profiles.get('p2'))?.oldestBucket).toBe('2026-11-20');
});
