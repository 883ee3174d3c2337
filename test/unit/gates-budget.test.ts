import fc from 'fast-check';
import { budgetCharge, canCharge, toFen } from '../../src/domain/budget.js';

test('a charge fits exactly while what is left covers it', () => {
  expect(canCharge({ capFen: 1000, spentFen: 200 }, 800)).toBe(true);
  expect(canCharge({ capFen: 1000, spentFen: 200 }, 801)).toBe(false);
  expect(canCharge({ capFen: 1000, spentFen: 1000 }, 0)).toBe(true);
  expect(canCharge({ capFen: 1000, spentFen: 0 }, -1)).toBe(false);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (cap, cost) => {
      expect(canCharge({ capFen: cap, spentFen: 0 }, cost)).toBe(cost <= cap);
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
