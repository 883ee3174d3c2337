import { z } from 'zod';
import { addDays, dayKey, daysBetween, type DayWindow } from './day.js';
import { wallClockMs } from './quiet-hours.js';

/**
 * The days a report covers: calendar days of the platform time zone, both ends included, given
 * as `YYYY-MM-DD` (CLI `--from/--to`, API `?from=&to=`).
 */

export const DayKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a day as YYYY-MM-DD' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: 'no such day' });

/** The longest range a funnel or engagement report reads (bucket retention is at most 732 days). */
export const MAX_RANGE_DAYS = 732;

export const ReportRangeInput = z.strictObject({
  from: DayKey.optional(),
  to: DayKey.optional(),
}).refine((r) => !r.from || !r.to || r.from <= r.to, { message: 'from is after to', path: ['from'] })
  .refine((r) => !r.from || !r.to || daysBetween(r.from, r.to) < MAX_RANGE_DAYS, { message: `at most ${MAX_RANGE_DAYS} days`, path: ['to'] });
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
