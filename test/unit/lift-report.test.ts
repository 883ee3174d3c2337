import { campaignSections } from '../../src/domain/campaign-report.js';
import { aDeliveryGroup } from '../support/factories.js';

const NOW = new Date('2026-11-30T10:00:00+08:00');
const T2 = new Date('2026-11-11T11:00:00+08:00');

const group = aDeliveryGroup;

const week1 = [
  group({
    channel: 'sms',
    count: 800,
    messageCostFen: 4000,
    incentiveFen: 1_600_000,
    delivered: 760,
    clicked: 90,
    converted: 40,
    convertedAmount: 200_000,
    goal: 44,
    goalAmount: 220_000,
    redeemed: 30,
    redeemedFen: 60_000,
    lastWindowEnd: new Date('2026-11-11T11:00:00+08:00'),
  }),
  group({
    channel: 'push',
    count: 100,
    delivered: 0,
    clicked: 5,
    converted: 2,
    convertedAmount: 6000,
    goal: 2,
    goalAmount: 6000,
  }),
  group({ state: 'skipped', reason: 'holdout', count: 100, goal: 2, goalAmount: 4000 }),
  group({ state: 'skipped', reason: 'no-consent', count: 100, goal: 1, goalAmount: 1000 }),
  group({ state: 'skipped', reason: 'not-eligible', count: 50, goal: 10, goalAmount: 99_999 }),
  group({ state: 'failed', reason: 'rejected', channel: 'sms', count: 10 }),
];

test('one occurrence: funnel per channel, skips, costs, and lift of the treated group over the holdout', () => {
  const { cumulative, occurrences } = campaignSections(week1, { now: NOW, tz: 'Asia/Shanghai', hasIncentive: true });
  expect(occurrences).toHaveLength(1);
  expect(cumulative).toMatchObject({
    matched: 1160,
    contacted: 900,
    delivered: 760,
    clicked: 95,
    converted: 42,
    convertedAmount: 206_000,
    channels: {
      sms: { contacted: 800, delivered: 760, clicked: 90, converted: 40, messageCostFen: 4000 },
      push: { contacted: 100, delivered: 0, clicked: 5, converted: 2, messageCostFen: 0 },
    },
    skipped: { holdout: 100, 'no-consent': 100, 'not-eligible': 50 },
    failed: { rejected: 10 },
    pending: 0,
    messageCostFen: 4000,
    grants: 900,
    incentiveGrantedFen: 1_600_000,
    redeemed: 30,
    incentiveRedeemedFen: 60_000,
    // Treated: sent 900 + no-consent 100 + failed 10; not-eligible was never randomised.
    treated: { users: 1010, converted: 47, amount: 227_000 },
    holdout: { users: 100, converted: 2, amount: 4000 },
    windowsOpen: false,
  });
  const l = cumulative.lift;
  expect(l.treatedRate).toBeCloseTo(47 / 1010, 12);
  expect(l.holdoutRate).toBe(0.02);
  expect(l.incrementalConversions).toBeCloseTo(47 - 0.02 * 1010, 9); // 26.8
  expect(l.incrementalAmount).toBeCloseTo(227_000 - 40 * 1010, 6); // 186,600
  // Cost: 40 yuan of messages + 16,000 yuan of red packets granted; cash: 40 + 600 redeemed.
  expect(cumulative.efficiency.cost).toBe(16_040);
  expect(cumulative.efficiency.cash).toBe(640);
  expect(cumulative.efficiency.costPerIncrementalConversion).toBeCloseTo(16_040 / 26.8, 9);
  expect(cumulative.efficiency.cashPerIncrementalConversion).toBeCloseTo(640 / 26.8, 9);
  expect(cumulative.efficiency.roi).toBeCloseTo(186_600 / 16_040, 9);
});

test('per occurrence and cumulative; triggered evaluations are grouped by day; open windows are flagged', () => {
  const week2 = [
    group({
      occurrence: '2026-11-11T03:00:00.000Z',
      firstDecidedAt: T2,
      count: 500,
      goal: 10,
      lastWindowEnd: new Date('2026-12-01T00:00:00+08:00'),
    }),
    group({
      occurrence: '2026-11-11T03:00:00.000Z',
      firstDecidedAt: T2,
      state: 'skipped',
      reason: 'holdout',
      count: 50,
      goal: 1,
    }),
  ];
  const triggered = [
    group({ occurrence: 'evt-e1', firstDecidedAt: new Date('2026-11-20T09:00:00+08:00'), count: 1 }),
    group({ occurrence: 'evt-e2', firstDecidedAt: new Date('2026-11-20T23:00:00+08:00'), count: 1 }),
  ];
  const { cumulative, occurrences } = campaignSections([...triggered, ...week2, ...week1], {
    now: NOW,
    tz: 'Asia/Shanghai',
    hasIncentive: false,
  });
  expect(occurrences.map((o) => [o.label, o.matched])).toEqual([
    ['2026-11-04T03:00:00.000Z', 1160],
    ['2026-11-11T03:00:00.000Z', 550],
    ['triggered 2026-11-20', 2],
  ]);
  expect(occurrences[1]?.windowsOpen).toBe(true);
  expect(occurrences[0]?.windowsOpen).toBe(false);
  expect(cumulative).toMatchObject({
    matched: 1712,
    grants: 0,
    windowsOpen: true,
    holdout: { users: 150, converted: 3 },
  });
  expect(occurrences[1]?.lift.absolute).toBeCloseTo(10 / 500 - 1 / 50, 12);
});
