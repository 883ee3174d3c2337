import type { Db } from '../../src/store/connection.js';
import { ValidationError } from '../../src/errors.js';
import { ingest } from '../../src/ingest/ingest.js';
import { readProfile } from '../../src/ingest/profile-records.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { NOW, anEvent, fixedClock, testConfig } from '../support/factories.js';

let db: Db;
let tf: Tideflow;

beforeAll(async () => {
  db = await openTestDatabase('ingest');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
});
afterAll(async () => {
  await tf.close();
  await dropTestDatabase(db);
});

const profile = (userId: string) => tf.profiles.get(userId);
const metrics = async (userId: string, now = NOW) => (await readProfile(tf.profile, userId, { now })).metrics;

describe('idempotent ingest', () => {
  test('replaying a batch changes nothing and counts every event as a duplicate', async () => {
    const batch = [
      anEvent({ userId: 'idem', type: 'register', channel: 'referral' }),
      anEvent({ userId: 'idem', type: 'view_product_detail', category: 'bond', durationSec: 40 }),
      anEvent({ userId: 'idem', type: 'purchase', amount: 1000 }),
    ];
    expect(await ingest(tf.ingest, batch)).toEqual({ accepted: 3, duplicates: 0 });
    const first = await profile('idem');
    expect(await ingest(tf.ingest, batch)).toEqual({ accepted: 0, duplicates: 3 });
    expect(await profile('idem')).toEqual(first);
    expect(first?.buckets?.['2026-11-20']).toEqual({
      n: { register: 1, view_product_detail: 1, purchase: 1 },
      dwell: { bond: 40 },
      dwellAll: 40,
      amount: { purchase: 1000 },
    });
    expect(first?.lifecycle?.purchaseCount).toBe(1);
  });

  test('a batch mixing new and replayed events applies only the new ones; repeats within a batch count once', async () => {
    const old = anEvent({ userId: 'mix' });
    await ingest(tf.ingest, [old]);
    const fresh = anEvent({ userId: 'mix' });
    expect(await ingest(tf.ingest, [old, fresh, fresh])).toEqual({ accepted: 1, duplicates: 2 });
    expect((await profile('mix'))?.buckets?.['2026-11-20']?.n?.app_open).toBe(2);
    expect(await db.collection('events').countDocuments({ userId: 'mix' })).toBe(2);
  });
});

test('a batch with one bad event is rejected whole with every path, and nothing is written', async () => {
  const batch = [
    anEvent({ userId: 'rej' }),
    anEvent({ userId: 'rej', ts: 'soon' }),
    anEvent({ userId: 'rej2', category: 'gold' as never, durationSec: -1 }),
  ];
  const err = await ingest(tf.ingest, batch).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).issues.map((i) => i.path).sort()).toEqual([
    '[1].ts',
    '[2].category',
    '[2].durationSec',
  ]);
  expect(await db.collection('events').countDocuments({ userId: { $in: ['rej', 'rej2'] } })).toBe(0);
  expect(await profile('rej')).toBeNull();
});

describe('window boundaries (14-day window ending with the day of now, 2026-11-07..2026-11-20 in Asia/Shanghai)', () => {
  test('the first instant of the window counts; a second earlier and the day after now do not', async () => {
    await ingest(tf.ingest, [
      anEvent({ userId: 'win', type: 'click_submit', ts: '2026-11-07T00:00:00+08:00' }),
      anEvent({ userId: 'win', type: 'click_invest', ts: '2026-11-06T23:59:59+08:00' }),
      anEvent({ userId: 'win', type: 'view_product_list', ts: '2026-11-21T00:00:00+08:00' }),
      anEvent({ userId: 'win', type: 'app_open', ts: '2026-11-20T23:59:59+08:00' }),
    ]);
    const m = await metrics('win');
    expect(m.eventCount).toEqual({ click_submit: 1, app_open: 1 });
    expect(m.intentScore).toBe(1.52);
    // The same buckets, evaluated a day later: the window moves by a day.
    expect((await metrics('win', new Date('2026-11-21T00:00:00+08:00'))).eventCount).toEqual({
      app_open: 1,
      view_product_list: 1,
    });
  });

  test('another TIDEFLOW_TZ puts the same instants on other days', async () => {
    const utc = await openTideflow(testConfig({ TIDEFLOW_TZ: 'UTC' }), { db, clock: fixedClock() });
    await ingest(utc.ingest, [
      // 2026-11-06T16:00Z: the day before the UTC window (2026-11-07..2026-11-20)
      anEvent({ userId: 'win_utc', type: 'click_submit', ts: '2026-11-07T00:00:00+08:00' }),
      // 2026-11-20T16:00Z: still now's day in UTC
      anEvent({ userId: 'win_utc', type: 'view_product_list', ts: '2026-11-21T00:00:00+08:00' }),
    ]);
    const m = (await readProfile(utc.profile, 'win_utc', { now: NOW })).metrics;
    expect(m.eventCount).toEqual({ view_product_list: 1 });
    expect(Object.keys((await profile('win_utc'))?.buckets ?? {}).sort()).toEqual(['2026-11-06', '2026-11-20']);
    await utc.close();
  });
});

