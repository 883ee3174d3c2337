import { generatePlatform } from '../demo/generator.js';
import type { Profile } from '../domain/profile.js';
import { prepareEvaluation } from '../evaluate/prepare-evaluation.js';
import { createRuleEngine } from '../rules/engine.js';
import { loadRuleSet, type RuleSet } from '../rules/rule-set.js';
import type { Benchmark, BenchContext, BenchPart } from './context.js';
import { BENCH_NOW, BENCH_TZ, HISTORY_DAYS, RULES_DIR } from './setup.js';
import { oldRedeemedStrongIntentBond } from './hand-written.js';
import { storedProfileOf } from './profile-docs.js';
import { atLeast, compare, measure } from './result-shapes.js';
import { slices } from './slices.js';
import type { SegmentReader } from '../ports/segment-reader.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';

/**
 * Rule evaluation in memory, no database: the compiled evaluator against json-rules-engine (the
 * naive way) and a hand-written predicate (the limit), on the same profiles and rule; then every
 * shipped segment at once, evaluator against json-rules-engine, per profile.
 */

export const CANONICAL_RULE = 'old-redeemed-strong-intent-bond';
/** A timed pass repeats over the profiles for at least this long. */
const MIN_PASS_MS = 300;

/** Profiles from memory through the reader port (the prefilter and projection are not needed: every profile is a candidate). */
export function memoryReader(profiles: readonly Profile[]): SegmentReader {
  return {
    async *scan(q) {
      yield* slices(profiles, q.batchSize ?? 1000);
    },
    get: (id) => Promise.resolve(profiles.find((p) => p._id === id) ?? null),
  };
}

export function inMemoryProfiles(users: number, seed: number, retentionDays: number): Profile[] {
  const fold = { now: BENCH_NOW, tz: BENCH_TZ, retentionDays };
  return [...generatePlatform({ seed, users, now: BENCH_NOW, days: HISTORY_DAYS })].map((u) =>
    storedProfileOf(u, fold),
  );
}

type Decide = (p: Profile) => boolean | Promise<boolean>;

/**
 * Decisions per second over `profiles`, repeated for at least MIN_PASS_MS. Synchronous deciders
 * are called without `await` (a microtask per call would be most of their cost).
 */
async function rate(profiles: readonly Profile[], decide: Decide, sync: boolean): Promise<number> {
  let decided = 0;
  let members = 0;
  const started = performance.now();
  do {
    if (sync) {
      for (const p of profiles) if (decide(p) === true) members += 1;
    } else {
      for (const p of profiles) if (await decide(p)) members += 1;
    }
    decided += profiles.length;
  } while (performance.now() - started < MIN_PASS_MS);
  if (members < 0) throw new Error('unreachable: keeps the decisions live');
  return (decided / (performance.now() - started)) * 1000;
}

async function count(profiles: readonly Profile[], decide: Decide): Promise<number> {
  let members = 0;
  for (const p of profiles) if (await decide(p)) members += 1;
  return members;
}

/** The three must find the same members, or the rates compare different work. */
async function agree(
  profiles: readonly Profile[],
  sample: readonly Profile[],
  evaluator: Decide,
  hand: Decide,
  engine: Decide,
) {
  const r = {
    evaluator: await count(profiles, evaluator),
    hand: await count(profiles, hand),
    engineSample: await count(sample, engine),
    evaluatorSample: await count(sample, evaluator),
  };
  return { ...r, agree: r.evaluator === r.hand && r.engineSample === r.evaluatorSample };
}

async function deciders(rules: RuleSet, profiles: readonly Profile[], ids: readonly string[]) {
  const ports: EvaluatePorts = { reader: memoryReader(profiles), rules, clock: () => BENCH_NOW, tz: BENCH_TZ };
  const e = await prepareEvaluation(ports, ids, BENCH_NOW);
  const engine = createRuleEngine(
    ids.map((id) => rules.segments.get(id)).filter((s) => s !== undefined),
    rules.scoring,
  );
  const [first, ...rest] = e.targets;
  if (!first) throw new Error('no segment to evaluate');
  return {
    /** Every target decided for one profile; true when it is in the first. */
    evaluator: (p: Profile): boolean => {
      const row = e.program.row(p, e.ctx);
      const member = first.test(row);
      for (const t of rest) t.test(row);
      return member;
    },
    engine: async (p: Profile): Promise<boolean> =>
      (await engine.run(p, e.ctx)).find((o) => o.segment === ids[0])?.member ?? false,
  };
}

