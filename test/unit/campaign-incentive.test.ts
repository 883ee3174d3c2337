import fc from 'fast-check';
import { Incentive, incentiveFor, tierFor, trialFundsCostFen, TrialFunds } from '../../src/domain/incentive.js';
import { NOW } from '../support/factories.js';

const DAY = 86_400_000;
const LADDER = TrialFunds.parse({
  type: 'trial-funds',
  days: 3,
  annualRate: 0.08,
  tiers: [
    { minPurchase: 1000, amount: 5000 },
    { minPurchase: 10000, amount: 20000 },
    { minPurchase: 50000, amount: 100000 },
  ],
});

describe('tiered trial funds: more the more they invest', () => {
  test.each([
    [999.99, undefined],
    [1000, 5000],
    [9999, 5000],
    [10000, 20000],
    [49999.99, 20000],
    [50000, 100000],
    [1e7, 100000],
  ])('a first purchase of %d yuan grants %s', (amount, principal) => {
    const grant = incentiveFor(LADDER, { amount }, NOW);
    expect(grant?.type === 'trial-funds' ? grant.principal : undefined).toBe(principal);
  });

  test('no amount on the trigger reaches no tier', () => {
    expect(incentiveFor(LADDER, undefined, NOW)).toBeUndefined();
  });

  test('monotone: a larger purchase never gets less principal or costs less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 200_000 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const g1 = incentiveFor(LADDER, { amount: lo }, NOW);
        const g2 = incentiveFor(LADDER, { amount: hi }, NOW);
        const principal = (g: typeof g1): number => (g?.type === 'trial-funds' ? g.principal : 0);
        expect(principal(g2)).toBeGreaterThanOrEqual(principal(g1));
        expect(g2?.costFen ?? 0).toBeGreaterThanOrEqual(g1?.costFen ?? 0);
      }),
    );
  });

  test('tiers that do not rise are rejected with their path', () => {
    const r = TrialFunds.safeParse({
      ...LADDER,
      tiers: [
        { minPurchase: 1000, amount: 5000 },
        { minPurchase: 10000, amount: 5000 },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['tiers', 1]);
  });

  test('amount and tiers are exclusive, and one is needed', () => {
    expect(TrialFunds.safeParse({ ...LADDER, amount: 5000 }).success).toBe(false);
    expect(TrialFunds.safeParse({ type: 'trial-funds', days: 3, annualRate: 0.08 }).success).toBe(false);
  });

  test('tierFor picks the highest tier reached whatever the order given', () => {
    expect(
      tierFor(
        [
          { minPurchase: 10000, amount: 2 },
          { minPurchase: 0, amount: 1 },
        ],
        20000,
      )?.amount,
    ).toBe(2);
  });
});

describe('grant terms and cost', () => {
  test('trial funds cost the yield paid: principal × rate × days / 365, rounded up to the fen', () => {
    // 5,000 × 8% × 3 / 365 = 3.2877 yuan → 329 fen
    expect(trialFundsCostFen(5000, 0.08, 3)).toBe(329);
    // 36,500 × 10% × 1 / 365 = 10 yuan exactly
    expect(trialFundsCostFen(36500, 0.1, 1)).toBe(1000);
  });

  test('a red packet costs its amount and expires expiryDays after the send', () => {
    const redPacket = Incentive.parse({ type: 'red-packet', amount: 8.88, minPurchase: 1000, expiryDays: 7 });
    expect(incentiveFor(redPacket, undefined, NOW)).toEqual({
      type: 'red-packet',
      amount: 8.88,
      minPurchase: 1000,
      expiresAt: new Date(NOW.getTime() + 7 * DAY),
      costFen: 888,
    });
  });

  test('a voucher costs its face value', () => {
    const voucher = Incentive.parse({ type: 'voucher', value: 20, expiryDays: 30, description: '申购费抵扣' });
    expect(incentiveFor(voucher, undefined, NOW)).toMatchObject({
      type: 'voucher',
      value: 20,
      minPurchase: 0,
      costFen: 2000,
      description: '申购费抵扣',
    });
  });

  test('fixed trial funds ignore the trigger amount', () => {
    const fixed = Incentive.parse({ type: 'trial-funds', amount: 5000, days: 3, annualRate: 0.08 });
    expect(incentiveFor(fixed, { amount: 1 }, NOW)).toMatchObject({
      principal: 5000,
      costFen: 329,
      expiresAt: new Date(NOW.getTime() + 7 * DAY),
    });
  });

  test('no incentive, no grant', () => {
    expect(incentiveFor(undefined, { amount: 1000 }, NOW)).toBeUndefined();
  });
});
