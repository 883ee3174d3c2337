import { Instant } from '../domain/event.js';
import { formatInstant } from '../domain/time-format.js';

/**
 * An occurrence's label as people read it, in `tz`: a scheduled slot `2026-11-20T02:00:00.000Z`
 * reads `scheduled 2026-11-20 10:00 +08:00`, a manual `run-<instant>` reads `run 2026-11-20 …`;
 * other labels (`triggered 2026-11-20`, a day in the zone already) are kept.
 */
export function occurrenceLabel(label: string, tz: string): string {
  const manual = /^run-(.+)$/.exec(label);
  const at = Instant.safeParse(manual ? manual[1] : label);
  if (!at.success) return label;
  return `${manual ? 'run' : 'scheduled'} ${formatInstant(at.data, tz)}`;
}
