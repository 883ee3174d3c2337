import { addDays, dayWindow } from '../domain/day.js';
import type { MetricClock } from '../domain/windowed-metrics.js';
import type { Filter, LeafView } from './fact-types.js';

/**
 * Building blocks of the prefilter. Each returns a MongoDB filter matched by EVERY profile whose
 * fact passes the leaf (a superset), or undefined when no useful filter exists. Whether a fact's
 * default or "empty" value passes is asked of the operator itself, so the filter follows the exact
 * operator semantics rather than a re-statement of them.
 */

/** Matches no profile: the leaf can never pass. */
export const NOTHING: Filter = { _id: { $in: [] } };

type Scalar = string | number | boolean | null;

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function isScalarList(v: unknown): v is Scalar[] {
  return Array.isArray(v) && v.every(isScalar);
}

/**
 * A fact that is exactly `true` or `false`: the filter for the values that pass. `whenTrue` /
 * `whenFalse` select (a superset of) the profiles with that value; undefined means "no filter".
 */
export function flagPushdown(whenTrue: Filter | undefined, whenFalse: Filter | undefined) {
  return ({ operator, value }: LeafView): Filter | undefined => {
    const t = operator.evaluate(true, value);
    const f = operator.evaluate(false, value);
    if (t && f) return undefined;
    if (t) return whenTrue;
    if (f) return whenFalse;
    return NOTHING;
  };
}

/** The condition on a stored scalar that mirrors the operator, or undefined when none is safe. */
function storedCondition(operator: string, value: unknown): Filter | undefined {
  switch (operator) {
    case 'equal':
      return isScalar(value) ? { $eq: value } : undefined;
    case 'notEqual':
      return isScalar(value) && value !== null ? { $ne: value } : undefined;
    case 'in':
      return isScalarList(value) ? { $in: value } : undefined;
    case 'notIn':
      return isScalarList(value) && !value.includes(null) ? { $nin: value } : undefined;
    case 'contains':
      return isScalar(value) ? { $eq: value } : undefined;
    case 'doesNotContain':
      return isScalar(value) && value !== null ? { $ne: value } : undefined;
    case 'lessThan':
      return typeof value === 'number' && Number.isFinite(value) ? { $lt: value } : undefined;
    case 'lessThanInclusive':
      return typeof value === 'number' && Number.isFinite(value) ? { $lte: value } : undefined;
    case 'greaterThan':
      return typeof value === 'number' && Number.isFinite(value) ? { $gt: value } : undefined;
    case 'greaterThanInclusive':
      return typeof value === 'number' && Number.isFinite(value) ? { $gte: value } : undefined;
    default:
      return undefined;
  }
}

const NUMERIC = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/**
 * A fact read from one stored field of a single type (numbers, or strings, or string arrays), whose
 * value is `missing` when the field is absent or null.
 */
export function fieldPushdown(field: string, missing: unknown) {
  return ({ operator, value }: LeafView): Filter | undefined => {
    const cond = storedCondition(operator.name, value);
    if (!cond) return undefined;
    if (!operator.evaluate(missing, value)) return { [field]: cond };
    return { $or: [{ [field]: cond }, { [field]: null }] };
  };
}

/**
 * A profile attribute: any scalar, or undefined when absent. Numeric operators also pass numeric
 * strings ("10" > 5), so those keep every string value as a candidate.
 */
export function attributePushdown({ operator, value, path }: LeafView): Filter | undefined {
  if (!path || path.length !== 1) return undefined;
  const field = `attributes.${path[0] ?? ''}`;
  const cond = storedCondition(operator.name, value);
  if (!cond) return undefined;
  if (NUMERIC.has(operator.name)) return { $or: [{ [field]: cond }, { [field]: { $type: 'string' } }] };
  if (operator.evaluate(undefined, value)) return undefined;
  return { [field]: cond };
}

/** The day keys of a window ending on `now`'s day, newest first. */
export function windowDays(days: number, clock: MetricClock): string[] {
  const { last } = dayWindow(clock.now, days, clock.tz);
  return Array.from({ length: days }, (_, i) => addDays(last, -i));
}

/**
 * Profiles with an event of one of `types` dated in the window: ingest keeps `lastAt[type]` as the
 * latest event time of each type (`$max`), so such an event leaves `lastAt[type]` at or after the
 * window's first midnight, which is no earlier than 14 hours before that day's UTC midnight in any
 * time zone.
 */
export function eventInWindow(types: readonly string[], days: number, clock: MetricClock): Filter {
  if (types.length === 0) return NOTHING;
  const { first } = dayWindow(clock.now, days, clock.tz);
  const since = new Date(Date.parse(`${first}T00:00:00Z`) - 14 * 3_600_000);
  const clauses = types.map((t) => ({ [`lastAt.${t}`]: { $gte: since } }));
  return clauses.length === 1 ? (clauses[0] as Filter) : { $or: clauses };
}

/**
 * A windowed metric whose value is `zero` unless the window holds an event of one of `types`: when
 * `zero` fails the leaf, a passing profile had such an event in the window.
 */
export function windowPushdown(
  zero: unknown,
  days: number,
  types: readonly string[],
  clock: MetricClock,
  leaf: LeafView,
): Filter | undefined {
  if (leaf.operator.evaluate(zero, leaf.value)) return undefined;
  return eventInWindow(types, days, clock);
}
