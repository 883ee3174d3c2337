import { Instant } from '../domain/event.js';
import { ValidationError } from '../errors.js';

/** `--now ISO` of the segment commands: undefined when absent (the clock decides). */
export function parseNowArg(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = Instant.safeParse(value);
  if (!parsed.success)
    throw new ValidationError('invalid arguments', [
      { path: '--now', message: 'an ISO-8601 instant with offset, e.g. 2026-11-20T10:00:00+08:00' },
    ]);
  return parsed.data;
}
