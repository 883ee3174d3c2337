import { addDays, dayKey } from './day.js';
import { isoInZone, formatInstant } from './time-format.js';

const DAY_MS = 86_400_000;

/** How far the data's newest event may be from `now` before a command says so. @defaultValue 3 days */
export const NEWEST_EVENT_SLACK_DAYS = 3;

export interface NowCheck {
  /** The instant the command evaluates at (`--now`, or the clock). */
  now: Date;
  /** The newest event stored, when known. */
  newestEvent: Date | undefined;
  /** The latest ingest, when known: it kept no day buckets older than `retentionDays` before it. */
  lastIngestAt: Date | undefined;
  retentionDays: number;
  /** The longest metric window the command evaluates. */
  windowDays: number;
  tz: string;
  /**
   * Whether `now` was given (`--now`). Events after the clock itself are the demo's simulated
   * answers (ingest refuses real ones dated ahead), so they warn only against a given `now`.
   * @defaultValue true
   */
  explicitNow?: boolean;
}

/**
 * Warnings about the instant a command evaluates at: the data's newest event far from it (the
 * usual cause of a segment that is empty everywhere), and a window reaching back past the day
 * buckets the latest ingest kept (`retentionDays` before it), which read as empty.
 */
export function nowWarnings(c: NowCheck): string[] {
  const out: string[] = [];
  if (c.newestEvent) {
    const gap = c.now.getTime() - c.newestEvent.getTime();
    const days = Math.floor(Math.abs(gap) / DAY_MS);
    if (days > NEWEST_EVENT_SLACK_DAYS && (gap > 0 || c.explicitNow !== false))
      out.push(
        `newest event ${days} days ${gap > 0 ? 'before' : 'after'} now (${formatInstant(c.newestEvent, c.tz)}): did you mean --now ${isoInZone(c.newestEvent, c.tz)}?`,
      );
  }
  if (!c.lastIngestAt) return out;
  const kept = addDays(dayKey(c.lastIngestAt, c.tz), -(c.retentionDays - 1));
  const first = addDays(dayKey(c.now, c.tz), -(c.windowDays - 1));
  if (first < kept)
    out.push(
      `a ${c.windowDays}-day window at ${formatInstant(c.now, c.tz)} reaches back to ${first}, but day buckets are kept for ${c.retentionDays} days (from ${kept}): the days before read as empty`,
    );
  return out;
}
