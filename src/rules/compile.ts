import type { Profile } from '../domain/profile.js';
import type { Scoring } from '../domain/intent-scoring.js';
import { childPath, isLeaf, type Condition, type Leaf, type Segment } from './condition.js';
import { findFact } from './fact-catalog.js';
import { resolveParams } from './fact-params.js';
import type { FactContext, FactDefinition, Params } from './fact-types.js';
import { pathSegments, resolvePath } from './json-path.js';
import { findOperator, type OperatorDefinition } from './operators.js';

/**
 * Compiles condition trees to plain predicates (closures; the rule text never becomes code) that
 * answer exactly as json-rules-engine does: empty `all` and `any` pass, `not` negates, leaves use
 * the engine's operator semantics (operators.ts) and path rule (json-path.ts). Facts are pure, so
 * stopping an `all`/`any` at the first decisive child changes the work, never the answer.
 */

/** One profile being decided: fact values are computed on first use and shared by every segment. */
export interface Row {
  profile: Profile;
  ctx: FactContext;
  memo: unknown[];
}

export type Predicate = (row: Row) => boolean;

export interface CompiledLeaf {
  /** JSON path of the leaf in its file, e.g. `conditions.all[2]`. */
  at: string;
  leaf: Leaf;
  fact: FactDefinition;
  operator: OperatorDefinition;
  params: Params;
  path?: readonly string[];
  /** The value the operator compares: the fact, through `path` when there is one. */
  read(row: Row): unknown;
  test: Predicate;
}

export interface CompiledSegment {
  segment: Segment;
  test: Predicate;
  /** Every leaf, in document order. */
  leaves: CompiledLeaf[];
  /** The predicate of every node (leaves and groups) by its JSON path, e.g. `conditions.all[1]`. */
  nodes: ReadonlyMap<string, Predicate>;
}

export interface Program {
  segments: ReadonlyMap<string, CompiledSegment>;
  /** A fresh row for `profile`. */
  row(profile: Profile, ctx: FactContext): Row;
  /** `base` with `inSegment` answered by this program. */
  context(base: Omit<FactContext, 'inSegment'>): FactContext;
}

const UNSET = Symbol('unset');

class Slots {
  private readonly index = new Map<string, number>();
  readonly getters: ((row: Row) => unknown)[] = [];

  get(fact: FactDefinition, params: Params): (row: Row) => unknown {
    const key = `${fact.name}${JSON.stringify(params)}`;
    let i = this.index.get(key);
    if (i === undefined) {
      const slot = this.getters.length;
      i = slot;
      this.index.set(key, slot);
      this.getters.push((row) => {
        let v = row.memo[slot];
        if (v === UNSET) {
          v = fact.compute(row.profile, params, row.ctx);
          row.memo[slot] = v;
        }
        return v;
      });
    }
    return this.getters[i] as (row: Row) => unknown;
  }
}

function compileLeaf(leaf: Leaf, at: string, slots: Slots, scoring: Scoring): CompiledLeaf {
  const fact = findFact(leaf.fact);
  const operator = findOperator(leaf.operator);
  if (!fact || !operator) throw new Error(`${at}: unchecked leaf (fact ${leaf.fact}, operator ${leaf.operator})`);
  const params = resolveParams(fact, leaf.params, scoring);
  const get = slots.get(fact, params);
  const path = leaf.path ? pathSegments(leaf.path) : undefined;
  if (leaf.path && !path) throw new Error(`${at}: unchecked path ${leaf.path}`);
  const read = path ? (row: Row) => resolvePath(get(row), path) : get;
  const { evaluate } = operator;
  const value = leaf.value;
  return {
    at,
    leaf,
    fact,
    operator,
    params,
    ...(path ? { path } : {}),
    read,
    test: (row) => evaluate(read(row), value),
  };
}

/** What compiling one segment collects besides its predicate. */
interface Collected {
  leaves: CompiledLeaf[];
  nodes: Map<string, Predicate>;
}

function compileNode(c: Condition, at: string, slots: Slots, scoring: Scoring, out: Collected): Predicate {
  const test = compileTree(c, at, slots, scoring, out);
  out.nodes.set(at, test);
  return test;
}

function compileTree(c: Condition, at: string, slots: Slots, scoring: Scoring, out: Collected): Predicate {
  if (isLeaf(c)) {
    const compiled = compileLeaf(c, at, slots, scoring);
    out.leaves.push(compiled);
    return compiled.test;
  }
  if ('not' in c) {
    const child = compileNode(c.not, childPath(at, 'not'), slots, scoring, out);
    return (row) => !child(row);
  }
  const isAll = 'all' in c;
  const list = isAll ? c.all : c.any;
  const children = list.map((child, i) =>
    compileNode(child, childPath(childPath(at, isAll ? 'all' : 'any'), i), slots, scoring, out),
  );
  if (children.length === 0) return () => true;
  if (children.length === 1) return children[0] as Predicate;
  return isAll
    ? (row) => {
        for (const p of children) if (!p(row)) return false;
        return true;
      }
    : (row) => {
        for (const p of children) if (p(row)) return true;
        return false;
      };
}

/** Compiles checked segments; `inSegment` references resolve within `segments`. */
export function compileProgram(segments: Iterable<Segment>, scoring: Scoring): Program {
  const slots = new Slots();
  const compiled = new Map<string, CompiledSegment>();
  for (const segment of segments) {
    const out: Collected = { leaves: [], nodes: new Map() };
    const test = compileNode(segment.conditions, 'conditions', slots, scoring, out);
    compiled.set(segment.id, { segment, test, leaves: out.leaves, nodes: out.nodes });
  }
  const row = (profile: Profile, ctx: FactContext): Row => ({
    profile,
    ctx,
    memo: new Array<unknown>(slots.getters.length).fill(UNSET),
  });
  return {
    segments: compiled,
    row,
    context(base) {
      const ctx: FactContext = {
        ...base,
        inSegment(id, profile) {
          const s = compiled.get(id);
          if (!s) throw new Error(`segment ${id} is not compiled`);
          return s.test(row(profile, ctx));
        },
      };
      return ctx;
    },
  };
}
