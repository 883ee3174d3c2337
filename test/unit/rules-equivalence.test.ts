import fc from 'fast-check';
import { compileProgram } from '../../src/rules/compile.js';
import { createRuleEngine } from '../../src/rules/engine.js';
import { DEFAULT_SCORING } from '../../src/domain/intent-scoring.js';
import { conditions, contextFor, HELPER, population } from './rules-arbitraries.js';

// The compiled evaluator must give json-rules-engine's answer on every profile and every leaf:
// random profiles (missing fields, nulls, numeric strings, wrong types) × random condition trees
// over the real fact catalog and every operator. 500 trees × 8 profiles = 4,000 decisions.
test('compiled predicates decide exactly as json-rules-engine', async () => {
  let members = 0;
  let decisions = 0;
  await fc.assert(
    fc.asyncProperty(conditions, population(8), async (tree, profiles) => {
      const rule = { id: 'rule', name: 'rule', conditions: tree };
      const program = compileProgram([HELPER, rule], DEFAULT_SCORING);
      const engine = createRuleEngine([HELPER, rule], DEFAULT_SCORING);
      const ctx = program.context(contextFor(profiles));
      const compiled = program.segments.get('rule');
      if (!compiled) throw new Error('not compiled');
      for (const p of profiles) {
        const outcome = (await engine.run(p, ctx)).find((o) => o.segment === 'rule');
        const row = program.row(p, ctx);
        expect(compiled.test(row)).toBe(outcome?.member);
        expect(compiled.leaves.map((l) => [l.at, l.read(row), l.test(row)])).toEqual(
          outcome?.leaves.map((l) => [l.at, l.seen, l.passed]),
        );
        decisions += 1;
        if (outcome?.member) members += 1;
      }
    }),
    { seed: 20261120, numRuns: 500 },
  );
  expect(decisions).toBe(4000);
  // Both answers occur often enough for the comparison to mean something.
  expect(members).toBeGreaterThan(decisions * 0.2);
  expect(members).toBeLessThan(decisions * 0.8);
});
