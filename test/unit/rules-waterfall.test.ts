import fc from 'fast-check';
import { DEFAULT_SCORING } from '../../src/domain/intent-scoring.js';
import { compileProgram } from '../../src/rules/compile.js';
import type { Condition } from '../../src/rules/condition.js';
import { waterfallCounter, type WaterfallStep } from '../../src/rules/waterfall.js';
import { conditions, contextFor, HELPER, population } from './rules-arbitraries.js';

/** The steps of a cumulative list, checked against what reached it; returns what is left. */
function checkList(steps: readonly WaterfallStep[], entering: number): number {
  let left = entering;
  for (const s of steps) {
    expect(s.passed).toBeLessThanOrEqual(left);
    checkGroup(s, left);
    left = s.passed;
  }
  return left;
}

function checkGroup(s: WaterfallStep, entering: number): void {
  if (!s.steps) return;
  if (s.mode === 'cumulative') expect(checkList(s.steps, entering)).toBe(s.passed);
  else
    for (const c of s.steps) {
      expect(c.passed).toBeLessThanOrEqual(entering);
      checkGroup(c, entering);
    }
}

// Random trees and populations: the waterfall ends at the segment's count, never rises, and each
// group's children count within what reached the group.
test('the waterfall ends at the member count and never rises, for any tree', () => {
  fc.assert(
    fc.property(conditions, population(12), (tree, profiles) => {
      const program = compileProgram([HELPER, { id: 'rule', name: 'rule', conditions: tree }], DEFAULT_SCORING);
      const ctx = program.context(contextFor(profiles));
      const compiled = program.segments.get('rule');
      if (!compiled) throw new Error('not compiled');
      const counter = waterfallCounter(compiled);
      let members = 0;
      for (const p of profiles) {
        const row = program.row(p, ctx);
        if (compiled.test(row)) members += 1;
        counter.visit(row);
      }
      const w = counter.result();
      expect(w.population).toBe(profiles.length);
      expect(checkList(w.steps, w.population)).toBe(members);
    }),
    { seed: 20261204, numRuns: 300 },
  );
});

test('a nested all continues the list; an any or not group is one step with its children nested', () => {
  const tree: Condition = {
    all: [
      { fact: 'hasPurchased', operator: 'equal', value: true },
      {
        all: [
          { fact: 'fundsRedeemed', operator: 'equal', value: true },
          {
            any: [
              { fact: 'intentScore', params: { days: 14 }, operator: 'greaterThan', value: 5 },
              { all: [{ fact: 'isNewCustomer', operator: 'equal', value: false }] },
            ],
          },
        ],
      },
      { not: { fact: 'fundsRedeemed', operator: 'equal', value: true } },
    ],
  };
  const program = compileProgram([{ id: 's', name: 's', conditions: tree }], DEFAULT_SCORING);
  const compiled = program.segments.get('s');
  if (!compiled) throw new Error('not compiled');
  const steps = waterfallCounter(compiled).result().steps;
  expect(steps.map((s) => [s.at, s.text, s.mode])).toEqual([
    ['conditions.all[0]', 'hasPurchased equal true', undefined],
    ['conditions.all[1].all[0]', 'fundsRedeemed equal true', undefined],
    ['conditions.all[1].all[1]', 'any of 2', 'each'],
    ['conditions.all[2]', 'not', 'each'],
  ]);
  expect(steps[2]?.steps?.map((s) => [s.at, s.text, s.mode])).toEqual([
    ['conditions.all[1].all[1].any[0]', 'intentScore(days=14) greaterThan 5', undefined],
    ['conditions.all[1].all[1].any[1]', 'all of 1', 'cumulative'],
  ]);
  expect(steps[3]?.steps?.map((s) => s.at)).toEqual(['conditions.all[2].not']);
});
