import fc from 'fast-check';
import { holdoutPosition, inHoldout } from '../../src/domain/holdout.js';

test('the position is the first 8 hex digits of sha256("campaign:user") over 2^32', () => {
  // sha256("weekly-picks:u1") starts with db50cddc (checked with `printf 'weekly-picks:u1' | sha256sum`).
  expect(holdoutPosition('weekly-picks', 'u1')).toBeCloseTo(0xdb50cddc / 2 ** 32, 9);
});

test('sticky: the same campaign and user always land in the same group', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1 }),
      fc.string({ minLength: 1 }),
      fc.integer({ min: 0, max: 50 }),
      (c, u, p) => {
        expect(inHoldout(c, u, p)).toBe(inHoldout(c, u, p));
        expect(holdoutPosition(c, u)).toBeGreaterThanOrEqual(0);
        expect(holdoutPosition(c, u)).toBeLessThan(1);
      },
    ),
  );
});

test('no holdout, or 0%, holds no one out', () => {
  expect(inHoldout('c', 'u1', undefined)).toBe(false);
  expect(inHoldout('c', 'u1', 0)).toBe(false);
});

test.each([5, 10, 20, 50])('%i%% of 20,000 users are held out (within 1 point)', (percent) => {
  let held = 0;
  for (let i = 0; i < 20_000; i++) if (inHoldout('re-engagement', `user-${i}`, percent)) held += 1;
  expect(Math.abs(held / 20_000 - percent / 100)).toBeLessThan(0.01);
});

test('a bigger holdout keeps everyone the smaller one held out', () => {
  for (let i = 0; i < 2_000; i++) if (inHoldout('c', `u${i}`, 10)) expect(inHoldout('c', `u${i}`, 20)).toBe(true);
});

test('campaigns split the same users independently', () => {
  let both = 0;
  for (let i = 0; i < 20_000; i++)
    if (inHoldout('first-purchase', `u${i}`, 10) && inHoldout('weekly-picks', `u${i}`, 10)) both += 1;
  expect(both / 20_000).toBeGreaterThan(0.005);
  expect(both / 20_000).toBeLessThan(0.015);
});
