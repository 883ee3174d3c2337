import type { z } from 'zod';
import { Event } from '../domain/event.js';
import { ValidationError, jsonPath, type Issue } from '../errors.js';

/** The path of a problem at `path` inside item `i` of a batch. @defaultValue `[i].path` */
export type Locate = (i: number, path: readonly PropertyKey[]) => string;
export const atIndex: Locate = (i, path) => jsonPath(path, `[${i}]`);

/**
 * Parses every item of a batch with `schema`; a batch with any bad item is rejected whole: the
 * ValidationError lists every problem of every item, located as `[index].path` (e.g. `[3].ts`).
 */
export function parseBatch<S extends z.ZodType>(
  schema: S,
  items: readonly unknown[],
  noun: string,
  at: Locate = atIndex,
): z.output<S>[] {
  const values: z.output<S>[] = [];
  const issues: Issue[] = [];
  let bad = 0;
  items.forEach((item, i) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      values.push(parsed.data);
      return;
    }
    bad += 1;
    for (const issue of parsed.error.issues) issues.push({ path: at(i, issue.path), message: issue.message });
  });
  if (bad > 0) throw new ValidationError(`${bad} of ${items.length} ${noun} are invalid; nothing was stored`, issues);
  return values;
}

/** Parses a batch of events (see {@link parseBatch}). */
export function parseEvents(items: readonly unknown[], at: Locate = atIndex): Event[] {
  return parseBatch(Event, items, 'events', at);
}
