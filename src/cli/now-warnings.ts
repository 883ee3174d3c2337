import { nowWarnings } from '../domain/now-check.js';
import type { Tideflow } from '../main.js';
import type { Io } from './command.js';

/** The longest `params.days` in rule conditions, at least the scoring's default windows. */
export function longestWindow(tf: Pick<Tideflow, 'scoring'>, conditions: readonly unknown[]): number {
  let longest = Math.max(tf.scoring.intent.windowDays, tf.scoring.preference.windowDays);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const days = (v as { params?: { days?: unknown } }).params?.days;
    if (typeof days === 'number') longest = Math.max(longest, days);
    Object.values(v).forEach(walk);
  };
  walk(conditions);
  return longest;
}

/**
 * Prints on stderr what is off about the instant a command evaluates at (domain/now-check.ts):
 * the newest event far from it, a window reaching past the buckets kept. Output stays as it was.
 */
export async function warnAboutNow(
  tf: Pick<Tideflow, 'ingestMarker' | 'scoring' | 'config' | 'clock'>,
  now: Date | undefined,
  io: Io,
  conditions: readonly unknown[],
): Promise<void> {
  const marker = await tf.ingestMarker();
  const warnings = nowWarnings({
    now: now ?? tf.clock(),
    explicitNow: now !== undefined,
    newestEvent: marker?.newestEvent,
    lastIngestAt: marker?.lastIngestAt,
    retentionDays: tf.scoring.retentionDays,
    windowDays: longestWindow(tf, conditions),
    tz: tf.config.TIDEFLOW_TZ,
  });
  for (const w of warnings) io.err(`warning: ${w}`);
}
