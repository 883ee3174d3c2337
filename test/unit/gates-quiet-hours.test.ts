import fc from 'fast-check';
import { isQuietAt, nextAllowedTime, QuietHours, wallClockMs } from '../../src/domain/quiet-hours.js';

const NIGHT: QuietHours = { start: '21:00', end: '08:00' };
const iso = (d: Date): string => d.toISOString();

describe('nextAllowedTime, 21:00–08:00', () => {
  test.each([
    ['Asia/Shanghai', '2026-11-20T20:59:00+08:00', '2026-11-20T20:59:00+08:00'],
    ['Asia/Shanghai', '2026-11-20T21:00:00+08:00', '2026-11-21T08:00:00+08:00'],
    ['Asia/Shanghai', '2026-11-20T23:59:59+08:00', '2026-11-21T08:00:00+08:00'],
    ['Asia/Shanghai', '2026-11-21T00:00:00+08:00', '2026-11-21T08:00:00+08:00'],
    ['Asia/Shanghai', '2026-11-21T07:59:59+08:00', '2026-11-21T08:00:00+08:00'],
    ['Asia/Shanghai', '2026-11-21T08:00:00+08:00', '2026-11-21T08:00:00+08:00'],
    ['Asia/Shanghai', '2026-12-31T22:00:00+08:00', '2027-01-01T08:00:00+08:00'],
    ['America/New_York', '2026-11-20T22:00:00-05:00', '2026-11-21T08:00:00-05:00'],
    // The night clocks fall back (1 Nov 2026, 02:00 EDT → 01:00 EST): the night is an hour longer.
    ['America/New_York', '2026-10-31T22:00:00-04:00', '2026-11-01T08:00:00-05:00'],
    // The night clocks spring forward (8 Mar 2026, 02:00 EST → 03:00 EDT): an hour shorter.
    ['America/New_York', '2026-03-07T23:30:00-05:00', '2026-03-08T08:00:00-04:00'],
    ['America/New_York', '2026-03-08T02:30:00-04:00', '2026-03-08T08:00:00-04:00'],
  ])('%s %s → %s', (tz, at, expected) => {
    expect(iso(nextAllowedTime(new Date(at), NIGHT, tz))).toBe(iso(new Date(expected)));
  });

  test('a window within one day (12:00–14:00) ends the same day', () => {
    expect(
      iso(nextAllowedTime(new Date('2026-11-20T13:00:00+08:00'), { start: '12:00', end: '14:00' }, 'Asia/Shanghai')),
    ).toBe(iso(new Date('2026-11-20T14:00:00+08:00')));
  });

  test('an end that the clocks skip (02:30 on spring-forward day) becomes the first instant after the jump', () => {
    const at = new Date('2026-03-08T01:00:00-05:00');
    expect(iso(nextAllowedTime(at, { start: '22:00', end: '02:30' }, 'America/New_York'))).toBe(
      iso(new Date('2026-03-08T03:00:00-04:00')),
    );
  });

  test('an end that happens twice (01:30 on fall-back day) is never earlier than the request', () => {
    const secondPass = new Date('2026-11-01T01:10:00-05:00');
    expect(iso(nextAllowedTime(secondPass, { start: '22:00', end: '01:30' }, 'America/New_York'))).toBe(
      iso(new Date('2026-11-01T01:30:00-05:00')),
    );
  });

  test('no window, no postponement', () => {
    const at = new Date('2026-11-20T23:00:00+08:00');
    expect(nextAllowedTime(at, null, 'Asia/Shanghai')).toBe(at);
  });
});

test('wallClockMs reads the local clock', () => {
  expect(new Date(wallClockMs(Date.parse('2026-11-20T02:00:00Z'), 'Asia/Shanghai')).toISOString()).toBe(
    '2026-11-20T10:00:00.000Z',
  );
});

describe('properties', () => {
  const ZONES = [
    'Asia/Shanghai',
    'America/New_York',
    'Europe/London',
    'Australia/Sydney',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
  ];
  const time = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const window = fc
    .tuple(time, time)
    .map(([start, end]) => ({ start, end }))
    .filter((w) => QuietHours.safeParse(w).success);
  const instant = fc
    .integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2031-01-01T00:00:00Z') })
    .map((t) => new Date(t));

  test('sendAt is outside quiet hours, never earlier than asked, and less than 24 h later', () => {
    fc.assert(
      fc.property(instant, window, fc.constantFrom(...ZONES), (at, w, tz) => {
        const sendAt = nextAllowedTime(at, w, tz);
        expect(isQuietAt(sendAt, w, tz)).toBe(false);
        expect(sendAt.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(sendAt.getTime() - at.getTime()).toBeLessThan(24 * 3_600_000);
      }),
      { numRuns: 3000 },
    );
  });

  test('the default window around the DST changes of New York', () => {
    const nearTransitions = fc
      .constantFrom('2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2027-03-14T07:00:00Z', '2027-11-07T06:00:00Z')
      .chain((t) => fc.integer({ min: -36 * 3_600_000, max: 36 * 3_600_000 }).map((d) => new Date(Date.parse(t) + d)));
    fc.assert(
      fc.property(nearTransitions, (at) => {
        const sendAt = nextAllowedTime(at, NIGHT, 'America/New_York');
        expect(isQuietAt(sendAt, NIGHT, 'America/New_York')).toBe(false);
        expect(sendAt.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(sendAt.getTime() - at.getTime()).toBeLessThan(24 * 3_600_000);
        if (sendAt.getTime() !== at.getTime())
          expect(new Date(wallClockMs(sendAt.getTime(), 'America/New_York')).toISOString().slice(11, 19)).toBe(
            '08:00:00',
          );
      }),
      { numRuns: 2000 },
    );
  });
});
