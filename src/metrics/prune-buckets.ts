import { oldestRetainedDay } from '../domain/windowed-metrics.js';
import type { Clock } from '../ports/clock.js';
import type { ProfileStore } from '../ports/profile-store.js';

/** What pruning needs. */
export interface PrunePorts {
  profiles: Pick<ProfileStore, 'pruneBuckets'>;
  clock: Clock;
  retentionDays: number;
  /** Platform time zone (TIDEFLOW_TZ). */
  tz: string;
}

/**
 * Removes day buckets older than the retention (rules/scoring.json `retentionDays`, counted back
 * from the clock's day in the platform time zone). Lifecycle and `lastAt` stay. Returns how many
 * profiles changed. Run daily; safe to run at any time and concurrently with ingest.
 */
export async function prune(ports: PrunePorts): Promise<{ profiles: number; oldestKept: string }> {
  const oldestKept = oldestRetainedDay(ports.clock(), ports.retentionDays, ports.tz);
  return { profiles: await ports.profiles.pruneBuckets(oldestKept), oldestKept };
}
