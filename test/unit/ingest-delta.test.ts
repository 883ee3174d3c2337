import { Event, type EventInput } from '../../src/domain/event.js';
import { profileDeltas, type ProfileDelta } from '../../src/domain/profile-delta.js';
import { anEvent } from '../support/factories.js';

const opts = { tz: 'Asia/Shanghai', oldestRetainedDay: '2026-08-23' };
const deltas = (inputs: EventInput[], o = opts): ProfileDelta[] =>
  profileDeltas(
    inputs.map((e) => Event.parse(e)),
    o,
  );
const only = (inputs: EventInput[], o = opts): ProfileDelta => {
  const [d, ...rest] = deltas(inputs, o);
  expect(rest).toHaveLength(0);
  if (!d) throw new Error('no delta');
  return d;
};

test('one delta per user, in order of first appearance', () => {
  const ds = deltas([anEvent({ userId: 'b' }), anEvent({ userId: 'a' }), anEvent({ userId: 'b' })]);
  expect(ds.map((d) => [d.userId, d.buckets['2026-11-20']?.n?.app_open])).toEqual([
    ['b', 2],
    ['a', 1],
  ]);
});

test('buckets count per type, dwell per category only for detail views, dwell of all events, amounts per type', () => {
  const d = only([
    anEvent({ type: 'view_product_detail', category: 'bond', durationSec: 30 }),
    anEvent({ type: 'view_product_detail', category: 'stock', durationSec: 10 }),
    anEvent({ type: 'view_product_list', category: 'bond', durationSec: 5 }),
    anEvent({ type: 'view_product_detail', durationSec: 7 }),
    anEvent({ type: 'purchase', amount: 0.1 }),
    anEvent({ type: 'purchase', amount: 0.2 }),
  ]);
  expect(d.buckets).toEqual({
    '2026-11-20': {
      n: { view_product_detail: 3, view_product_list: 1, purchase: 2 },
      dwell: { bond: 30, stock: 10 },
      dwellAll: 52,
      amount: { purchase: 0.3 },
    },
  });
  expect(d.lifecycleInc).toEqual({ purchaseCount: 2, totalPurchased: 0.3 });
  expect(d.oldestBucket).toBe('2026-11-20');
});

test('the day is the calendar day of ts in the platform time zone', () => {
  const e = anEvent({ ts: '2026-11-20T01:00:00+08:00' });
  expect(Object.keys(only([e]).buckets)).toEqual(['2026-11-20']);
  expect(Object.keys(only([e], { ...opts, tz: 'UTC' }).buckets)).toEqual(['2026-11-19']);
});

test('events before the retention update lifecycle and lastAt but no bucket', () => {
  const d = only([
    anEvent({ type: 'register', ts: '2026-08-22T23:59:59+08:00' }),
    anEvent({ type: 'app_open', ts: '2026-08-23T00:00:00+08:00' }),
  ]);
  expect(Object.keys(d.buckets)).toEqual(['2026-08-23']);
  expect(d.lifecycleMin.registeredAt).toEqual(new Date('2026-08-22T23:59:59+08:00'));
  expect(d.lastAt.register).toEqual(new Date('2026-08-22T23:59:59+08:00'));
});

test('lifecycle keeps the earliest milestones and the latest purchase and redemption', () => {
  const d = only([
    anEvent({ type: 'purchase', ts: '2026-11-10T10:00:00Z', amount: 100 }),
    anEvent({ type: 'purchase', ts: '2026-11-01T10:00:00Z', amount: 50 }),
    anEvent({ type: 'mature', ts: '2026-11-12T10:00:00Z', amount: 20 }),
    anEvent({ type: 'redeem', ts: '2026-11-11T10:00:00Z', amount: 30 }),
    anEvent({ type: 'real_name_verified', ts: '2026-10-30T10:00:00Z' }),
  ]);
  expect(d.lifecycleMin).toEqual({
    firstPurchaseAt: new Date('2026-11-01T10:00:00Z'),
    realNameAt: new Date('2026-10-30T10:00:00Z'),
  });
  expect(d.lifecycleMax).toEqual({
    lastPurchaseAt: new Date('2026-11-10T10:00:00Z'),
    lastRedeemAt: new Date('2026-11-12T10:00:00Z'),
  });
  expect(d.lifecycleInc).toEqual({ purchaseCount: 2, totalPurchased: 150, totalRedeemed: 50 });
});

test('the latest money movement in the batch decides fundsRedeemed, whatever the order of arrival', () => {
  const redeem = anEvent({ type: 'redeem', ts: '2026-11-12T10:00:00Z' });
  const purchase = anEvent({ type: 'purchase', ts: '2026-11-10T10:00:00Z' });
  expect(only([redeem, purchase]).money).toEqual({ at: new Date('2026-11-12T10:00:00Z'), fundsRedeemed: true });
  expect(only([purchase, anEvent({ type: 'purchase', ts: '2026-11-13T00:00:00Z' }), redeem]).money?.fundsRedeemed).toBe(
    false,
  );
  expect(only([anEvent({ type: 'app_open' })]).money).toBeUndefined();
});

test('the acquisition channel comes from the register event, else the first event carrying one', () => {
  expect(
    only([anEvent({ channel: 'baidu_sem' }), anEvent({ type: 'register', channel: 'referral' })]).acquisition,
  ).toEqual({ channel: 'referral', fromRegister: true });
  expect(only([anEvent({ channel: 'baidu_sem' }), anEvent({ channel: 'app_store' })]).acquisition).toEqual({
    channel: 'baidu_sem',
    fromRegister: false,
  });
});
