import { Campaign } from '../../src/domain/campaign.js';
import { meetsGoal, Goal } from '../../src/domain/campaign-goal.js';
import { cronProblem, latestOccurrence, nextOccurrence } from '../../src/domain/campaign-schedule.js';
import { Duration, durationMs } from '../../src/domain/duration.js';
import { QuietHours } from '../../src/domain/quiet-hours.js';
import { aCampaign, NOW } from '../support/factories.js';

describe('durations are strict', () => {
  test.each([
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    ['36h', 129_600_000],
  ])('%s', (text, ms) => {
    expect(Duration.parse(text)).toBe(text);
    expect(durationMs(text)).toBe(ms);
  });
  test.each(['0d', '1.5d', '1d12h', '2 h', '2H', 'h', '2', '-1d', '01d', '2s', ''])('%p is rejected', (text) => {
    expect(Duration.safeParse(text).success).toBe(false);
    expect(() => durationMs(text)).toThrow();
  });
});

describe('cron expressions: 5 fields, standard syntax', () => {
  test.each(['0 10 * * 5', '0 10 * * fri', '*/15 9-17 * * mon-fri', '0 9,18 1 * *', '30 8 * jan,jul *'])(
    '%s is valid',
    (expr) => {
      expect(cronProblem(expr)).toBeUndefined();
    },
  );
  test.each([
    ['0 0 10 * * 5', /5 fields/],
    ['0 10 * *', /5 fields/],
    ['61 10 * * *', /0-59/],
    ['0 10 L * *', /day of month/],
    ['0 10 * * 5#2', /day of week/],
    ['H 10 * * *', /minute/],
    ['0 10 31 2 *', /day of month/],
    ['0 10 ? * 5', /day of month/],
  ])('%s is rejected', (expr, message) => {
    expect(cronProblem(expr)).toMatch(message);
  });

  test('occurrences are read in the schedule time zone', () => {
    const weekly = { cron: '0 10 * * 5', timezone: 'Asia/Shanghai' };
    // NOW is Friday 2026-11-20 10:00 in Shanghai: that very occurrence.
    expect(latestOccurrence(weekly, NOW)).toEqual(NOW);
    expect(latestOccurrence(weekly, new Date(NOW.getTime() - 1))).toEqual(new Date('2026-11-13T10:00:00+08:00'));
    expect(nextOccurrence(weekly, NOW)).toEqual(new Date('2026-11-27T10:00:00+08:00'));
    expect(nextOccurrence({ cron: '0 10 * * 5', timezone: 'America/New_York' }, NOW)).toEqual(
      new Date('2026-11-20T10:00:00-05:00'),
    );
  });
});

describe('campaign schema', () => {
  test('defaults: priority 0', () => {
    expect(aCampaign().priority).toBe(0);
  });

  test.each([
    ['neither schedule nor trigger', { trigger: undefined }],
    ['a channel twice', { channels: ['sms', 'sms'] }],
    ['no channel', { channels: [] }],
    ['a holdout above 50%', { holdout: 60 }],
    ['a status outside draft|active|paused', { status: 'stopped' }],
    ['an upper-case id', { id: 'First-Purchase' }],
    ['a zero budget', { budget: { cap: 0 } }],
    [
      'amounts with fractions of a fen',
      { incentive: { type: 'red-packet', amount: 8.888, minPurchase: 0, expiryDays: 7 } },
    ],
    ['a product id and a category', { product: { id: 'bond-plus', category: 'bond' } }],
    ['a goal window over 90 days', { goal: { event: 'purchase', withinDays: 120 } }],
  ])('rejects %s', (_, over) => {
    expect(Campaign.safeParse({ ...aCampaign(), ...over }).success).toBe(false);
  });

  test.each([
    [{ start: '21:00', end: '08:00' }, true],
    [{ start: '12:00', end: '14:00' }, true],
    [{ start: '21:00', end: '21:00' }, false],
    [{ start: '18:00', end: '11:00' }, false],
    [{ start: '24:00', end: '08:00' }, false],
    [{ start: '9:00', end: '10:00' }, false],
  ])('quiet hours %p valid: %p', (w, ok) => {
    expect(QuietHours.safeParse(w).success).toBe(ok);
  });
});

describe('goals', () => {
  const goal = Goal.parse({ event: 'purchase', withinDays: 7, minAmount: 1000, category: 'bond' });
  const purchase = { type: 'purchase', ts: new Date(NOW.getTime() + 86_400_000), amount: 5000, category: 'bond' };

  test.each([
    ['a qualifying purchase', purchase, true],
    ['another event type', { ...purchase, type: 'redeem' }, false],
    ['too small', { ...purchase, amount: 999 }, false],
    ['another category', { ...purchase, category: 'stock' }, false],
    ['before the contact', { ...purchase, ts: new Date(NOW.getTime() - 1) }, false],
    ['at the last instant of the window', { ...purchase, ts: new Date(NOW.getTime() + 7 * 86_400_000) }, true],
    ['after the window', { ...purchase, ts: new Date(NOW.getTime() + 7 * 86_400_000 + 1) }, false],
  ])('%s', (_, event, met) => {
    expect(meetsGoal(goal, event, NOW)).toBe(met);
  });
});
