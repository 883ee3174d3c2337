import { nowWarnings, type NowCheck } from '../../src/domain/now-check.js';

const base: NowCheck = {
  now: new Date('2026-11-20T10:00:00+08:00'),
  newestEvent: new Date('2026-11-20T10:00:00+08:00'),
  lastIngestAt: new Date('2026-11-20T10:00:00+08:00'),
  retentionDays: 90,
  windowDays: 14,
  tz: 'Asia/Shanghai',
};

test('no warning when the newest event is within 3 days of now and the window lies in the kept buckets', () => {
  expect(nowWarnings(base)).toEqual([]);
  expect(nowWarnings({ ...base, now: new Date('2026-11-23T09:00:00+08:00') })).toEqual([]);
  expect(nowWarnings({ ...base, newestEvent: undefined, lastIngestAt: undefined })).toEqual([]);
});

test('the newest event far before or after now names the gap and the --now that was probably meant', () => {
  expect(nowWarnings({ ...base, now: new Date('2026-12-04T10:00:00+08:00') })).toEqual([
    'newest event 14 days before now (2026-11-20 10:00 +08:00): did you mean --now 2026-11-20T10:00:00+08:00?',
  ]);
  expect(nowWarnings({ ...base, now: new Date('2026-11-10T10:00:00+08:00') })).toEqual([
    'newest event 10 days after now (2026-11-20 10:00 +08:00): did you mean --now 2026-11-20T10:00:00+08:00?',
  ]);
});

test("events after the clock warn only against a given --now: without one they are the demo's simulated answers", () => {
  const later = { ...base, now: new Date('2026-11-10T10:00:00+08:00') };
  expect(nowWarnings({ ...later, explicitNow: false })).toEqual([]);
  expect(nowWarnings({ ...later, explicitNow: true })).toHaveLength(1);
  // Data that stopped long before the clock still warns, --now or not.
  expect(nowWarnings({ ...base, now: new Date('2026-12-04T10:00:00+08:00'), explicitNow: false })).toHaveLength(1);
});

test('a window reaching back past the buckets the latest ingest kept is named with both dates', () => {
  // Kept: the 90 days ending 2026-11-20, from 2026-08-23. A 14-day window at 2026-09-01 starts 2026-08-19.
  const at = new Date('2026-09-01T10:00:00+08:00');
  expect(nowWarnings({ ...base, now: at, newestEvent: undefined })).toEqual([
    'a 14-day window at 2026-09-01 10:00 +08:00 reaches back to 2026-08-19, but day buckets are kept for 90 days (from 2026-08-23): the days before read as empty',
  ]);
  expect(nowWarnings({ ...base, now: new Date('2026-09-05T10:00:00+08:00'), newestEvent: undefined })).toEqual([]);
});
