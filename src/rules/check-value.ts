import { assertNever, type Issue } from '../errors.js';
import { didYouMean } from './closest-name.js';
import { childPath } from './condition.js';
import type { FactDefinition, ValueType } from './fact-types.js';
import type { OperatorDefinition } from './operators.js';

/** The leaf's `value` in words, e.g. `a number`, `one of bond, stock…`. */
export function describeType(t: ValueType): string {
  const base =
    t.kind === 'boolean'
      ? 'true or false'
      : t.kind === 'number'
        ? 'a number'
        : t.kind === 'strings'
          ? 'a string'
          : t.kind === 'attribute'
            ? 'a string, number, boolean or null'
            : t.values
              ? `one of ${t.values.map((v) => `"${v}"`).join(', ')}`
              : 'a string';
  return t.nullable ? `${base} or null` : base;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A problem with one value of the fact's type, or undefined when it fits. */
function mismatch(v: unknown, t: ValueType, path: string): Issue | undefined {
  if (v === null && (t.nullable || t.kind === 'attribute')) return undefined;
  const fits =
    t.kind === 'boolean'
      ? typeof v === 'boolean'
      : t.kind === 'number'
        ? isFiniteNumber(v)
        : t.kind === 'attribute'
          ? ['string', 'boolean'].includes(typeof v) || isFiniteNumber(v)
          : typeof v === 'string' && (!t.values || t.values.includes(v));
  if (fits) return undefined;
  const hint = typeof v === 'string' && t.values ? didYouMean(v, t.values) : undefined;
  return { path, message: `value must be ${describeType(t)}, got ${JSON.stringify(v)}`, ...(hint ? { hint } : {}) };
}

/** Checks a leaf's `value` against what its operator and fact expect. */
export function checkValue(value: unknown, operator: OperatorDefinition, fact: FactDefinition, path: string): Issue[] {
  const t = fact.type;
  switch (operator.operand) {
    case 'scalar': {
      const issue = mismatch(value, t, path);
      return issue ? [issue] : [];
    }
    case 'number':
      return isFiniteNumber(value)
        ? []
        : [
            {
              path,
              message: `${operator.name} compares numbers: value must be a number, got ${JSON.stringify(value)}`,
            },
          ];
    case 'list': {
      if (!Array.isArray(value))
        return [{ path, message: `${operator.name} takes a list: value must be an array of ${describeType(t)}` }];
      return value.flatMap((v, i) => mismatch(v, t, childPath(path, i)) ?? []);
    }
    case 'element':
      return typeof value === 'string'
        ? []
        : [{ path, message: `${operator.name} looks for one string in ${fact.name}: value must be a string` }];
    default:
      return assertNever(operator.operand);
  }
}
