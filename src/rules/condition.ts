import { z } from 'zod';

/**
 * A segment's conditions: json-rules-engine's condition tree, unchanged, so a validated tree can
 * be handed to the engine as it is.
 */
export interface Leaf {
  fact: string;
  operator: string;
  value: unknown;
  params?: Record<string, unknown>;
  path?: string;
  /** A label shown in explanations. */
  name?: string;
}

export type Condition =
  { all: Condition[]; name?: string } | { any: Condition[]; name?: string } | { not: Condition; name?: string } | Leaf;

export function isLeaf(c: Condition): c is Leaf {
  return 'fact' in c;
}

/** Segment ids: lowercase letters, digits and dashes, as in file names. */
export const SegmentId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
  message: 'segment ids are 1–64 lowercase letters, digits and dashes, starting with a letter or digit',
});

/** A segment file's envelope; `conditions` is checked against the fact catalog separately. */
export const SegmentFile = z.strictObject({
  id: SegmentId,
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  conditions: z.unknown(),
  /** The file's JSON Schema, for editors (e.g. "../schema/segment.schema.json"). */
  $schema: z.string().optional(),
});

/** A validated segment: one file of rules/segments. */
export interface Segment {
  id: string;
  name: string;
  description?: string;
  conditions: Condition;
}

/** The JSON path of a child: `conditions` + `.all` → `conditions.all`, + 2 → `conditions.all[2]`. */
export function childPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}
