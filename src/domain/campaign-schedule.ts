import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { TimeZone } from './time-zone.js';

const FIELDS = ['minute', 'hour', 'day of month', 'month', 'day of week'] as const;

/**
 * Why `expr` is not a usable 5-field cron expression (minute hour day-of-month month day-of-week),
 * or undefined when it is. Numbers, ranges, lists, steps and month/day names are allowed;
 * seconds fields and the non-standard `L`, `W`, `#`, `?` and `H` are not.
 */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== FIELDS.length)
    return `a cron expression has 5 fields (${FIELDS.join(', ')}), got ${fields.length}`;
  const bad = fields.findIndex(
    (f) => !/^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?)*$/.test(f),
  );
  if (bad >= 0)
    return `${FIELDS[bad]} field "${fields[bad]}": use numbers, names, ranges (a-b), lists (a,b) and steps (*/n)`;
  const named = fields.findIndex((f, i) => /[A-Za-z]/.test(f) && i < 3);
  if (named >= 0) return `${FIELDS[named]} field "${fields[named]}": names are allowed only for month and day of week`;
  try {
    CronExpressionParser.parse(expr, { tz: 'UTC' });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export const Cron = z.string().superRefine((expr, ctx) => {
  const problem = cronProblem(expr);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** When a scheduled campaign runs: a 5-field cron expression read in `timezone`. */
export const Schedule = z.strictObject({ cron: Cron, timezone: TimeZone });
export type Schedule = z.infer<typeof Schedule>;

/** The latest scheduled time at or before `now`: the occurrence a run started at `now` belongs to. */
export function latestOccurrence(schedule: Schedule, now: Date): Date {
  const it = CronExpressionParser.parse(schedule.cron, {
    tz: schedule.timezone,
    currentDate: new Date(now.getTime() + 1),
  });
  return it.prev().toDate();
}

/** The first scheduled time strictly after `after`. */
export function nextOccurrence(schedule: Schedule, after: Date): Date {
  const it = CronExpressionParser.parse(schedule.cron, { tz: schedule.timezone, currentDate: after });
  return it.next().toDate();
}
