import {
  addToEngagement,
  emptyEngagement,
  engagementDays,
  engagementStats,
  type EngagementProfile,
} from '../../src/domain/funnel-engagement.js';

const TZ = 'Asia/Shanghai';
const range = { first: '2026-11-24', last: '2026-11-30' };
const granted = { granted: true, at: new Date('2026-01-01T00:00:00Z'), source: 'signup' };
const open = { n: { app_open: 1 } };

function stats(profiles: EngagementProfile[]) {
  const c = emptyEngagement();
  for (const p of profiles) addToEngagement(c, p, range, TZ);
  return engagementStats(c, range);
}

test('the days read cover the 30-day MAU window and the range', () => {
  expect(engagementDays(range)).toEqual({ first: '2026-11-01', last: '2026-11-30' });
  expect(engagementDays({ first: '2026-09-01', last: '2026-11-30' })).toEqual({
    first: '2026-09-01',
    last: '2026-11-30',
  });
});

test('DAU per day, MAU over 30 days, DAU/MAU, 7-day retention and push reach', () => {
  const s = stats([
    // Active every day of the range and on 2026-11-01; reachable by push.
    {
      pushToken: 'tok-aaaaaaaa',
      consent: { push: granted },
      buckets: Object.fromEntries(
        [
          '2026-11-01',
          '2026-11-24',
          '2026-11-25',
          '2026-11-26',
          '2026-11-27',
          '2026-11-28',
          '2026-11-29',
          '2026-11-30',
        ].map((k) => [k, open]),
      ),
    },
    // Active once this month (before the range); push token without consent.
    { pushToken: 'tok-bbbbbbbb', buckets: { '2026-11-05': open } },
    // Active on 2026-10-31 only: outside the MAU window.
    { buckets: { '2026-10-31': open } },
    // Only outcome events: never active.
    { buckets: { '2026-11-30': { n: { message_delivered: 1 } } } },
  ]);
  expect(s.daily).toEqual([
    { day: '2026-11-24', active: 1 },
    { day: '2026-11-25', active: 1 },
    { day: '2026-11-26', active: 1 },
    { day: '2026-11-27', active: 1 },
    { day: '2026-11-28', active: 1 },
    { day: '2026-11-29', active: 1 },
    { day: '2026-11-30', active: 1 },
  ]);
  expect(s.dau).toBe(1);
  expect(s.mau).toBe(2);
  // 9 user-days of activity over 30 days, divided by 2 monthly users.
  expect(s.dauMau).toBeCloseTo(9 / 30 / 2, 12);
  expect(s.push).toEqual({ users: 4, reachable: 1, reachRate: 0.25 });
  expect(s.retention7).toEqual({ cohort: 0, retained: 0, rate: null });
});

test('7-day retention: users registered in the range at least 7 days before its end, back within 7 days', () => {
  const wide = { first: '2026-11-01', last: '2026-11-30' };
  const c = emptyEngagement();
  const reg = (day: string): Date => new Date(`${day}T10:00:00+08:00`);
  const users: EngagementProfile[] = [
    { lifecycle: { registeredAt: reg('2026-11-01') }, buckets: { '2026-11-01': open, '2026-11-08': open } }, // back on day 7
    { lifecycle: { registeredAt: reg('2026-11-01') }, buckets: { '2026-11-01': open, '2026-11-09': open } }, // day 8: too late
    { lifecycle: { registeredAt: reg('2026-11-10') }, buckets: { '2026-11-10': open, '2026-11-11': open } }, // day 1
    { lifecycle: { registeredAt: reg('2026-11-10') }, buckets: { '2026-11-10': open } }, // never back
    { lifecycle: { registeredAt: reg('2026-11-25') }, buckets: { '2026-11-26': open } }, // window not over: not in the cohort
    { lifecycle: { registeredAt: reg('2026-10-31') }, buckets: { '2026-11-02': open } }, // registered before the range
  ];
  for (const u of users) addToEngagement(c, u, wide, TZ);
  expect(engagementStats(c, wide).retention7).toEqual({ cohort: 4, retained: 2, rate: 0.5 });
});
