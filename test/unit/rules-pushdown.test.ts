import fc from 'fast-check';
import { DEFAULT_SCORING } from '../../src/domain/intent-scoring.js';
import type { Profile } from '../../src/domain/profile.js';
import { compileProgram } from '../../src/rules/compile.js';
import type { Segment } from '../../src/rules/condition.js';
import { createRuleEngine } from '../../src/rules/engine.js';
import { createPlanner } from '../../src/rules/segment-prefilter.js';
import { loadRuleSet } from '../../src/rules/rule-set.js';
import { profilesCollection } from '../../src/store/collections.js';
import type { Db } from '../../src/store/connection.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { conditions, contextFor, HELPER, NOW, profile, typedConditions, typedLeaf, TZ } from './rules-arbitraries.js';

// The prefilter is an optimisation, never the source of truth: every profile json-rules-engine
// admits must match it. Random profiles in the database × random trees and the shipped segments.

let db: Db;
const PROFILES: Profile[] = fc
  .sample(profile('x'), { numRuns: 100, seed: 7 })
  .map((p, i) => ({ ...p, _id: `p${String(i).padStart(3, '0')}` }));

beforeAll(async () => {
  db = await openTestDatabase('rules_pushdown');
  await profilesCollection(db).insertMany(PROFILES);
});
afterAll(async () => {
  await dropTestDatabase(db);
});

async function prefilterIds(segment: Segment, segments: Segment[]): Promise<Set<string> | undefined> {
  const planner = createPlanner(new Map(segments.map((s) => [s.id, s])), DEFAULT_SCORING, { now: NOW, tz: TZ });
  const { prefilter } = planner.plan(segment);
  if (!prefilter) return undefined;
  const docs = await profilesCollection(db)
    .find(prefilter, { projection: { _id: 1 } })
    .toArray();
  return new Set(docs.map((d) => d._id));
}

/** Members per segment as json-rules-engine decides them (one engine run per profile for all segments). */
async function engineMembers(targets: Segment[], all: Segment[]): Promise<Map<string, string[]>> {
  const program = compileProgram(all, DEFAULT_SCORING);
  const ctx = program.context(contextFor(PROFILES));
  const engine = createRuleEngine(targets, DEFAULT_SCORING);
  const members = new Map(targets.map((t) => [t.id, [] as string[]]));
  for (const p of PROFILES) {
    for (const o of await engine.run(p, ctx)) if (o.member) members.get(o.segment)?.push(p._id);
  }
  return members;
}

async function missedByPrefilter(
  targets: Segment[],
  all: Segment[],
): Promise<{ narrowed: number; missed: Record<string, string[]> }> {
  const members = await engineMembers(targets, all);
  const missed: Record<string, string[]> = {};
  let narrowed = 0;
  for (const t of targets) {
    const ids = await prefilterIds(t, all);
    if (!ids) continue;
    if (ids.size < PROFILES.length) narrowed += 1;
    const out = (members.get(t.id) ?? []).filter((id) => !ids.has(id));
    if (out.length > 0) missed[t.id] = out;
  }
  return { narrowed, missed };
}

test('engine members ⊆ prefilter matches, for random condition trees', async () => {
  const trees = [
    ...fc.sample(typedLeaf, { numRuns: 100, seed: 10 }).map((leaf) => ({ all: [leaf] })),
    ...fc.sample(typedConditions, { numRuns: 50, seed: 11 }),
    ...fc.sample(conditions, { numRuns: 30, seed: 12 }),
  ];
  const segments: Segment[] = trees.map((conditions, i) => ({
    id: `r${i}`,
    name: JSON.stringify(conditions),
    conditions,
  }));
  const { narrowed, missed } = await missedByPrefilter(segments, [HELPER, ...segments]);
  expect(
    Object.entries(missed).map(([id, users]) => ({ rule: segments.find((s) => s.id === id)?.name, users })),
  ).toEqual([]);
  // The property means something only if prefilters actually narrow.
  expect(narrowed).toBeGreaterThan(60);
});

test('engine members ⊆ prefilter matches, for every shipped segment; the prefilter narrows all but one', async () => {
  const segments = [...(await loadRuleSet('rules')).segments.values()];
  const { narrowed, missed } = await missedByPrefilter(segments, segments);
  expect(missed).toEqual({});
  expect(narrowed).toBeGreaterThanOrEqual(segments.length - 1);
});
