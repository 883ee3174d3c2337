import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { Id } from '../domain/event.js';
import { ValidationError, jsonPath, type Issue } from '../errors.js';

/**
 * The first wall against operator-query injection: every request's path, query string and body is
 * checked before any router sees it, so `{"$ne": …}`, `?status[$gt]=`, `/v1/segments/$where` or a
 * `__proto__` key never reaches a store (mongoose's `sanitizeFilter` is the second wall for the
 * queries that go through models, see src/store/models).
 */

/** Keys that would be read as MongoDB operators or walk an object's prototype chain. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** How deep a JSON body may nest; every accepted body is far shallower. */
export const MAX_BODY_DEPTH = 32;

/** Why `key` may not appear in a request, or undefined when it may. */
export function hostileKey(key: string): string | undefined {
  // A query key such as `status[$ne]` or `a.$gt` carries the operator in a later segment.
  const segments = key.split(/[[\].]/).filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('$'))) return 'keys starting with "$" are not accepted';
  if (segments.some((s) => PROTOTYPE_KEYS.has(s)))
    return '"__proto__", "constructor" and "prototype" are not accepted as keys';
  return undefined;
}

/** Hostile keys anywhere in a parsed body, and nesting deeper than MAX_BODY_DEPTH, as issues. */
export function bodyIssues(body: unknown): Issue[] {
  const issues: Issue[] = [];
  // Iterative: a body nested thousands deep must not overflow the stack.
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  while (stack.length > 0 && issues.length < 20) {
    const { value, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_BODY_DEPTH) {
      issues.push({ path: jsonPath(path, 'body'), message: `nested deeper than ${MAX_BODY_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
      continue;
    }
    for (const [key, v] of Object.entries(value)) {
      const why = hostileKey(key);
      if (why) issues.push({ path: jsonPath([...path, key], 'body'), message: why });
      else stack.push({ value: v, path: [...path, key] });
    }
  }
  return issues;
}

/** Query parameters: each a single plain string under a harmless key. */
export function queryIssues(query: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(query)) {
    const why = hostileKey(key);
    if (why) issues.push({ path: `query.${key}`, message: why });
    else if (/[[\]]/.test(key))
      issues.push({ path: `query.${key}`, message: 'nested parameters (name[key]) are not accepted' });
    else if (typeof value !== 'string')
      issues.push({ path: `query.${key}`, message: 'expected one plain value (given more than once or nested)' });
  }
  return issues;
}

/** Path segments: none may be an operator or a prototype key once decoded. */
export function pathIssues(path: string): Issue[] {
  const issues: Issue[] = [];
  for (const raw of path.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      issues.push({ path: 'path', message: `"${raw.slice(0, 40)}" is not valid percent-encoding` });
      continue;
    }
    if (segment.startsWith('$') || PROTOTYPE_KEYS.has(segment)) {
      issues.push({
        path: 'path',
        message: `"${segment.slice(0, 40)}" is not accepted in a path (no "$" prefix or prototype keys)`,
      });
    }
  }
  return issues;
}

function reject(issues: Issue[]): ValidationError {
  return new ValidationError('request rejected: operator or prototype keys, repeated or nested parameters', issues);
}

/** Checks the path and the query string of every request (400 on any issue); bodies: `guardedBody`. */
export const guardRequest: RequestHandler = (req, _res, next) => {
  const issues = [...pathIssues(req.path), ...queryIssues(req.query as Record<string, unknown>)];
  next(issues.length > 0 ? reject(issues) : undefined);
};

/** A body parser (the app's JSON parser, a route's form parser) followed by the body check. */
export function guardedBody<H extends RequestHandler | ((...args: never[]) => void)>(parser: H): H {
  const run = parser as RequestHandler;
  const guarded: RequestHandler = (req, res, next) => {
    void run(req, res, (err?: unknown) => {
      if (err) return next(err);
      const issues = bodyIssues(req.body);
      next(issues.length > 0 ? reject(issues) : undefined);
    });
  };
  // Typed as the parser it wraps, so routes keep inferring their parameters from the path.
  return guarded as H;
}

/**
 * Parses `value` with `schema`; otherwise a ValidationError naming `what`, with each issue's JSON
 * path after `prefix` (e.g. `query` gives `query.limit`).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix = ''): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ValidationError(
      `invalid ${what}`,
      r.error.issues.map((i) => ({ path: jsonPath(i.path, prefix), message: i.message })),
    );
  return r.data;
}

/** A path parameter that names something (user, segment, campaign): an `Id`, else 400 at `name`. */
export function idParam(req: Request, name: string): string {
  return parseInput(Id, req.params[name], `${name} (path)`, name);
}

/**
 * An integer query parameter from `min` to `max`, `def` when absent: digits only, so an empty
 * `?offset=`, ` 5`, `1e3` or `0x10` is a 400 instead of being coerced to some number.
 */
export function queryInt(min: number, max: number, def: number) {
  const digits = (v: unknown): unknown =>
    v === undefined || (typeof v === 'string' && /^\d{1,12}$/.test(v)) ? v : Number.NaN;
  return z.preprocess(digits, z.coerce.number().int().min(min).max(max)).default(def);
}