export const evaluateBench: Benchmark = {
  name: 'evaluate',
  title: 'Rule evaluation in memory',
  targets: [
    'compiled evaluator ≥ 0.3× a hand-written predicate for the same rule (the canonical old-redeemed-strong-intent-bond)',
  ],
  tiered: false,
  async run(ctx: BenchContext): Promise<BenchPart> {
    const rules = await loadRuleSet(RULES_DIR);
    const n = ctx.options.quick ? 2000 : 20_000;
    const profiles = inMemoryProfiles(n, ctx.options.seed, rules.scoring.retentionDays);
    const engineSample = profiles.slice(0, ctx.options.quick ? 500 : 3000);
    const one = await deciders(rules, profiles, [CANONICAL_RULE]);
    const all = await deciders(rules, profiles, [
      CANONICAL_RULE,
      ...[...rules.segments.keys()].filter((id) => id !== CANONICAL_RULE),
    ]);
    const hand = oldRedeemedStrongIntentBond(rules.scoring, { now: BENCH_NOW, tz: BENCH_TZ });
    const agreement = await agree(profiles, engineSample, one.evaluator, hand, one.engine);
    const samples = {
      evaluator: [] as number[],
      hand: [] as number[],
      engine: [] as number[],
      allEvaluator: [] as number[],
      allEngine: [] as number[],
    };
    for (let rep = 0; rep < ctx.options.reps; rep++) {
      samples.evaluator.push(await rate(profiles, one.evaluator, true));
      samples.hand.push(await rate(profiles, hand, true));
      samples.engine.push(await rate(engineSample, one.engine, false));
      samples.allEvaluator.push(await rate(profiles, all.evaluator, true));
      samples.allEngine.push(await rate(engineSample, all.engine, false));
      ctx.log(
        `  rep ${rep + 1}: evaluator ${Math.round(samples.evaluator[rep] ?? 0)}/s, hand-written ${Math.round(samples.hand[rep] ?? 0)}/s, json-rules-engine ${Math.round(samples.engine[rep] ?? 0)}/s`,
      );
    }
    const evaluator = measure('compiled evaluator', 'profiles/s', samples.evaluator);
    const toHand = compare(
      evaluator,
      measure('hand-written predicate', 'profiles/s', samples.hand),
      'evaluator ÷ hand-written (profiles/s)',
    );
    return {
      comparisons: [
        { ...toHand, target: atLeast(toHand.ratio, 0.3) },
        compare(
          evaluator,
          measure('json-rules-engine, one run per profile', 'profiles/s', samples.engine),
          'evaluator ÷ json-rules-engine (profiles/s)',
        ),
        compare(
          measure(
            `compiled evaluator, all ${rules.segments.size} shipped segments`,
            'profiles/s',
            samples.allEvaluator,
          ),
          measure(`json-rules-engine, all ${rules.segments.size} segments`, 'profiles/s', samples.allEngine),
          'evaluator ÷ json-rules-engine (profiles/s)',
        ),
      ],
      details: { profiles: n, engineSample: engineSample.length, rule: CANONICAL_RULE, members: agreement },
      notes: [
        `${n} generated profiles held in memory; json-rules-engine runs over the first ${engineSample.length} (its rate does not depend on how many). ` +
          `Rows 1–2: the rule ${CANONICAL_RULE}; row 3: all shipped segments decided for each profile (rank facts read a distribution computed once).`,
        `Members of ${CANONICAL_RULE}: evaluator ${agreement.evaluator}, hand-written ${agreement.hand} of ${n}; on json-rules-engine's ${engineSample.length}: ` +
          `engine ${agreement.engineSample}, evaluator ${agreement.evaluatorSample}${agreement.agree ? ' (all agree)' : ' — **they disagree: the numbers above compare different work**'}.`,
      ],
    };
  },
};
