import { carrierStatus } from '../../src/receivers/carrier-outcome.js';

const numbers = Array.from({ length: 5000 }, (_, i) => `+86138${String(i).padStart(8, '0')}`);

test('carriers deliver most SMS and report a small share undelivered or failed', () => {
  const counts = { delivered: 0, undelivered: 0, failed: 0 };
  for (const n of numbers) counts[carrierStatus(n)]++;
  expect(counts.undelivered / numbers.length).toBeGreaterThan(0.01);
  expect(counts.undelivered / numbers.length).toBeLessThan(0.03);
  expect(counts.failed / numbers.length).toBeGreaterThan(0.004);
  expect(counts.failed / numbers.length).toBeLessThan(0.02);
});

test('the same number gets the same status on every run', () => {
  expect(numbers.map(carrierStatus)).toEqual(numbers.map(carrierStatus));
});
