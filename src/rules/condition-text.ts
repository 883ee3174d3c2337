import type { Params } from './fact-types.js';

/** A leaf in one line, e.g. `categoryShare(category=bond, days=30) greaterThan 0.4`. */
export function leafText(l: { fact: string; params: Params; path?: string; operator: string; value: unknown }): string {
  const params = Object.entries(l.params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const fact = `${l.fact}${params ? `(${params})` : ''}${l.path ? ` ${l.path}` : ''}`;
  return `${fact} ${l.operator} ${JSON.stringify(l.value)}`;
}

/** A value as an explanation shows it: JSON, and `undefined` for a missing one. */
export function valueText(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}
