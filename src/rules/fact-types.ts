import type { MetricClock } from '../domain/windowed-metrics.js';
import type { Profile } from '../domain/profile.js';
import type { Scoring } from '../domain/intent-scoring.js';
import type { OperatorDefinition } from './operators.js';

/** A MongoDB query filter over the `profiles` collection, as plain data (rules/ never imports the driver). */
export type Filter = Record<string, unknown>;

/** Resolved params of a leaf: defaults filled in. */
export type Params = Readonly<Record<string, string | number>>;

/** The kinds of value a fact yields; `attribute` is whatever a profile attribute holds (or undefined). */
export type ValueKind = 'boolean' | 'number' | 'string' | 'strings' | 'attribute';

export interface ValueType {
  kind: ValueKind;
  /** The fact can be null (e.g. `daysSince` when the event never happened). */
  nullable?: boolean;
  /** The only strings it yields (e.g. categories). */
  values?: readonly string[];
}

export type ParamKind = 'days' | 'category' | 'eventType' | 'channel' | 'segment';

export interface ParamDefinition {
  kind: ParamKind;
  description: string;
  /** The value when the rule gives none; a param without a default is required. */
  default?: (scoring: Scoring) => number | string;
  /** Text of the default for the docs. */
  defaultDoc?: string;
}

/** What a fact reads besides the profile: the sweep's clock, scoring and population ranks. */
export interface FactContext extends MetricClock {
  scoring: Scoring;
  /** Intent weights in integer hundredths (weightsInHundredths). */
  weights: ReadonlyMap<string, number>;
  /** Share of all profiles whose intent score over `days` is strictly lower than `score`. */
  intentPercentile(days: number, score: number): number;
  /** Whether `profile` is a member of the segment `id`. */
  inSegment(id: string, profile: Profile): boolean;
}

/** What planning a sweep (projection, prefilter) knows: no profile, no population. */
export interface PlanContext extends MetricClock {
  scoring: Scoring;
  /** The fields and prefilter of another segment (for `inSegment`). */
  segmentPlan(id: string): { fields: string[]; prefilter: Filter | undefined };
}

/** One leaf as the pushdown sees it. */
export interface LeafView {
  operator: OperatorDefinition;
  value: unknown;
  params: Params;
  path?: readonly string[];
}

export type FactGroup = 'profile' | 'lifecycle' | 'activity' | 'consent' | 'rank' | 'segment';

/** One row of the fact catalog. */
export interface FactDefinition {
  name: string;
  group: FactGroup;
  description: string;
  params: Readonly<Record<string, ParamDefinition>>;
  type: ValueType;
  /** The fact is an object read through `path` (required), at most this many names deep. */
  pathDepth?: number;
  /** The fact's value for a profile. Pure: everything else comes from `ctx`. */
  compute(profile: Profile, params: Params, ctx: FactContext): unknown;
  /** Profile fields the fact reads: the projection of a sweep. */
  fields(params: Params, ctx: PlanContext, path?: readonly string[]): string[];
  /** A filter every profile passing the leaf matches (a superset), or undefined when none applies. */
  pushdown(leaf: LeafView, ctx: PlanContext): Filter | undefined;
  /** How the pushdown works, for docs/rules.md. */
  pushdownDoc: string;
}
