import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { toFen } from '../../src/domain/budget.js';
import {
  incentiveFor,
  tierFor,
  trialFundsCostFen,
  TrialFunds,
  type TrialFundsTier,
} from '../../src/domain/incentive.js';

/**
 * Tier computation and incentive cost (domain/incentive.ts) over generated ladders, not one fixed
 * ladder: the tier a purchase earns, and a cost charged to the budget that never under-counts.
 */
const fen = (max: number) => fc.integer({ min: 1, max }).map((f) => f / 100);

/** A valid rising ladder: each tier asks more and gives more than the one before. */
const ladder = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 500_000 }), fc.integer({ min: 1, max: 500_000 })), {
    minLength: 1,
    maxLength: 20,
  })
  .map((steps) => {
    let min = 0;
    let amount = 0;
    return steps.map(([dMin, dAmount], i): TrialFundsTier => {
      min = i === 0 ? dMin - 1 : min + dMin;
      amount += dAmount;
      return { minPurchase: min / 100, amount: amount / 100 };
    });
  });
const purchase = fc.integer({ min: 0, max: 12_000_000 }).map((f) => f / 100);
/** A ladder and a purchase, often exactly at a tier's threshold or a fen below it. */
const ladderAndPurchase = ladder.chain((tiers) => {
  const edges = tiers.flatMap((t) => [t.minPurchase, Math.max(0, Math.round(t.minPurchase * 100 - 1) / 100)]);
  return fc.tuple(fc.constant(tiers), fc.oneof(purchase, fc.constantFrom(...edges)));
});

test('the tier is the highest one the purchase reaches; none below the first (users get what the ladder promises)', () => {
  fc.assert(
    fc.property(ladderAndPurchase, ([tiers, amount]) => {
      const tier = tierFor(tiers, amount);
      const reached = tiers.filter((t) => amount >= t.minPurchase);
      expect(tier).toEqual(reached[reached.length - 1]);
      expect(tier === undefined).toBe(amount < (tiers[0]?.minPurchase ?? 0));
    }),
    { numRuns: 1000 },
  );
});

test('a larger purchase never earns a smaller tier, in any order the ladder is written', () => {
  fc.assert(
    fc.property(ladder, purchase, purchase, fc.boolean(), (tiers, a, b, reverse) => {
      const written = reverse ? [...tiers].reverse() : tiers;
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      expect(tierFor(written, hi)?.amount ?? 0).toBeGreaterThanOrEqual(tierFor(written, lo)?.amount ?? 0);
    }),
    { numRuns: 1000 },
  );
});

test('trial funds cost the yield rounded up to the fen: never less than owed, less than a fen more (the budget never under-counts)', () => {
  fc.assert(
    fc.property(
      fen(100_000_000),
      fc.integer({ min: 1, max: 10_000 }).map((bp) => bp / 10_000),
      fc.integer({ min: 1, max: 3650 }),
      (principal, rate, days) => {
        const exact = (toFen(principal) * rate * days) / 365;
        const cost = trialFundsCostFen(principal, rate, days);
        expect(Number.isInteger(cost)).toBe(true);
        expect(cost).toBeGreaterThanOrEqual(exact - 1e-6);
        expect(cost).toBeLessThan(exact + 1);
      },
    ),
    { numRuns: 2000 },
  );
});

test("a tiered grant is the tier's principal at the campaign's rate, expiring expiryDays after the send", () => {
  const at = new Date('2026-11-20T10:00:00+08:00');
  fc.assert(
    fc.property(
      ladderAndPurchase,
      fc.integer({ min: 1, max: 365 }),
      fc.integer({ min: 1, max: 30 }),
      ([tiers, amount], days, expiryDays) => {
        const incentive = TrialFunds.parse({ type: 'trial-funds', tiers, days, annualRate: 0.05, expiryDays });
        const grant = incentiveFor(incentive, { amount }, at);
        const tier = tierFor(tiers, amount);
        if (!tier) return void expect(grant).toBeUndefined();
        expect(grant).toEqual({
          type: 'trial-funds',
          principal: tier.amount,
          days,
          annualRate: 0.05,
          expiresAt: new Date(at.getTime() + expiryDays * 86_400_000),
          costFen: trialFundsCostFen(tier.amount, 0.05, days),
        });
      },
    ),
    { numRuns: 500 },
  );
});

test('red packets and vouchers charge exactly their face value in fen (two-decimal yuan convert exactly)', () => {
  fc.assert(
    fc.property(fen(1_000_000_000), (face) => {
      expect(toFen(face)).toBe(Math.round(face * 100));
      const at = new Date(0);
      expect(
        incentiveFor({ type: 'red-packet', amount: face, minPurchase: 0, expiryDays: 1 }, undefined, at)?.costFen,
      ).toBe(toFen(face));
      expect(
        incentiveFor({ type: 'voucher', value: face, minPurchase: 0, expiryDays: 1 }, undefined, at)?.costFen,
      ).toBe(toFen(face));
    }),
    { numRuns: 1000 },
  );
});
