import { Engine } from 'json-rules-engine';
import type { Profile } from '../domain/profile.js';
import type { Scoring } from '../domain/intent-scoring.js';
import { childPath, isLeaf, type Segment } from './condition.js';
import { FACTS } from './fact-catalog.js';
import { pathSegments, resolvePath } from './json-path.js';
import { resolveParams } from './fact-params.js';
import type { FactContext, Params } from './fact-types.js';

/**
 * json-rules-engine, which defines what a rule means: it decides single users (explanations,
 * event-time checks) and is the reference the compiled evaluator is tested against.
 */

/** One leaf as the engine evaluated it. */
export interface LeafOutcome {
  /** JSON path of the leaf, e.g. `conditions.all[2]`. */
  at: string;
  name?: string;
  fact: string;
  params: Params;
  path?: string;
  operator: string;
  value: unknown;
  /** The value the operator compared (the fact through `path`); undefined when absent. */
  seen: unknown;
  passed: boolean;
}

export interface SegmentOutcome {
  segment: string;
  member: boolean;
  leaves: LeafOutcome[];
}

interface Input {
  profile: Profile;
  ctx: FactContext;
}

const INPUT = '__input';

interface AnnotatedNode {
  all?: AnnotatedNode[];
  any?: AnnotatedNode[];
  not?: AnnotatedNode;
  fact?: string;
  operator?: string;
  value?: unknown;
  params?: Record<string, unknown>;
  path?: string;
  name?: string;
  factResult?: unknown;
  result?: boolean;
}

/** json-rules-engine's `path` lookup restricted to plain paths (`$.a.b`); anything else throws. */
export function plainPathResolver(value: unknown, path: string): unknown {
  const segments = pathSegments(path);
  if (!segments) throw new Error(`not a plain JSON path: ${JSON.stringify(path)}`);
  return resolvePath(value, segments);
}

/** A reusable engine for `segments`; each `run` decides one profile for every segment. */
export function createRuleEngine(segments: Iterable<Segment>, scoring: Scoring) {
  // Paths are resolved by our plain-path walker, never by jsonpath-plus: no path can evaluate code
  // even if one bypassed the loader's check.
  const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: plainPathResolver });
  for (const fact of FACTS) {
    engine.addFact(fact.name, async (params, almanac) => {
      const { profile, ctx } = (await almanac.factValue(INPUT)) as Input;
      return fact.compute(profile, resolveParams(fact, params as Record<string, unknown>, scoring), ctx);
    });
  }
  for (const s of segments) {
    // The engine wants all / any / not at the root; a lone leaf means the same as `all` of it.
    const conditions = isLeaf(s.conditions) ? { all: [s.conditions] } : s.conditions;
    engine.addRule({ name: s.id, conditions: conditions as never, event: { type: s.id } });
  }
  return {
    async run(profile: Profile, ctx: FactContext): Promise<SegmentOutcome[]> {
      const { results, failureResults } = await engine.run({ [INPUT]: { profile, ctx } });
      return [...results, ...failureResults].map((r) => ({
        segment: r.name as string,
        member: r.result,
        leaves: annotatedLeaves(r.conditions as unknown as AnnotatedNode, 'conditions', scoring),
      }));
    },
  };
}

function annotatedLeaves(node: AnnotatedNode, at: string, scoring: Scoring): LeafOutcome[] {
  if (node.all) return node.all.flatMap((c, i) => annotatedLeaves(c, childPath(childPath(at, 'all'), i), scoring));
  if (node.any) return node.any.flatMap((c, i) => annotatedLeaves(c, childPath(childPath(at, 'any'), i), scoring));
  if (node.not) return annotatedLeaves(node.not, childPath(at, 'not'), scoring);
  const fact = FACTS.find((f) => f.name === node.fact);
  return [
    {
      at,
      ...(node.name ? { name: node.name } : {}),
      fact: node.fact ?? '',
      params: fact ? resolveParams(fact, node.params, scoring) : {},
      ...(node.path ? { path: node.path } : {}),
      operator: node.operator ?? '',
      value: node.value,
      seen: node.factResult,
      passed: node.result === true,
    },
  ];
}
