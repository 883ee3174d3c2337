import { NotFoundError } from '../errors.js';
import { didYouMean } from '../rules/closest-name.js';
import { weightsInHundredths } from '../domain/intent-scoring.js';
import { compileProgram, type CompiledLeaf, type CompiledSegment, type Program } from '../rules/compile.js';
import type { Segment } from '../rules/condition.js';
import type { FactContext } from '../rules/fact-types.js';
import { createPlanner, type Planner } from '../rules/segment-prefilter.js';
import { rankWindows } from '../rules/rank.js';
import { rankTable } from './rank-table.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';

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

export interface EvaluationOptions {
  /** Rank facts may use a distribution read a few minutes ago (ports.ranks). @defaultValue false */
  reuseRanks?: boolean;
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

/**
 * Prepares evaluating `targets` (rule-set segments by id, or checked segments such as an ad-hoc
 * file) at `now`: compiles every segment, and computes rank distributions once if any target needs
 * them.
 */
export async function prepareEvaluation(
  ports: EvaluatePorts,
  targets: readonly (string | Segment)[],
  now: Date,
  opts: EvaluationOptions = {},
): Promise<Evaluation> {
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
  const pass = windows.length > 0 ? await rankTable(ports, windows, now, opts.reuseRanks ?? false) : undefined;
  const ctx = program.context({
    now,
    tz: ports.tz,
    scoring,
    weights: weightsInHundredths(scoring),
    intentPercentile(days, score) {
      const d = pass?.ranks.get(days);
      if (!d) throw new Error(`no intent distribution for ${days} days`);
      return d.percentile(score);
    },
  });
  const planner = createPlanner(all, scoring, { now, tz: ports.tz });
  return { now, program, ctx, planner, targets: compiled, ...(pass ? { population: pass.population } : {}) };
}
