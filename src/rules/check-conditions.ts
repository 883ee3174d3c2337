import type { Issue } from '../errors.js';
import { didYouMean } from './closest-name.js';
import { childPath } from './condition.js';
import { FACT_NAMES, findFact } from './fact-catalog.js';
import { PARAM_KINDS, type CheckContext } from './fact-params.js';
import type { FactDefinition } from './fact-types.js';
import { pathSegments } from './json-path.js';
import { findOperator, OPERATOR_NAMES } from './operators.js';
import { checkValue } from './check-value.js';

/**
 * Checks a condition tree against the fact catalog and operator table: structure, unknown names
 * (with the closest known name as a hint), params, paths and value types. Every problem is an
 * issue with its JSON path; an empty list means the tree is safe to evaluate.
 */
export function checkConditions(raw: unknown, path: string, ctx: CheckContext): Issue[] {
  const issues: Issue[] = [];
  if (isObject(raw) && 'fact' in raw) {
    issues.push({
      path,
      message: 'the root of conditions is "all", "any" or "not" (json-rules-engine): wrap the leaf in { "all": [...] }',
    });
  }
  checkNode(raw, path, ctx, issues, 0);
  return issues;
}

const MAX_DEPTH = 24;
const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const LEAF_KEYS = ['fact', 'operator', 'value', 'params', 'path', 'name'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkNode(raw: unknown, path: string, ctx: CheckContext, issues: Issue[], depth: number): void {
  if (!isObject(raw)) {
    issues.push({
      path,
      message:
        'a condition is an object: { "all": [...] }, { "any": [...] }, { "not": {...} } or a leaf { "fact", "operator", "value" }',
    });
    return;
  }
  if (depth > MAX_DEPTH) {
    issues.push({ path, message: `conditions nest deeper than ${MAX_DEPTH} levels` });
    return;
  }
  if ('condition' in raw) {
    issues.push({
      path: childPath(path, 'condition'),
      message:
        'condition references are not supported: use { "fact": "inSegment", "params": { "segment": "<id>" }, "operator": "equal", "value": true }',
    });
    return;
  }
  const bools = BOOLEAN_KEYS.filter((k) => k in raw);
  if (bools.length > 1 || (bools.length === 1 && 'fact' in raw)) {
    issues.push({
      path,
      message: `a condition has exactly one of "all", "any", "not" or "fact" (found ${[...bools, ...('fact' in raw ? ['fact'] : [])].join(', ')})`,
    });
    return;
  }
  const op = bools[0];
  if (op === undefined) return checkLeaf(raw, path, ctx, issues);
  unknownKeys(raw, [op, 'name'], path, issues);
  checkName(raw, path, issues);
  const children = raw[op];
  if (op === 'not') {
    if (Array.isArray(children))
      issues.push({ path: childPath(path, 'not'), message: '"not" takes one condition, not a list' });
    else checkNode(children, childPath(path, 'not'), ctx, issues, depth + 1);
    return;
  }
  if (!Array.isArray(children)) {
    issues.push({ path: childPath(path, op), message: `"${op}" takes a list of conditions` });
    return;
  }
  if (op === 'any' && children.length === 0) {
    issues.push({
      path: childPath(path, op),
      message: 'an empty "any" passes for every profile (json-rules-engine semantics): add conditions or remove it',
    });
  }
  children.forEach((c, i) => checkNode(c, childPath(childPath(path, op), i), ctx, issues, depth + 1));
}

function unknownKeys(raw: Record<string, unknown>, allowed: readonly string[], path: string, issues: Issue[]): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      issues.push({
        path: childPath(path, key),
        message: `unknown key "${key}" (allowed: ${allowed.join(', ')})`,
        hint: didYouMean(key, allowed),
      });
    }
  }
}

function checkName(raw: Record<string, unknown>, path: string, issues: Issue[]): void {
  if ('name' in raw && (typeof raw.name !== 'string' || raw.name.length === 0 || raw.name.length > 200)) {
    issues.push({ path: childPath(path, 'name'), message: 'name must be a string of 1–200 characters' });
  }
}

