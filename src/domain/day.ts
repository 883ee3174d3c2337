/**
 * Calendar days in a time zone, as ISO keys `YYYY-MM-DD`. Keys sort as strings in time order,
 * which lets buckets be kept as an object keyed by day.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/**
 * Recent answers per time zone: a segment sweep asks for the day of the same `now` millions of
 * times, and formatting costs microseconds. Bounded: cleared when full.
 */
const recentDays = new Map<string, Map<number, string>>();
const RECENT_MAX = 256;

function memoFor<K, V>(outer: Map<string, Map<K, V>>, tz: string): Map<K, V> {
  let m = outer.get(tz);
  if (!m) {
    m = new Map();
    outer.set(tz, m);
  }
  if (m.size >= RECENT_MAX) m.clear();
  return m;
}

/** The calendar day of `instant` in `tz`. */
export function dayKey(instant: Date, tz: string): string {
  const at = instant.getTime();
  const memo = memoFor(recentDays, tz);
  let key = memo.get(at);
  if (key === undefined) {
    key = formatter(tz).format(instant);
    memo.set(at, key);
  }
  return key;
}

/** `key` shifted by `n` days (negative for earlier). */
export function addDays(key: string, n: number): string {
  const d = new Date(`${key}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A window of N days: the N calendar days ending with the day of `now` in `tz`, both ends included. */
export interface DayWindow {
  first: string;
  last: string;
}

const recentWindows = new Map<string, Map<number, { at: number; w: DayWindow }>>();

export function dayWindow(now: Date, days: number, tz: string): DayWindow {
  const at = now.getTime();
  const memo = memoFor(recentWindows, tz);
  const hit = memo.get(days);
  if (hit && hit.at === at) return hit.w;
  const last = dayKey(now, tz);
  const w = Object.freeze({ first: addDays(last, -(days - 1)), last });
  memo.set(days, { at, w });
  return w;
}

export function inWindow(key: string, w: DayWindow): boolean {
  return key >= w.first && key <= w.last;
}
