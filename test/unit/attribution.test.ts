import { attribute, creditedTouch, redeemedAt, type GoalHitEvent, type Touch } from '../../src/domain/attribution.js';
import type { Goal } from '../../src/domain/campaign-goal.js';
import type { Grant } from '../../src/domain/incentive.js';

const at = (day: number, hour = 10): Date => new Date(Date.UTC(2026, 10, day, hour));
const purchase7: Goal = { event: 'purchase', withinDays: 7 };
const bigBond: Goal = { event: 'purchase', withinDays: 3, minAmount: 5000, category: 'bond' };

function touch(
  id: string,
  campaignId: string,
  day: number,
  goal: Goal | undefined = purchase7,
  contacted = true,
): Touch {
  return { deliveryId: id, campaignId, start: at(day), goal, contacted };
}
function buy(id: string, day: number, amount: number, category = 'money', hour = 10): GoalHitEvent {
  return { id, type: 'purchase', ts: at(day, hour), amount, category };
}

test('two campaigns touching the same user: the latest qualifying delivery gets the credit; both windows see the goal', () => {
  const touches = [touch('A', 'weekly', 1), touch('B', 'reengage', 3)];
  const out = attribute(touches, [buy('p1', 5, 2000)]);
  expect(out.get('A')).toMatchObject({ goal: { count: 1, amount: 2000 }, converted: { count: 0, amount: 0 } });
  expect(out.get('B')).toMatchObject({
    goal: { count: 1, amount: 2000 },
    converted: { count: 1, amount: 2000, firstEventId: 'p1', firstAt: at(5) },
  });
});

test('the latest delivery whose goal the event meets: a later campaign with a stricter goal does not take it', () => {
  const touches = [touch('A', 'weekly', 1), touch('B', 'big-bond', 3, bigBond)];
  const out = attribute(touches, [buy('p1', 4, 2000, 'bond'), buy('p2', 4, 8000, 'bond', 12)]);
  expect(out.get('A')?.converted).toMatchObject({ count: 1, amount: 2000, firstEventId: 'p1' });
  expect(out.get('B')?.converted).toMatchObject({ count: 1, amount: 8000, firstEventId: 'p2' });
  expect(out.get('B')?.goal).toMatchObject({ count: 1, amount: 8000 });
});

test('a goal outside the window converts no one: before the send, at the send, or after withinDays', () => {
  const touches = [touch('A', 'c', 10)];
  const before = attribute(touches, [buy('p0', 9, 5000)]);
  const atSend = attribute(touches, [{ id: 'p1', type: 'purchase', ts: at(10), amount: 5000 }]);
  const late = attribute(touches, [{ id: 'p2', type: 'purchase', ts: new Date(at(17).getTime() + 1), amount: 5000 }]);
  const lastMoment = attribute(touches, [{ id: 'p3', type: 'purchase', ts: at(17), amount: 5000 }]);
  for (const out of [before, atSend, late])
    expect(out.get('A')).toMatchObject({ goal: { count: 0 }, converted: { count: 0 } });
  expect(lastMoment.get('A')).toMatchObject({ goal: { count: 1 }, converted: { count: 1 }, windowEnd: at(17) });
});

test('a holdout user who converts meets the goal but takes no credit from a contacted delivery', () => {
  const touches = [touch('H', 'c1', 1, purchase7, false), touch('X', 'c2', 2)];
  const out = attribute(touches, [buy('p1', 3, 1000)]);
  expect(out.get('H')).toMatchObject({ goal: { count: 1, amount: 1000 }, converted: { count: 0 } });
  expect(out.get('X')?.converted.count).toBe(1);
});

test('minimum amount and category of the goal', () => {
  const touches = [touch('B', 'big-bond', 1, bigBond)];
  const out = attribute(touches, [
    buy('small', 2, 4999.99, 'bond'),
    buy('stock', 2, 9000, 'stock', 11),
    buy('ok', 2, 5000, 'bond', 12),
  ]);
  expect(out.get('B')?.converted).toMatchObject({ count: 1, amount: 5000, firstEventId: 'ok' });
});

test('several goal events in one window all count; events arrive in any order', () => {
  const touches = [touch('A', 'c', 1)];
  const out = attribute(touches, [buy('p2', 4, 300), buy('p1', 2, 1000)]);
  expect(out.get('A')?.converted).toEqual({ count: 2, amount: 1300, firstAt: at(2), firstEventId: 'p1' });
});

test('equal send times: the larger delivery id wins, whatever the order', () => {
  const a = touch('d-a', 'c1', 1);
  const b = touch('d-b', 'c2', 1);
  expect(creditedTouch([a, b], buy('p', 2, 1))?.deliveryId).toBe('d-b');
  expect(creditedTouch([b, a], buy('p', 2, 1))?.deliveryId).toBe('d-b');
});

test('a campaign without a goal claims nothing and has no window', () => {
  const out = attribute([{ deliveryId: 'A', campaignId: 'c', start: at(1), contacted: true }], [buy('p', 2, 1000)]);
  expect(out.get('A')).toEqual({ goal: { count: 0, amount: 0 }, converted: { count: 0, amount: 0 } });
});

test('redemption: a red packet by a purchase of its minimum before expiry; trial funds by activation', () => {
  const redPacket: Grant = { type: 'red-packet', amount: 20, minPurchase: 1000, expiresAt: at(8), costFen: 2000 };
  expect(redeemedAt(redPacket, at(1), [buy('small', 2, 999), buy('ok', 3, 1000)])).toEqual(at(3));
  expect(redeemedAt(redPacket, at(1), [buy('late', 9, 5000)])).toBeUndefined();
  expect(redeemedAt(redPacket, at(1), [buy('before', 1, 5000, 'money', 9)])).toBeUndefined();
  const trial: Grant = {
    type: 'trial-funds',
    principal: 5000,
    days: 3,
    annualRate: 0.08,
    expiresAt: at(8),
    costFen: 329,
  };
  expect(redeemedAt(trial, at(1), [buy('p', 2, 5000)])).toBeUndefined();
  expect(redeemedAt(trial, at(1), [{ type: 'trial_funds_activated', ts: at(4) }])).toEqual(at(4));
});
