import { z } from 'zod';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Longer windows would leave a channel usable only a few hours a day; the cap also keeps every postponement under 24 hours, DST included. */
const MAX_WINDOW_MINUTES = 16 * 60;

/** A wall-clock time `HH:MM` on the 24-hour clock. */
export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a time is HH:MM on the 24-hour clock (e.g. "21:00")' });
export type LocalTime = z.infer<typeof LocalTime>;

/**
 * Hours in which a channel must not reach a user, in the user's time zone: from `start` (included)
 * to `end` (excluded), crossing midnight when `start` is later than `end` (21:00–08:00).
 */
export const QuietHours = z.strictObject({ start: LocalTime, end: LocalTime }).superRefine((w, ctx) => {
  const length = windowMinutes(w);
  if (length === 0)
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'an empty window: use null to turn quiet hours off' });
  if (length > MAX_WINDOW_MINUTES)
    ctx.addIssue({ code: 'custom', path: ['end'], message: 'quiet hours last at most 16 hours' });
});
export type QuietHours = z.infer<typeof QuietHours>;

/** The playbook's default: no marketing between 21:00 and 08:00. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

function minutesOf(t: string): number {
  return Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

function windowMinutes(w: QuietHours): number {
  return (minutesOf(w.end) - minutesOf(w.start) + 24 * 60) % (24 * 60);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

function readWallClock(instant: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(instant))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/**
 * Zone offsets by zone and UTC minute. Offsets change only at whole UTC minutes, and a campaign
 * run asks about the same few minutes for every user, so this spares most Intl calls (the cost of
 * a decision). Bounded: cleared when it grows past MAX_CACHED.
 */
const offsets = new Map<string, number>();
const MAX_CACHED = 50_000;

/** The wall-clock reading of `instant` in `tz`, encoded as if that reading were UTC (ms). */
export function wallClockMs(instant: number, tz: string): number {
  const minute = Math.floor(instant / MINUTE_MS) * MINUTE_MS;
  const key = `${tz} ${minute}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    if (offsets.size >= MAX_CACHED) offsets.clear();
    offset = readWallClock(minute, tz) - minute;
    offsets.set(key, offset);
  }
  return instant + offset;
}

function isQuietMinute(minute: number, w: QuietHours): boolean {
  const start = minutesOf(w.start);
  const end = minutesOf(w.end);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Whether `at` falls inside `window` in `tz` (never, when the window is null). */
export function isQuietAt(at: Date, window: QuietHours | null | undefined, tz: string): boolean {
  if (!window) return false;
  const wall = wallClockMs(at.getTime(), tz);
  return isQuietMinute((((wall % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS, window);
}

/**
 * The earliest instant at or after `at` outside quiet hours: `at` itself when it is allowed, else
 * the window's end on the user's wall clock (the next morning when the window crosses midnight).
 * Offsets come from Intl, so days with a DST change are as long as they really are.
 */
export function nextAllowedTime(at: Date, window: QuietHours | null | undefined, tz: string): Date {
  if (!window || !isQuietAt(at, window, tz)) return at;
  const wall = wallClockMs(at.getTime(), tz);
  const sinceMidnight = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  const midnight = wall - sinceMidnight;
  const afterStart = sinceMidnight / MINUTE_MS >= minutesOf(window.start);
  const day = minutesOf(window.start) > minutesOf(window.end) && afterStart ? midnight + DAY_MS : midnight;
  return new Date(firstInstantAtWall(day + minutesOf(window.end) * MINUTE_MS, at.getTime(), tz));
}

/**
 * The latest minute at or before `at` outside quiet hours, on a whole minute: `at` itself when it
 * is allowed, else the last minute before the window began (the evening before, for a window that
 * crosses midnight). Steps back minute by minute: a window is at most 16 hours.
 */
export function lastAllowedTime(at: Date, window: QuietHours | null | undefined, tz: string): Date {
  if (!window || !isQuietAt(at, window, tz)) return at;
  let t = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
  while (isQuietAt(new Date(t), window, tz)) t -= MINUTE_MS;
  return new Date(t);
}

/**
 * The earliest instant not before `notBefore` whose wall clock in `tz` reads `target`; when the
 * clocks jump over `target` (spring forward), the first instant after the jump.
 */
function firstInstantAtWall(target: number, notBefore: number, tz: string): number {
  // The offsets a day either side bracket any transition near the target.
  const offsetBefore = wallClockMs(target - DAY_MS, tz) - (target - DAY_MS);
  const offsetAfter = wallClockMs(target + DAY_MS, tz) - (target + DAY_MS);
  const a = target - offsetBefore;
  const b = target - offsetAfter;
  const exact = [a, b].filter((t) => t >= notBefore && wallClockMs(t, tz) === target);
  if (exact.length > 0) return Math.min(...exact);
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClockMs(mid, tz) >= target) hi = mid;
    else lo = mid;
  }
  return Math.max(hi, notBefore);
}
