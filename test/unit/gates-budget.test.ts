import fc from 'fast-check';
import {
  budgetCharge,
  canCharge,
  charge,
  chargeGuard,
  release,
  remainingFen,
  toFen,
  type BudgetState,
} from '../../src/domain/budget.js';

test('a charge that fits is taken, one that does not is refused whole', () => {
  const s: BudgetState = { capFen: 1000, spentFen: 200 };
  expect(charge(s, 800)).toEqual({ capFen: 1000, spentFen: 1000 });
  expect(charge(s, 801)).toBeUndefined();
  expect(remainingFen({ capFen: 1000, spentFen: 1000 })).toBe(0);
});

test('the store guard admits exactly the states a charge fits in', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: 2_000 }),
      (cap, spent, cost) => {
        fc.pre(spent <= cap);
        expect(spent <= chargeGuard(cap, cost)).toBe(canCharge({ capFen: cap, spentFen: spent }, cost));
      },
    ),
  );
});

test('any sequence of charges and releases never overspends nor goes below zero', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('charge' as const), fen: fc.integer({ min: 0, max: 900 }) }),
    fc.record({ kind: fc.constant('release' as const), fen: fc.integer({ min: 0, max: 900 }) }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5_000 }), fc.array(op, { maxLength: 60 }), (cap, ops) => {
      let s: BudgetState = { capFen: cap, spentFen: 0 };
      for (const o of ops) {
        s = o.kind === 'charge' ? (charge(s, o.fen) ?? s) : release(s, o.fen);
        expect(s.spentFen).toBeGreaterThanOrEqual(0);
        expect(s.spentFen).toBeLessThanOrEqual(s.capFen);
        expect(remainingFen(s)).toBeGreaterThanOrEqual(0);
      }
    }),
  );
});

test('many workers racing on one budget: the sum of accepted charges never exceeds the cap', () => {
  // Interleaving modelled as the store applies it: each conditional update sees the latest state.
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 2_000 }), { maxLength: 200 }), (costs) => {
      let s: BudgetState = { capFen: toFen(100), spentFen: 0 };
      let accepted = 0;
      for (const cost of costs) {
        const next = charge(s, cost);
        if (next) {
          s = next;
          accepted += cost;
        }
      }
      expect(accepted).toBe(s.spentFen);
      expect(accepted).toBeLessThanOrEqual(10_000);
    }),
  );
});

test('message cost is charged only when the budget includes it', () => {
  expect(budgetCharge({ cap: 100, includeMessageCost: false }, 800, 5)).toBe(800);
  expect(budgetCharge({ cap: 100, includeMessageCost: true }, 800, 5)).toBe(805);
});

test('yuan become exact fen', () => {
  expect(toFen(8.88)).toBe(888);
  expect(toFen(0.1 + 0.2)).toBe(30);
});
