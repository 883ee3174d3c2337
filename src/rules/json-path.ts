/**
 * The `path` of a rule leaf: only plain member paths `$.a.b` (no filters, wildcards, indexes,
 * expressions or prototype keys), so a path never runs code and maps one-to-one onto a MongoDB
 * field path.
 */

/**
 * One name of a plain path, as a regular expression source (the rules JSON Schema uses it too):
 * an identifier, and never a key that walks the prototype chain.
 */
export const PATH_NAME = '(?!(?:__proto__|constructor|prototype)(?:\\.|$))[A-Za-z_][A-Za-z0-9_]{0,63}';
const PATH = new RegExp(`^\\$(\\.${PATH_NAME})+$`);

/** The property names of a plain path, or undefined when `path` is not one. */
export function pathSegments(path: string): string[] | undefined {
  return PATH.test(path) ? path.slice(2).split('.') : undefined;
}

/**
 * What json-rules-engine's almanac returns for `fact` + `path`: a fact value that is not a
 * non-null object is returned unchanged; otherwise each name is followed while the current value is
 * truthy and owns the property (jsonpath-plus's rule, so `"abc"` owns `length`), else undefined.
 */
export function resolvePath(factValue: unknown, segments: readonly string[]): unknown {
  if (factValue === null || typeof factValue !== 'object') return factValue;
  let cur: unknown = factValue;
  for (const name of segments) {
    if (!cur || !Object.hasOwn(cur, name)) return undefined;
    cur = (cur as Record<string, unknown>)[name];
  }
  return cur;
}