function checkLeaf(raw: Record<string, unknown>, path: string, ctx: CheckContext, issues: Issue[]): void {
  unknownKeys(raw, LEAF_KEYS, path, issues);
  checkName(raw, path, issues);
  for (const key of ['fact', 'operator', 'value']) {
    if (!(key in raw)) issues.push({ path, message: `a leaf needs "${key}"` });
  }
  const fact = lookup(raw.fact, childPath(path, 'fact'), 'fact', FACT_NAMES, findFact, issues);
  const operator = lookup(raw.operator, childPath(path, 'operator'), 'operator', OPERATOR_NAMES, findOperator, issues);
  if (!fact) return;
  checkParams(raw.params, fact, childPath(path, 'params'), ctx, issues);
  checkLeafPath(raw.path, fact, childPath(path, 'path'), issues);
  if (!operator) return;
  if (!operator.factKinds.includes(fact.type.kind)) {
    issues.push({
      path: childPath(path, 'operator'),
      message: `operator "${operator.name}" does not apply to ${fact.name} (${fact.type.kind}); use one of: ${applicable(fact).join(', ')}`,
    });
    return;
  }
  if ('value' in raw) issues.push(...checkValue(raw.value, operator, fact, childPath(path, 'value')));
}

function applicable(fact: FactDefinition): string[] {
  return OPERATOR_NAMES.filter((n) => findOperator(n)?.factKinds.includes(fact.type.kind));
}

function lookup<T>(
  name: unknown,
  path: string,
  what: string,
  known: readonly string[],
  find: (n: string) => T | undefined,
  issues: Issue[],
): T | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string') {
    issues.push({ path, message: `${what} must be a string` });
    return undefined;
  }
  const found = find(name);
  if (!found) issues.push({ path, message: `unknown ${what} "${name}"`, hint: didYouMean(name, known) });
  return found;
}

function checkParams(raw: unknown, fact: FactDefinition, path: string, ctx: CheckContext, issues: Issue[]): void {
  const names = Object.keys(fact.params);
  if (raw !== undefined && !isObject(raw)) {
    issues.push({ path, message: 'params must be an object' });
    return;
  }
  const given = raw ?? {};
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) {
      const allowed = names.length ? `params of ${fact.name}: ${names.join(', ')}` : `${fact.name} takes no params`;
      issues.push({
        path: childPath(path, key),
        message: `unknown param "${key}" (${allowed})`,
        hint: didYouMean(key, names),
      });
    }
  }
  for (const [name, def] of Object.entries(fact.params)) {
    if (!(name in given)) {
      if (!def.default)
        issues.push({ path, message: `${fact.name} needs param "${name}" (${PARAM_KINDS[def.kind].doc})` });
      continue;
    }
    const result = PARAM_KINDS[def.kind].check(given[name], ctx);
    if (!result.ok) issues.push({ path: childPath(path, name), message: result.message, hint: result.hint });
  }
}

function checkLeafPath(raw: unknown, fact: FactDefinition, path: string, issues: Issue[]): void {
  if (fact.pathDepth === undefined) {
    if (raw !== undefined) issues.push({ path, message: `${fact.name} is not an object: it takes no path` });
    return;
  }
  if (raw === undefined) {
    issues.push({ path, message: `${fact.name} needs a path naming the field, e.g. "$.riskTolerance"` });
    return;
  }
  const segments = typeof raw === 'string' ? pathSegments(raw) : undefined;
  if (!segments)
    issues.push({
      path,
      message: 'path must be a plain JSON path "$.name" (letters, digits, _; no filters or wildcards)',
    });
  else if (segments.length > fact.pathDepth)
    issues.push({ path, message: `${fact.name} is ${fact.pathDepth} level deep: use "$.${segments[0] ?? ''}"` });
}
