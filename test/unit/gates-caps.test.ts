import { capExceeded, weekKey, type SendRecord } from '../../src/domain/caps.js';
import { effectiveLimits, DEFAULT_LIMITS, Limits } from '../../src/domain/campaign-limits.js';

const at = (iso: string, channel: SendRecord['channel'] = 'push'): SendRecord => ({
  campaignId: 'c',
  channel,
  at: new Date(iso),
});

test('weeks start on Monday', () => {
  expect(weekKey('2026-11-20')).toBe('2026-11-16'); // Friday
  expect(weekKey('2026-11-16')).toBe('2026-11-16'); // Monday
  expect(weekKey('2026-11-22')).toBe('2026-11-16'); // Sunday
  expect(weekKey('2027-01-01')).toBe('2026-12-28'); // across the year
});

describe('capExceeded counts calendar days and weeks in the user time zone', () => {
  const sendAt = new Date('2026-11-20T10:00:00+08:00');

  test('a send late yesterday in Shanghai is another day, though within 24 hours', () => {
    expect(
      capExceeded([at('2026-11-19T23:30:00+08:00', 'sms')], 'sms', sendAt, 'Asia/Shanghai', { sms: 1 }, {}),
    ).toBeUndefined();
  });

  test('the same instant is "today" in New York', () => {
    // 2026-11-19T23:30+08:00 is 10:30 on the 19th in New York, and sendAt is 21:00 on the 19th there.
    expect(
      capExceeded([at('2026-11-19T23:30:00+08:00', 'sms')], 'sms', sendAt, 'America/New_York', { sms: 1 }, {}),
    ).toBe('sms 1/day');
  });

  test('per-channel caps count only their channel, totals count all', () => {
    const history = [at('2026-11-20T09:00:00+08:00', 'push'), at('2026-11-20T09:30:00+08:00', 'email')];
    expect(capExceeded(history, 'sms', sendAt, 'Asia/Shanghai', { sms: 1 }, {})).toBeUndefined();
    expect(capExceeded(history, 'sms', sendAt, 'Asia/Shanghai', { total: 2 }, {})).toBe('total 2/day');
  });

  test('weekly caps count Monday to Sunday', () => {
    const week = ['2026-11-16T12:00:00+08:00', '2026-11-17T12:00:00+08:00', '2026-11-18T12:00:00+08:00'].map((t) =>
      at(t),
    );
    expect(capExceeded(week, 'push', sendAt, 'Asia/Shanghai', {}, { push: 3 })).toBe('push 3/week');
    const lastWeek = week.map((r) => ({ ...r, at: new Date(r.at.getTime() - 7 * 86_400_000) }));
    expect(capExceeded(lastWeek, 'push', sendAt, 'Asia/Shanghai', {}, { push: 3 })).toBeUndefined();
  });
});

test('a campaign overrides the platform limits field by field', () => {
  const own = Limits.parse({
    cooldown: '7d',
    perDay: { sms: 2 },
    quietHours: { push: null, sms: { start: '22:00', end: '09:00' } },
  });
  const limits = effectiveLimits(own);
  expect(limits.cooldownMs).toBe(7 * 86_400_000);
  expect(limits.perDay).toEqual({ total: 2, sms: 2 });
  expect(limits.perWeek).toEqual(DEFAULT_LIMITS.perWeek);
  expect(limits.quietHours).toEqual({
    sms: { start: '22:00', end: '09:00' },
    email: { start: '21:00', end: '08:00' },
    push: null,
  });
  expect(effectiveLimits(undefined)).toEqual(DEFAULT_LIMITS);
});
