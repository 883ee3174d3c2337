/**
 * The one way Tideflow shows an instant to people: in the platform's time zone (`TIDEFLOW_TZ`)
 * with its offset, so a reader in Shanghai sees wall-clock time and nobody has to guess the zone.
 * Number formatting lives elsewhere (report/html-format.ts); this file is only about time.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(tz, f);
  }
  return f;
}

interface ZonedParts {
  date: string;
  hm: string;
  ss: string;
  offset: string;
}

function zonedParts(at: Date, tz: string): ZonedParts {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(at)) p[part.type] = part.value;
  // `longOffset` reads `GMT+08:00`, or plain `GMT` for UTC itself.
  const offset = (p.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hm: `${p.hour}:${p.minute}`,
    ss: p.second ?? '00',
    offset,
  };
}

function toDate(at: Date | string): Date {
  return typeof at === 'string' ? new Date(at) : at;
}

/**
 * `2026-11-21 10:00 +08:00`: the instant in `tz`, to the minute, with seconds only when they are
 * not zero (`2026-12-04 23:59:07 +08:00`). For text: the CLI, reports and the HTML.
 */
export function formatInstant(at: Date | string, tz: string): string {
  const p = zonedParts(toDate(at), tz);
  return `${p.date} ${p.hm}${p.ss === '00' ? '' : `:${p.ss}`} ${p.offset}`;
}

/** `2026-11-21T10:00:00+08:00`: ISO 8601 in `tz` with its offset, for JSON and for `--now` hints. */
export function isoInZone(at: Date | string, tz: string): string {
  const p = zonedParts(toDate(at), tz);
  return `${p.date}T${p.hm}:${p.ss}${p.offset}`;
}

/** Every UTC ISO instant in `text` (as the ledger and the gates write them) shown in `tz` instead. */
export function localizeInstants(text: string, tz: string): string {
  return text.replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, (iso) => formatInstant(iso, tz));
}
