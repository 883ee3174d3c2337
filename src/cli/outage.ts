import { isDatabaseUnreachable } from '../errors.js';
import { maskContact } from '../domain/mask.js';

export interface OutageOptions {
  /** Resolves when the database answers (with its own timeout). */
  ping(): Promise<void>;
  /** Where the two lines of an outage go. */
  log(line: string): void;
  /** Where every other error goes. */
  report(err: unknown): void;
  now(): Date;
  /** First wait between probes, ms; doubles after each failed probe. @defaultValue 500 */
  firstDelayMs?: number;
  /** Longest wait between probes, ms. @defaultValue 5000 */
  maxDelayMs?: number;
}

export interface OutageWatch {
  /** Takes an error of a job or a poll: an unreachable database starts (or is part of) an outage. */
  report(err: unknown): void;
  /** Whether an outage is under way. */
  down(): boolean;
  /** Ends probing (at shutdown). */
  stop(): void;
}

/**
 * Turns a database outage into two log lines instead of one per failed operation: the first
 * "unreachable" error logs when it began and why, later ones are only counted; a probe pings the
 * database with a doubling, bounded delay until it answers, then logs how long it lasted. Nothing
 * else stops or restarts: Agenda keeps polling and jobs are retried, and they succeed once the
 * database is back.
 */
export function watchOutages(o: OutageOptions): OutageWatch {
  let since: Date | undefined;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const first = o.firstDelayMs ?? 500;
  const max = o.maxDelayMs ?? 5000;

  const probe = (delay: number): void => {
    timer = setTimeout(() => {
      o.ping().then(
        () => {
          if (stopped || !since) return;
          const seconds = Math.round((o.now().getTime() - since.getTime()) / 1000);
          o.log(
            `database reachable again after ${seconds} s (unreachable since ${since.toISOString()}; ${failures} failed operation${failures === 1 ? '' : 's'} will be retried)`,
          );
          since = undefined;
          failures = 0;
        },
        () => {
          if (!stopped) probe(Math.min(delay * 2, max));
        },
      );
    }, delay);
    timer.unref();
  };

  return {
    report(err) {
      if (!isDatabaseUnreachable(err)) return o.report(err);
      failures++;
      if (since || stopped) return;
      since = o.now();
      o.log(
        `database unreachable (${maskContact(err instanceof Error ? err.message : String(err))}); waiting for it, checking every ${first / 1000}–${max / 1000} s; work resumes when it answers`,
      );
      probe(first);
    },
    down: () => since !== undefined,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
