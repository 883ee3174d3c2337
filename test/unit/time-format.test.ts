import { formatInstant, isoInZone } from '../../src/domain/time-format.js';

test.each([
  ['2026-11-21T02:00:00.000Z', 'Asia/Shanghai', '2026-11-21 10:00 +08:00', '2026-11-21T10:00:00+08:00'],
  ['2026-12-04T15:59:07.500Z', 'Asia/Shanghai', '2026-12-04 23:59:07 +08:00', '2026-12-04T23:59:07+08:00'],
  ['2026-11-20T16:30:00Z', 'Asia/Kolkata', '2026-11-20 22:00 +05:30', '2026-11-20T22:00:00+05:30'],
  ['2026-11-21T02:00:00Z', 'America/New_York', '2026-11-20 21:00 -05:00', '2026-11-20T21:00:00-05:00'],
  ['2026-11-21T02:00:00Z', 'UTC', '2026-11-21 02:00 +00:00', '2026-11-21T02:00:00+00:00'],
  ['2026-11-20T16:00:00Z', 'Asia/Shanghai', '2026-11-21 00:00 +08:00', '2026-11-21T00:00:00+08:00'],
])('%s in %s reads %s (ISO %s)', (at, tz, text, iso) => {
  expect(formatInstant(new Date(at), tz)).toBe(text);
  expect(formatInstant(at, tz)).toBe(text);
  expect(isoInZone(new Date(at), tz)).toBe(iso);
  expect(new Date(iso).getTime()).toBe(Math.floor(new Date(at).getTime() / 1000) * 1000);
});