describe('fundsRedeemed follows the latest money movement', () => {
  const money = (type: string, ts: string) => anEvent({ userId: 'funds', type, ts, amount: 100 });
  const funds = async () => (await profile('funds'))?.lifecycle?.fundsRedeemed;

  test('purchase → redeem → purchase → mature, then an older redemption arriving late changes nothing', async () => {
    await ingest(tf.ingest, [money('purchase', '2026-10-01T10:00:00+08:00')]);
    expect(await funds()).toBe(false);
    await ingest(tf.ingest, [money('redeem', '2026-10-20T10:00:00+08:00')]);
    expect(await funds()).toBe(true);
    await ingest(tf.ingest, [money('purchase', '2026-10-25T10:00:00+08:00')]);
    expect(await funds()).toBe(false);
    await ingest(tf.ingest, [money('mature', '2026-11-10T10:00:00+08:00')]);
    expect(await funds()).toBe(true);
    await ingest(tf.ingest, [money('purchase', '2026-11-09T10:00:00+08:00')]);
    expect(await funds()).toBe(true);
    const p = await profile('funds');
    expect(p?.lifecycle).toMatchObject({
      purchaseCount: 3,
      totalPurchased: 300,
      totalRedeemed: 200,
      firstPurchaseAt: new Date('2026-10-01T10:00:00+08:00'),
      lastPurchaseAt: new Date('2026-11-09T10:00:00+08:00'),
      lastRedeemAt: new Date('2026-11-10T10:00:00+08:00'),
      lastMoneyAt: new Date('2026-11-10T10:00:00+08:00'),
    });
    expect(await metrics('funds')).toMatchObject({ hasPurchased: true, isNewCustomer: false, fundsRedeemed: true });
  });

  test('a late purchase newer than the stored redemption clears it', async () => {
    await ingest(tf.ingest, [anEvent({ userId: 'funds2', type: 'redeem', ts: '2026-11-10T10:00:00+08:00' })]);
    await ingest(tf.ingest, [anEvent({ userId: 'funds2', type: 'purchase', ts: '2026-11-11T10:00:00+08:00' })]);
    expect((await profile('funds2'))?.lifecycle?.fundsRedeemed).toBe(false);
  });
});

test('events older than the retention keep lifecycle and lastAt but add no bucket', async () => {
  await ingest(tf.ingest, [anEvent({ userId: 'old', type: 'register', ts: '2026-08-01T10:00:00+08:00' })]);
  const p = await profile('old');
  expect(p?.buckets).toBeUndefined();
  expect(p?.oldestBucket).toBeUndefined();
  expect(p?.lifecycle?.registeredAt).toEqual(new Date('2026-08-01T10:00:00+08:00'));
  expect((await metrics('old')).daysSince.register).toBe(111);
});

test("the acquisition channel is the register event's, else the first one seen", async () => {
  await ingest(tf.ingest, [anEvent({ userId: 'acq', channel: 'baidu_sem' })]);
  await ingest(tf.ingest, [anEvent({ userId: 'acq', channel: 'app_store' })]);
  expect((await profile('acq'))?.acquisitionChannel).toBe('baidu_sem');
  await ingest(tf.ingest, [anEvent({ userId: 'acq', type: 'register', channel: 'referral' })]);
  await ingest(tf.ingest, [anEvent({ userId: 'acq', channel: 'wechat' })]);
  expect((await profile('acq'))?.acquisitionChannel).toBe('referral');
});
