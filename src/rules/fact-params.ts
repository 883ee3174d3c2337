import { BUILTIN_EVENT_TYPES, CATEGORIES, CUSTOM_EVENT_TYPE } from '../domain/event.js';
import { CHANNELS } from '../domain/profile.js';
import type { Scoring } from '../domain/intent-scoring.js';
import { closestName, didYouMean } from './closest-name.js';
import type { ParamKind } from './fact-types.js';

/** What checking a rule needs to know beyond the catalog. */
export interface CheckContext {
  scoring: Scoring;
  /** Ids of the segments a rule may reference (`inSegment`). */
  segmentIds: ReadonlySet<string>;
  /**
   * Segments whose file is there but did not load (id → file): a reference to one is reported as
   * such, not as a segment that does not exist.
   */
  failedSegments?: ReadonlyMap<string, string>;
}

export type ParamCheck = { ok: true; value: string | number } | { ok: false; message: string; hint?: string };

interface ParamKindDefinition {
  /** The param's values in words, for docs/rules.md. */
  doc: string;
  /** A JSON Schema for the value (editor completion), given the scoring in force. */
  jsonSchema(scoring: Scoring): Record<string, unknown>;
  check(value: unknown, ctx: CheckContext): ParamCheck;
}

function enumCheck(what: string, known: readonly string[]) {
  return (value: unknown): ParamCheck => {
    if (typeof value !== 'string')
      return { ok: false, message: `${what} must be a string, one of ${known.join(', ')}` };
    if (known.includes(value)) return { ok: true, value };
    return {
      ok: false,
      message: `unknown ${what} "${value}" (known: ${known.join(', ')})`,
      hint: didYouMean(value, known),
    };
  };
}

/**
 * Event types: any snake_case type is accepted (custom events count too), except one that is a
 * near miss of a built-in type, which is almost always a typo that would silently count nothing.
 */
function checkEventType(value: unknown): ParamCheck {
  if (typeof value !== 'string' || !CUSTOM_EVENT_TYPE.test(value)) {
    return { ok: false, message: 'event type must be a snake_case string (e.g. "click_submit")' };
  }
  if ((BUILTIN_EVENT_TYPES as readonly string[]).includes(value)) return { ok: true, value };
  const near = closestName(value, BUILTIN_EVENT_TYPES);
  if (near !== undefined)
    return { ok: false, message: `unknown event type "${value}"`, hint: `did you mean "${near}"?` };
  return { ok: true, value };
}

export const PARAM_KINDS: Readonly<Record<ParamKind, ParamKindDefinition>> = {
  days: {
    doc: 'integer number of days, 1 to scoring `retentionDays`',
    jsonSchema: (s) => ({ type: 'integer', minimum: 1, maximum: s.retentionDays }),
    check: (value, ctx) => {
      const max = ctx.scoring.retentionDays;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max)
        return { ok: true, value };
      return { ok: false, message: `days must be an integer from 1 to ${max} (retentionDays in scoring.json)` };
    },
  },
  category: {
    doc: CATEGORIES.join(' | '),
    jsonSchema: () => ({ enum: [...CATEGORIES] }),
    check: enumCheck('category', CATEGORIES),
  },
  eventType: {
    doc: `event type: ${BUILTIN_EVENT_TYPES.join(', ')} or a custom snake_case type`,
    jsonSchema: () => ({
      anyOf: [{ enum: [...BUILTIN_EVENT_TYPES] }, { type: 'string', pattern: CUSTOM_EVENT_TYPE.source }],
    }),
    check: checkEventType,
  },
  channel: {
    doc: CHANNELS.join(' | '),
    jsonSchema: () => ({ enum: [...CHANNELS] }),
    check: enumCheck('channel', CHANNELS),
  },
  segment: {
    doc: 'id of another segment in rules/segments',
    jsonSchema: () => ({ type: 'string' }),
    check: (value, ctx) => {
      if (typeof value !== 'string') return { ok: false, message: 'segment must be a segment id (string)' };
      if (ctx.segmentIds.has(value)) return { ok: true, value };
      const failed = ctx.failedSegments?.get(value);
      if (failed !== undefined)
        return { ok: false, message: `segment "${value}" failed to load (see the errors of ${failed})` };
      return {
        ok: false,
        message: `segment "${value}" is referenced but does not exist`,
        hint: didYouMean(value, ctx.segmentIds),
      };
    },
  },
};

/** A leaf's params with defaults filled in from scoring (the catalog says which params have defaults). */
export function resolveParams(
  fact: { params: Readonly<Record<string, { default?: (s: Scoring) => number | string }>> },
  given: Record<string, unknown> | undefined,
  scoring: Scoring,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, def] of Object.entries(fact.params)) {
    const v = given?.[name] ?? def.default?.(scoring);
    if (typeof v === 'string' || typeof v === 'number') out[name] = v;
  }
  return out;
}
