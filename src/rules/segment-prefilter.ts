import type { MetricClock } from '../domain/windowed-metrics.js';
import type { Scoring } from '../domain/intent-scoring.js';
import { isLeaf, type Condition, type Leaf, type Segment } from './condition.js';
import { findFact } from './fact-catalog.js';
import { resolveParams } from './fact-params.js';
import { NOTHING } from './fact-pushdown.js';
import type { Filter, PlanContext } from './fact-types.js';
import { pathSegments } from './json-path.js';
import { findOperator } from './operators.js';

/**
 * How a sweep reads profiles for a set of segments: a prefilter that every member matches (a
 * superset: the compiled predicate decides) and the fields the rules read (the projection).
 */
export interface SweepPlan {
  /** undefined: every profile is a candidate. */
  prefilter: Filter | undefined;
  /** Dotted field paths, none a prefix of another. */
  fields: string[];
}

function leafPlan(leaf: Leaf, ctx: PlanContext): SweepPlan {
  const fact = findFact(leaf.fact);
  const operator = findOperator(leaf.operator);
  if (!fact || !operator) throw new Error(`unchecked leaf: ${leaf.fact} ${leaf.operator}`);
  const params = resolveParams(fact, leaf.params, ctx.scoring);
  const path = leaf.path ? pathSegments(leaf.path) : undefined;
  const fields = fact.fields(params, ctx, path);
  // Only what the checks allow is pushed down: an operator for the fact's kind, a path on an object fact.
  if (!operator.factKinds.includes(fact.type.kind) || (leaf.path !== undefined && fact.pathDepth === undefined)) {
    return { prefilter: undefined, fields };
  }
  return { prefilter: fact.pushdown({ operator, value: leaf.value, params, ...(path ? { path } : {}) }, ctx), fields };
}

/** AND: every defined child filter; a child that matches nothing makes the whole match nothing. */
export function allOf(filters: (Filter | undefined)[]): Filter | undefined {
  const defined = filters.filter((f): f is Filter => f !== undefined);
  if (defined.includes(NOTHING)) return NOTHING;
  if (defined.length <= 1) return defined[0];
  return { $and: defined };
}

/** OR: only when every child narrows; children that match nothing drop out. */
export function anyOf(filters: (Filter | undefined)[]): Filter | undefined {
  if (filters.length === 0 || filters.includes(undefined)) return undefined;
  const defined = filters.filter((f): f is Filter => f !== undefined && f !== NOTHING);
  if (defined.length === 0) return NOTHING;
  if (defined.length === 1) return defined[0];
  return { $or: defined };
}

function nodePlan(c: Condition, ctx: PlanContext): SweepPlan {
  if (isLeaf(c)) return leafPlan(c, ctx);
  // The complement of a superset is not a superset: `not` never narrows.
  if ('not' in c) return { prefilter: undefined, fields: nodePlan(c.not, ctx).fields };
  const children = ('all' in c ? c.all : c.any).map((child) => nodePlan(child, ctx));
  const fields = children.flatMap((p) => p.fields);
  const filters = children.map((p) => p.prefilter);
  return { prefilter: 'all' in c ? allOf(filters) : anyOf(filters), fields };
}

/** Sorted, deduplicated field paths without any that a shorter one already covers. */
export function normaliseFields(fields: Iterable<string>): string[] {
  const sorted = [...new Set(fields)].sort();
  const out: string[] = [];
  for (const f of sorted) {
    const covered = out.some((kept) => f === kept || f.startsWith(`${kept}.`));
    if (!covered) out.push(f);
  }
  return out;
}

/** Plans segments by id; `inSegment` references resolve within `segments` (checked: no cycles). */
export function createPlanner(segments: ReadonlyMap<string, Segment>, scoring: Scoring, clock: MetricClock) {
  const memo = new Map<string, SweepPlan>();
  const ctx: PlanContext = {
    ...clock,
    scoring,
    segmentPlan: (id) => plan(id),
  };
  function planOf(segment: Segment): SweepPlan {
    const p = nodePlan(segment.conditions, ctx);
    return { prefilter: p.prefilter, fields: normaliseFields(p.fields) };
  }
  function plan(id: string): SweepPlan {
    let p = memo.get(id);
    if (!p) {
      const segment = segments.get(id);
      if (!segment) throw new Error(`unknown segment ${id}`);
      p = planOf(segment);
      memo.set(id, p);
    }
    return p;
  }
  return {
    /** The plan of one segment (a rule-set segment by id, or any checked segment). */
    plan: (segment: string | Segment): SweepPlan => (typeof segment === 'string' ? plan(segment) : planOf(segment)),
    /** One read for several segments: candidates of any, fields of all. */
    union(plans: readonly SweepPlan[]): SweepPlan {
      return {
        prefilter: anyOf(plans.map((p) => p.prefilter)),
        fields: normaliseFields(plans.flatMap((p) => p.fields)),
      };
    },
  };
}

export type Planner = ReturnType<typeof createPlanner>;
