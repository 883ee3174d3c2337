import { z } from 'zod';
import { addDays, dayKey, daysBetween, type DayWindow } from './day.js';
import { wallClockMs } from './quiet-hours.js';

/**
 * The days a report covers: calendar days of the platform time zone, both ends included, given
 * as `YYYY-MM-DD` (CLI `--from/--to`, API `?from=&to=`).
 */

/** Whether `s` is a calendar day written `YYYY-MM-DD`. */
export function isDayKey(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  // Date.parse accepts 2026-02-30 as March 2nd: the day must read back unchanged.
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

export const DayKey = z.string().refine(isDayKey, { message: 'a calendar day as YYYY-MM-DD' });

/** The longest range a funnel or engagement report reads (bucket retention is at most 732 days). */
export const MAX_RANGE_DAYS = 732;

const both = (r: { from?: string | undefined; to?: string | undefined }): r is { from: string; to: string } =>
  r.from !== undefined && r.to !== undefined && isDayKey(r.from) && isDayKey(r.to);

export const ReportRangeInput = z
  .strictObject({
    from: DayKey.optional(),
    to: DayKey.optional(),
  })
  .refine((r) => !both(r) || r.from <= r.to, { message: 'from is after to', path: ['from'] })
  .refine((r) => !both(r) || daysBetween(r.from, r.to) < MAX_RANGE_DAYS, {
    message: `at most ${MAX_RANGE_DAYS} days`,
    path: ['to'],
  });
export type ReportRangeInput = z.infer<typeof ReportRangeInput>;

/** The range asked for: `to` defaults to today, `from` to 29 days before `to` (30 days in all). */
export function dayRange(input: ReportRangeInput, now: Date, tz: string, defaultDays = 30): DayWindow {
  const last = input.to ?? dayKey(now, tz);
  return { first: input.from ?? addDays(last, -(defaultDays - 1)), last };
}

/** The instant a calendar day starts in `tz`. */
export function dayStart(key: string, tz: string): Date {
  const guess = Date.parse(`${key}T00:00:00Z`);
  let t = guess - (wallClockMs(guess, tz) - guess);
  // Once more at the found instant: the offset may differ there (a DST change that day).
  t = guess - (wallClockMs(t, tz) - t);
  return new Date(t);
}

/** The instants of a range: from the first day's start to the start of the day after the last. */
export function rangeInstants(w: DayWindow, tz: string): { from: Date; to: Date } {
  return { from: dayStart(w.first, tz), to: dayStart(addDays(w.last, 1), tz) };
}
