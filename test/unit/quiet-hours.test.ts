import { lastAllowedTime } from '../../src/domain/quiet-hours.js';

/** The demo's default history end during quiet hours: the last minute before they began. */
describe('lastAllowedTime', () => {
  const tz = 'Asia/Shanghai';
  const window = { start: '21:00', end: '08:00' };
  test('an allowed instant is itself', () => {
    const at = new Date('2026-12-04T10:00:00+08:00');
    expect(lastAllowedTime(at, window, tz)).toBe(at);
    expect(lastAllowedTime(at, null, tz)).toBe(at);
  });
  test('inside a window that crosses midnight: the evening before, the minute before it began', () => {
    expect(lastAllowedTime(new Date('2026-12-05T01:40:54+08:00'), window, tz)).toEqual(
      new Date('2026-12-04T20:59:00+08:00'),
    );
    expect(lastAllowedTime(new Date('2026-12-04T21:00:00+08:00'), window, tz)).toEqual(
      new Date('2026-12-04T20:59:00+08:00'),
    );
    expect(lastAllowedTime(new Date('2026-12-05T07:59:59+08:00'), window, tz)).toEqual(
      new Date('2026-12-04T20:59:00+08:00'),
    );
  });
});
