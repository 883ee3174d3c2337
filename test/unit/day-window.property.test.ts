import { expect, test } from '@jest/globals';
import fc from 'fast-check';
import { weekKey } from '../../src/domain/caps.js';
import { addDays, dayKey, daysBetween, dayWindow, inWindow } from '../../src/domain/day.js';
import { Duration, durationMs } from '../../src/domain/duration.js';
import { INSTANT_RANGE } from '../../src/domain/event.js';

/**
 * Window arithmetic: day keys are what buckets are keyed and windows are compared by, as strings.
 * Each property names what breaks when it fails.
 */
const ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];
const zone = fc.constantFrom(...ZONES);
/** Every instant Tideflow accepts from outside (the fuzzer found year 20 broke day keys). */
const instant = fc.integer({ min: INSTANT_RANGE.min, max: INSTANT_RANGE.max - 1 }).map((t) => new Date(t));
const key = fc
  .integer({ min: Date.UTC(1971, 0, 1) / 86_400_000, max: Date.UTC(2198, 11, 31) / 86_400_000 })
  .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

test('a day key is YYYY-MM-DD for every accepted instant in every zone (else string order ≠ time order)', () => {
  fc.assert(
    fc.property(instant, zone, (at, tz) => {
      expect(dayKey(at, tz)).toMatch(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
    }),
    { numRuns: 2000 },
  );
});

test('day keys never go back as time goes on, and move by at most two days in 24 h (buckets stay in order)', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 0, max: 86_400_000 }), zone, (at, later, tz) => {
      const a = dayKey(at, tz);
      const b = dayKey(new Date(at.getTime() + later), tz);
      expect(b >= a).toBe(true);
      expect(daysBetween(a, b)).toBeGreaterThanOrEqual(0);
      expect(daysBetween(a, b)).toBeLessThanOrEqual(2);
    }),
    { numRuns: 2000 },
  );
});

test('addDays and daysBetween agree across months, leap days and years (windows have the length asked)', () => {
  fc.assert(
    fc.property(key, fc.integer({ min: -800, max: 800 }), (k, n) => {
      const moved = addDays(k, n);
      expect(daysBetween(k, moved)).toBe(n);
      expect(addDays(moved, -n)).toBe(k);
      expect(moved > k).toBe(n > 0);
    }),
    { numRuns: 2000 },
  );
});

test('a window of N days holds exactly N day keys, today included, yesterday-of-first and tomorrow excluded', () => {
  fc.assert(
    fc.property(instant, fc.integer({ min: 1, max: 400 }), zone, (now, days, tz) => {
      const w = dayWindow(now, days, tz);
      expect(w.last).toBe(dayKey(now, tz));
      expect(daysBetween(w.first, w.last)).toBe(days - 1);
      expect(inWindow(dayKey(now, tz), w)).toBe(true);
      expect(inWindow(addDays(w.first, -1), w)).toBe(false);
      expect(inWindow(addDays(w.last, 1), w)).toBe(false);
    }),
    { numRuns: 1000 },
  );
});

test('a week key is the Monday on or before the day (weekly caps count one ISO week)', () => {
  fc.assert(
    fc.property(key, (k) => {
      const monday = weekKey(k);
      expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(daysBetween(monday, k)).toBeGreaterThanOrEqual(0);
      expect(daysBetween(monday, k)).toBeLessThan(7);
      expect(weekKey(monday)).toBe(monday);
    }),
    { numRuns: 1000 },
  );
});

test('a duration is its number times its unit, and only the canonical form parses (cooldowns mean what they say)', () => {
  const UNIT = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 99_998 }), fc.constantFrom('m', 'h', 'd', 'w' as const), (n, u) => {
      expect(Duration.safeParse(`${n}${u}`).success).toBe(true);
      expect(durationMs(`${n}${u}`)).toBe(n * UNIT[u]);
      expect(durationMs(`${n + 1}${u}`)).toBeGreaterThan(durationMs(`${n}${u}`));
      for (const bad of [`0${n}${u}`, `${n}.5${u}`, ` ${n}${u}`, `${n}${u}${u}`, `-${n}${u}`, `${n}`]) {
        expect(Duration.safeParse(bad).success).toBe(false);
      }
    }),
    { numRuns: 500 },
  );
});
