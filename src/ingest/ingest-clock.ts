import type { Event } from '../domain/event.js';
import { ValidationError, type Issue } from '../errors.js';
import type { Locate } from './parse-events.js';

/** How far ahead of the ingest clock an event may be dated (TIDEFLOW_MAX_CLOCK_SKEW_MS). @defaultValue 5 minutes */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

const UNITS: readonly [string, number][] = [
  ['year', 365 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** A duration in its largest whole unit, e.g. `3 years`, `40 minutes`. */
export function roughDuration(ms: number): string {
  for (const [unit, size] of UNITS) {
    const n = Math.floor(ms / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? '' : 's'}`;
  }
  return `${ms} ms`;
}

/**
 * One issue per event dated more than `maxSkewMs` after `now` (the ingest's clock): such a date is
 * a sender's clock or offset gone wrong, and it would fill day buckets nothing reads until then.
 */
export function futureEventIssues(events: readonly Event[], now: Date, maxSkewMs: number, at: Locate): Issue[] {
  const issues: Issue[] = [];
  events.forEach((e, i) => {
    const ahead = e.ts.getTime() - now.getTime();
    if (ahead <= maxSkewMs) return;
    issues.push({
      path: at(i, ['ts']),
      message:
        `${e.ts.toISOString()} is ${roughDuration(ahead)} ahead of the server's clock (${now.toISOString()}); ` +
        `events more than ${roughDuration(maxSkewMs)} ahead are refused (TIDEFLOW_MAX_CLOCK_SKEW_MS)`,
      hint: "check the sender's clock and the timestamp's zone offset",
    });
  });
  return issues;
}

/** The events, unless one is dated too far ahead: then a ValidationError rejecting the batch whole. */
export function refuseFutureEvents(events: Event[], now: Date, maxSkewMs: number, at: Locate): Event[] {
  const issues = futureEventIssues(events, now, maxSkewMs, at);
  if (issues.length > 0)
    throw new ValidationError(
      `${issues.length} of ${events.length} events are dated in the future; nothing was stored`,
      issues,
    );
  return events;
}
