import type { GeneratedUser } from '../demo/generator.js';
import { profilesCollection } from '../store/collections.js';
import type { Db } from '../store/connection.js';
import { storedProfileOf, type FoldOptions } from './profile-docs.js';

/** Ingest bookkeeping and write times: not part of what a profile says. */
const IGNORED = new Set(['appliedBatches', 'createdAt', 'updatedAt']);

/**
 * JSON with object keys sorted, dates as ISO strings and numbers to 6 decimals: equal documents
 * give equal text. The rounding absorbs the float noise ingest's `$inc` of amounts accumulates
 * across batches (109114.95999999999 for 109114.96), which a single fold does not.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (k, v: unknown) => {
    if (IGNORED.has(k)) return undefined;
    if (typeof v === 'number' && !Number.isInteger(v)) return Number(v.toFixed(6));
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** How many stored profiles of `users` equal the documents folded straight from the model. */
export async function profilesEqual(
  db: Db,
  users: readonly GeneratedUser[],
  fold: FoldOptions,
): Promise<{ equal: number; of: number; firstDifference?: string }> {
  const stored = new Map(
    (
      await profilesCollection(db)
        .find({ _id: { $in: users.map((u) => u.userId) } })
        .toArray()
    ).map((p) => [p._id, p]),
  );
  let equal = 0;
  let firstDifference: string | undefined;
  for (const u of users) {
    const a = canonical(stored.get(u.userId) ?? null);
    const b = canonical(storedProfileOf(u, fold));
    if (a === b) equal += 1;
    else firstDifference ??= `${u.userId}: ingested ${a.slice(0, 300)} … folded ${b.slice(0, 300)}`;
  }
  return { equal, of: users.length, ...(firstDifference ? { firstDifference } : {}) };
}
