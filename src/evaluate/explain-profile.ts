import { NotFoundError } from '../errors.js';
import type { Segment } from '../rules/condition.js';
import { createRuleEngine, type SegmentOutcome } from '../rules/engine.js';
import { prepareEvaluation } from './prepare-evaluation.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';

export interface Explanation {
  userId: string;
  now: string;
  /** Per segment: in or out, and every leaf with the value seen and whether it passed. */
  segments: (SegmentOutcome & { name: string })[];
}

/**
 * Why a user is or is not in each segment (or in `segment` only), decided by json-rules-engine
 * itself on the whole profile. Rank facts rank the user against the whole population at `now`,
 * possibly as read by a sweep a few minutes earlier (ports.ranks).
 */
export async function explainProfile(
  ports: EvaluatePorts,
  userId: string,
  opts: { now?: Date; segment?: string | Segment } = {},
): Promise<Explanation> {
  const profile = await ports.reader.get(userId);
  if (!profile) throw new NotFoundError(`no profile for user "${userId}"`);
  const targets = opts.segment !== undefined ? [opts.segment] : [...ports.rules.segments.keys()];
  const e = await prepareEvaluation(ports, targets, opts.now ?? ports.clock(), { reuseRanks: true });
  const engine = createRuleEngine(
    e.targets.map((t) => t.segment),
    ports.rules.scoring,
  );
  const outcomes = new Map((await engine.run(profile, e.ctx)).map((o) => [o.segment, o]));
  return {
    userId,
    now: e.now.toISOString(),
    segments: e.targets.flatMap((t) => {
      const o = outcomes.get(t.segment.id);
      return o ? [{ ...o, name: t.segment.name }] : [];
    }),
  };
}
