import type { Segment } from '../rules/condition.js';
import type { Params } from '../rules/fact-types.js';
import { prepareEvaluation, type Evaluation } from './prepare-evaluation.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';
import { waterfallCounter, type Waterfall } from '../rules/waterfall.js';

/**
 * The evaluate verb over the population: which profiles are in which segments at `now`. Profiles
 * are read once, in batches, with only the fields the rules need; the prefilter narrows the read
 * when no per-condition counts are asked for; each candidate is decided by the compiled predicate.
 */

/** How many profiles one leaf admits on its own. */
export interface LeafCount {
  at: string;
  fact: string;
  params: Params;
  path?: string;
  operator: string;
  value: unknown;
  passed: number;
}

export interface SegmentCount {
  segment: string;
  name: string;
  count: number;
  /** Member user ids, when asked for. */
  members?: string[];
  /** Per leaf, in document order, when asked for (the sweep then reads every profile). */
  leaves?: LeafCount[];
  /** With the leaf counts: the profiles left after each condition in turn (rules/waterfall.ts). */
  waterfall?: Waterfall;
}

export interface SweepResult {
  now: string;
  /** Profiles read and decided. */
  scanned: number;
  /** Every profile, when the sweep (or its rank pass) read them all. */
  population?: number;
  segments: SegmentCount[];
}

export interface SweepOptions {
  now?: Date;
  /** Collect member ids. @defaultValue false */
  members?: boolean;
  /** Count what each leaf admits over the whole population. @defaultValue false */
  leafCounts?: boolean;
  /** Profiles per batch. @defaultValue 1000 */
  batchSize?: number;
}

function emptyCounts(e: Evaluation, opts: SweepOptions): SegmentCount[] {
  return e.targets.map((t) => ({
    segment: t.segment.id,
    name: t.segment.name,
    count: 0,
    ...(opts.members ? { members: [] } : {}),
    ...(opts.leafCounts
      ? {
          leaves: t.leaves.map((l) => ({
            at: l.at,
            fact: l.fact.name,
            params: l.params,
            ...(l.leaf.path ? { path: l.leaf.path } : {}),
            operator: l.operator.name,
            value: l.leaf.value,
            passed: 0,
          })),
        }
      : {}),
  }));
}

/** Evaluates `segments` (ids of the rule set, or checked segments) over every profile in one read. */
export async function sweepSegments(
  ports: EvaluatePorts,
  segments: readonly (string | Segment)[],
  opts: SweepOptions = {},
): Promise<SweepResult> {
  const e = await prepareEvaluation(ports, segments, opts.now ?? ports.clock());
  const plan = e.planner.union(e.targets.map((t) => e.planner.plan(t.segment)));
  const counts = emptyCounts(e, opts);
  const falls = opts.leafCounts ? e.targets.map(waterfallCounter) : [];
  let scanned = 0;
  const query = {
    fields: plan.fields,
    batchSize: opts.batchSize ?? 1000,
    ...(opts.leafCounts || !plan.prefilter ? {} : { filter: plan.prefilter }),
  };
  for await (const batch of ports.reader.scan(query)) {
    for (const profile of batch) {
      scanned += 1;
      const row = e.program.row(profile, e.ctx);
      e.targets.forEach((t, i) => {
        const c = counts[i] as SegmentCount;
        if (t.test(row)) {
          c.count += 1;
          c.members?.push(profile._id);
        }
        c.leaves?.forEach((l, j) => {
          if (t.leaves[j]?.test(row)) l.passed += 1;
        });
        falls[i]?.visit(row);
      });
    }
  }
  falls.forEach((f, i) => Object.assign(counts[i] as SegmentCount, { waterfall: f.result() }));
  const population = query.filter === undefined ? scanned : e.population;
  return { now: e.now.toISOString(), scanned, ...(population !== undefined ? { population } : {}), segments: counts };
}

export interface MembersPage {
  segment: string;
  members: string[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

/** Members of one segment in user id order, after `after`, at most `limit`. */
export async function segmentMembers(
  ports: EvaluatePorts,
  segment: string | Segment,
  opts: { now?: Date; after?: string; limit: number; batchSize?: number },
): Promise<MembersPage> {
  const e = await prepareEvaluation(ports, [segment], opts.now ?? ports.clock());
  const target = e.targets[0];
  if (!target) throw new Error('no segment');
  const plan = e.planner.plan(target.segment);
  const members: string[] = [];
  let more = false;
  const query = {
    fields: plan.fields,
    ordered: true,
    batchSize: opts.batchSize ?? Math.min(1000, Math.max(100, opts.limit)),
    ...(plan.prefilter ? { filter: plan.prefilter } : {}),
    ...(opts.after !== undefined ? { after: opts.after } : {}),
  };
  scan: for await (const batch of ports.reader.scan(query)) {
    for (const profile of batch) {
      if (!target.test(e.program.row(profile, e.ctx))) continue;
      if (members.length === opts.limit) {
        more = true;
        break scan;
      }
      members.push(profile._id);
    }
  }
  const last = members[members.length - 1];
  return { segment: target.segment.id, members, ...(more && last !== undefined ? { next: last } : {}) };
}
