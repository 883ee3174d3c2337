import type { CompiledLeaf, CompiledSegment, Predicate, Row } from './compile.js';
import { childPath, isLeaf, type Condition } from './condition.js';
import { leafText } from './condition-text.js';

/**
 * Which condition empties a segment: the population, then the profiles left after each condition
 * of an `all` list in turn (a nested `all` continues the same list). An `any` or `not` group is one
 * step; its children are nested, each counted over the profiles that reached the group, and a
 * nested `all` child again as a cumulative list of its own.
 */
export interface WaterfallStep {
  /** JSON path in the segment file, e.g. `conditions.all[2]`. */
  at: string;
  /** The condition in one line, or the group (`any of 2`, `not`, `all of 3`). */
  text: string;
  /**
   * In a cumulative list: the profiles left after this step. As a group's child: how many of the
   * profiles that reached the group this child admits (and, for an `all` child, its steps left).
   */
  passed: number;
  /** A group's children. */
  steps?: WaterfallStep[];
  /** How a group's `steps` count: one after another (`all`) or each on its own (`any`, `not`). */
  mode?: 'cumulative' | 'each';
}

export interface Waterfall {
  /** Profiles evaluated: the top of the waterfall. */
  population: number;
  /** Cumulative: the last step's `passed` is the segment's count. */
  steps: WaterfallStep[];
}

/** One step being counted: `visit` decides a profile that reached it, counting it when it passes. */
interface Counter {
  step: WaterfallStep;
  visit(row: Row): boolean;
}

/** The children of `c` as they sit in the cumulative list: a nested `all` flattens into it. */
function listed(c: Condition, at: string): { c: Condition; at: string }[] {
  if (isLeaf(c) || !('all' in c)) return [{ c, at }];
  return c.all.flatMap((child, i) => listed(child, childPath(childPath(at, 'all'), i)));
}

interface Source {
  nodes: ReadonlyMap<string, Predicate>;
  leaves: ReadonlyMap<string, CompiledLeaf>;
}

function text(c: Condition, at: string, src: Source): string {
  if (isLeaf(c)) {
    const l = src.leaves.get(at);
    if (!l) return `${c.fact} ${c.operator} ${JSON.stringify(c.value)}`;
    return leafText({
      fact: l.fact.name,
      params: l.params,
      operator: l.operator.name,
      value: l.leaf.value,
      ...(l.leaf.path ? { path: l.leaf.path } : {}),
    });
  }
  if ('not' in c) return 'not';
  return 'all' in c ? `all of ${c.all.length}` : `any of ${c.any.length}`;
}

function predicate(at: string, src: Source): Predicate {
  const p = src.nodes.get(at);
  if (!p) throw new Error(`${at}: not compiled`);
  return p;
}

/** Visits `counters` in turn until one fails; true when all pass. */
function cumulative(counters: readonly Counter[]) {
  return (row: Row): boolean => {
    for (const k of counters) if (!k.visit(row)) return false;
    return true;
  };
}

/** A step in a cumulative list: a leaf, or an `any`/`not` group with its children counted each on its own. */
function stepCounter(c: Condition, at: string, src: Source): Counter {
  const step: WaterfallStep = { at, text: text(c, at, src), passed: 0 };
  const test = predicate(at, src);
  if (isLeaf(c)) return countIf(step, test);
  if ('all' in c) {
    const children = listed(c, at).map((x) => stepCounter(x.c, x.at, src));
    Object.assign(step, { mode: 'cumulative', steps: children.map((k) => k.step) });
    return countIf(step, cumulative(children));
  }
  const children = (
    'not' in c
      ? [{ c: c.not, at: childPath(at, 'not') }]
      : c.any.map((child, i) => ({
          c: child,
          at: childPath(childPath(at, 'any'), i),
        }))
  ).map((x) => stepCounter(x.c, x.at, src));
  Object.assign(step, { mode: 'each', steps: children.map((k) => k.step) });
  return countIf(step, (row) => {
    for (const k of children) k.visit(row);
    return test(row);
  });
}

function countIf(step: WaterfallStep, test: Predicate): Counter {
  return {
    step,
    visit(row) {
      const ok = test(row);
      if (ok) step.passed += 1;
      return ok;
    },
  };
}

/** Counts the waterfall of `segment` over the profiles given to `visit`, with its compiled predicates. */
export function waterfallCounter(segment: CompiledSegment): { visit(row: Row): void; result(): Waterfall } {
  const src: Source = { nodes: segment.nodes, leaves: new Map(segment.leaves.map((l) => [l.at, l])) };
  const steps = listed(segment.segment.conditions, 'conditions').map((x) => stepCounter(x.c, x.at, src));
  const all = cumulative(steps);
  let population = 0;
  return {
    visit(row) {
      population += 1;
      all(row);
    },
    result: () => ({ population, steps: steps.map((k) => k.step) }),
  };
}
