import { differenceInterval, efficiency, lift, relativeInterval, wilson } from '../../src/domain/lift.js';

const round4 = (v: number | undefined): number | undefined =>
  v === undefined ? undefined : Math.round(v * 10_000) / 10_000;

// Newcombe (1998), Statistics in Medicine 17:873–890, table II, method 10 (hybrid score, no
// continuity correction): the published intervals for his examples, to four decimals.
test.each([
  [56, 70, 48, 80, 0.0524, 0.3339],
  [9, 10, 3, 10, 0.1705, 0.809],
  [5, 56, 0, 29, -0.0381, 0.1926],
  [0, 10, 0, 20, -0.1611, 0.2775],
  [0, 10, 0, 10, -0.2775, 0.2775],
  [10, 10, 0, 20, 0.6791, 1],
  [10, 10, 0, 10, 0.6075, 1],
])('difference of %i/%i and %i/%i: 95%% interval [%f, %f]', (x1, n1, x2, n2, low, high) => {
  const i = differenceInterval({ users: n1, converted: x1 }, { users: n2, converted: x2 });
  expect([round4(i?.low), round4(i?.high)]).toEqual([low, high]);
});

test('Wilson interval of 56/70 is [0.6918, 0.8770]; an empty group is [0, 1]', () => {
  const w = wilson(56, 70);
  expect([round4(w.low), round4(w.high)]).toEqual([0.6918, 0.877]);
  expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
});

test('a campaign converting 4% of 1,000 against 2% of 1,000 held out', () => {
  const l = lift({ users: 1000, converted: 40, amount: 200_000 }, { users: 1000, converted: 20, amount: 90_000 });
  expect(l.treatedRate).toBe(0.04);
  expect(l.holdoutRate).toBe(0.02);
  expect(l.absolute).toBeCloseTo(0.02, 12);
  expect(l.relative).toBeCloseTo(1, 12);
  expect(l.incrementalConversions).toBeCloseTo(20, 9);
  // (200 − 90 yuan per user) × 1,000 treated users.
  expect(l.incrementalAmount).toBeCloseTo(110_000, 6);
  // Katz: se = √(1/40 − 1/1000 + 1/20 − 1/1000) = 0.270185; 2·e^(∓1.96·se) − 1.
  expect(round4(l.relativeInterval?.low)).toBe(0.1777);
  expect(round4(l.relativeInterval?.high)).toBe(2.3963);
  expect(l.absoluteInterval?.low).toBeGreaterThan(0);
});

test('no conversion in the holdout: no relative lift, and no relative interval', () => {
  const l = lift({ users: 50, converted: 5 }, { users: 10, converted: 0 });
  expect(l.relative).toBeNull();
  expect(l.relativeInterval).toBeNull();
  expect(relativeInterval({ users: 50, converted: 0 }, { users: 10, converted: 2 })).toBeNull();
  expect(round4(l.absoluteInterval?.low)).toBeLessThan(0.1);
});

test('an empty holdout compares nothing: no lift (with the reason), no interval, no incremental conversions', () => {
  const l = lift({ users: 100, converted: 10 }, { users: 0, converted: 0 });
  expect(l.absolute).toBeNull();
  expect(l.notMeasured).toBe('the holdout is empty: no user was held out to compare with');
  expect(l.absoluteInterval).toBeNull();
  expect(l.incrementalConversions).toBeNull();
  expect(l.incrementalAmount).toBeNull();
  expect(efficiency(50, 20, l)).toMatchObject({ costPerIncrementalConversion: null, roi: null });
  expect(lift({ users: 0, converted: 0 }, { users: 10, converted: 1 }).notMeasured).toBe(
    'no user was set out to be contacted',
  );
  expect(lift({ users: 10, converted: 1 }, { users: 10, converted: 0 })).toMatchObject({
    absolute: 0.1,
    notMeasured: null,
  });
});

test('cost per incremental conversion and ROI, on committed cost and on cash paid', () => {
  expect(efficiency(500, 200, { incrementalConversions: 20, incrementalAmount: 110_000 })).toEqual({
    cost: 500,
    cash: 200,
    costPerIncrementalConversion: 25,
    cashPerIncrementalConversion: 10,
    roi: 220,
  });
  // A campaign that added nothing has no cost per incremental conversion; its ROI is negative or zero.
  expect(efficiency(500, 100, { incrementalConversions: -3, incrementalAmount: -1000 })).toEqual({
    cost: 500,
    cash: 100,
    costPerIncrementalConversion: null,
    cashPerIncrementalConversion: null,
    roi: -2,
  });
  expect(efficiency(0, 0, { incrementalConversions: 5, incrementalAmount: 100 })).toEqual({
    cost: 0,
    cash: 0,
    costPerIncrementalConversion: null,
    cashPerIncrementalConversion: null,
    roi: null,
  });
});
