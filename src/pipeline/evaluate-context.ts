import { intentScore } from '../domain/metrics.js';
import { NotFoundError } from '../errors.js';
import { didYouMean } from '../rules/closest-name.js';
import { weightsInHundredths } from '../domain/scoring.js';
import { compileProgram, type CompiledLeaf, type CompiledSegment, type Program } from '../rules/compile.js';
import type { Segment } from '../rules/condition.js';
import type { FactContext } from '../rules/fact-types.js';
import { windowDays } from '../rules/fact-pushdown.js';
import { createPlanner, type Planner } from '../rules/plan.js';
import { rankWindows, ScoreDistribution } from '../rules/rank.js';
import type { EvaluatePorts } from './evaluate-ports.js';

/** Everything one evaluation at one `now` shares: compiled segments, the context facts see, the planner. */
export interface Evaluation {
  now: Date;
  program: Program;
  ctx: FactContext;
  planner: Planner;
  targets: CompiledSegment[];
  /** Profiles counted by the rank pass, when one ran. */
  population?: number;
}

/** The leaves `targets` depend on, following `inSegment` references. */
function dependentLeaves(program: Program, targets: readonly CompiledSegment[]): CompiledLeaf[] {
  const seen = new Set<string>();
  const leaves: CompiledLeaf[] = [];
  const visit = (s: CompiledSegment): void => {
    if (seen.has(s.segment.id)) return;
    seen.add(s.segment.id);
    for (const leaf of s.leaves) {
      leaves.push(leaf);
      const ref = leaf.fact.name === 'inSegment' ? program.segments.get(String(leaf.params.segment)) : undefined;
      if (ref) visit(ref);
    }
  };
  targets.forEach(visit);
  return leaves;
}

/** One pass over every profile: the sorted intent scores of each window the rank facts use. */
async function rankPass(ports: EvaluatePorts, windows: readonly number[], now: Date): Promise<{ ranks: Map<number, ScoreDistribution>; population: number }> {
  const clock = { now, tz: ports.tz };
  const weights = weightsInHundredths(ports.rules.scoring);
  const longest = Math.max(...windows);
  const scores = windows.map(() => [] as number[]);
  for await (const batch of ports.reader.scan({ fields: windowDays(longest, clock).map((k) => `buckets.${k}`) })) {
    for (const p of batch) windows.forEach((d, i) => scores[i]?.push(intentScore(p, d, weights, clock)));
  }
  const ranks = new Map(windows.map((d, i) => [d, new ScoreDistribution(scores[i] ?? [])]));
  return { ranks, population: scores[0]?.length ?? 0 };
}

/**
 * Prepares evaluating `targets` (rule-set segments by id, or checked segments such as an ad-hoc
 * file) at `now`: compiles every segment, and computes rank distributions once if any target needs
 * them.
 */
export async function prepareEvaluation(ports: EvaluatePorts, targets: readonly (string | Segment)[], now: Date): Promise<Evaluation> {
  const { scoring } = ports.rules;
  const all = new Map(ports.rules.segments);
  for (const t of targets) if (typeof t !== 'string') all.set(t.id, t);
  const program = compileProgram(all.values(), scoring);
  const compiled = targets.map((t) => {
    const s = program.segments.get(typeof t === 'string' ? t : t.id);
    if (!s) {
      const id = String(t);
      const hint = didYouMean(id, all.keys());
      throw new NotFoundError(`unknown segment "${id}"${hint ? ` (${hint})` : ''}`);
    }
    return s;
  });
  const windows = rankWindows(dependentLeaves(program, compiled));
  const pass = windows.length > 0 ? await rankPass(ports, windows, now) : undefined;
  const ctx = program.context({
    now, tz: ports.tz, scoring, weights: weightsInHundredths(scoring),
    intentPercentile(days, score) {
      const d = pass?.ranks.get(days);
      if (!d) throw new Error(`no intent distribution for ${days} days`);
      return d.percentile(score);
    },
  });
  const planner = createPlanner(all, scoring, { now, tz: ports.tz });
  return { now, program, ctx, planner, targets: compiled, ...(pass ? { population: pass.population } : {}) };
}
