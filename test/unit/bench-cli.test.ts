// The bench command line and the shape of its result files; nothing here measures anything.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseBenchArgs, parseTier } from '../../src/bench/args.js';
import { BENCH_NOW, BENCH_TZ, RESULTS_DIR } from '../../src/bench/setup.js';
import { CANONICAL_RULE, inMemoryProfiles, memoryReader } from '../../src/bench/evaluate-bench.js';
import { oldRedeemedStrongIntentBond } from '../../src/bench/hand-written.js';
import { atLeast, atMost, compare, measure, type BenchResult } from '../../src/bench/result-shapes.js';
import { writeResults } from '../../src/bench/results.js';
import { summaryMarkdown } from '../../src/bench/summary.js';
import { heapForUsers } from '../../src/bench/server.js';
import { ValidationError } from '../../src/errors.js';
import { prepareEvaluation } from '../../src/evaluate/prepare-evaluation.js';
import { loadRuleSet } from '../../src/rules/rule-set.js';

function issuesOf(args: string[]): { path: string; message: string; hint?: string }[] {
  try {
    parseBenchArgs(args, 'out');
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

test('defaults: the full suite on 10k and 100k with 3 repetitions; --quick on small tiers with 2', () => {
  expect(parseBenchArgs([], 'out')).toMatchObject({
    quick: false,
    reps: 3,
    outDir: 'out',
    only: ['ingest', 'evaluate', 'sweep', 'campaign', 'memory'],
  });
  expect(parseBenchArgs([], 'out').tiers.map((t) => t.users)).toEqual([10_000, 100_000]);
  expect(parseBenchArgs(['--quick'], 'out')).toMatchObject({
    quick: true,
    reps: 2,
    tiers: [{ users: 1000 }, { users: 2000 }],
  });
});

test('tiers are sizes from 100 to 1m, sorted and deduplicated; --only keeps the suite order', () => {
  expect(parseTier('1.5k')).toEqual({ label: '1.5k', users: 1500 });
  expect(parseTier('1M')).toEqual({ label: '1m', users: 1_000_000 });
  expect(parseTier('ten')).toBeUndefined();
  expect(parseBenchArgs(['--tiers', '1m,10k,10000'], 'o').tiers.map((t) => t.users)).toEqual([10_000, 1_000_000]);
  expect(parseBenchArgs(['--only', 'memory,sweep'], 'o').only).toEqual(['sweep', 'memory']);
});

test('every bad argument is reported, with the flag and a hint for a misspelt benchmark', () => {
  expect(issuesOf(['--only', 'swep', '--tiers', '50,2m', '--reps', '0'])).toEqual([
    { path: '--only', message: expect.stringContaining('unknown benchmark "swep"'), hint: 'did you mean sweep?' },
    { path: '--tiers', message: expect.stringContaining('"50" is not a population size') },
    { path: '--tiers', message: '2m: at most 1m users' },
    { path: '--reps', message: 'an integer from 1 to 20, got "0"' },
  ]);
  expect(issuesOf(['--fast'])).toEqual([{ path: 'arguments', message: expect.stringContaining("'--fast'") }]);
  expect(issuesOf(['extra'])).toEqual([{ path: 'arguments', message: expect.stringContaining("'extra'") }]);
});

const Measure = z.strictObject({
  name: z.string(),
  median: z.number(),
  unit: z.string(),
  samples: z.array(z.number()).min(1),
});
const Comparison = z.strictObject({
  tier: z.string().optional(),
  subject: Measure,
  reference: Measure,
  ratio: z.number(),
  ratioOf: z.string(),
  target: z.strictObject({ text: z.string(), met: z.boolean(), gap: z.string().optional() }).optional(),
  peaks: z
    .strictObject({ nodePeakMb: z.number(), serverPeakMb: z.number().optional(), serverHwmMb: z.number().optional() })
    .optional(),
});
/** What every `bench/results/*.json` holds. */
const ResultFile = z.strictObject({
  name: z.enum(['ingest', 'evaluate', 'sweep', 'campaign', 'memory']),
  title: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  machine: z.object({
    cpuModel: z.string(),
    cores: z.number().int().min(1),
    memoryGb: z.number(),
    node: z.string(),
    loadAtStart: z.array(z.number()).length(3),
  }),
  options: z.strictObject({
    quick: z.boolean(),
    tiers: z.array(z.string()),
    reps: z.number().int(),
    seed: z.number().int(),
  }),
  server: z.string().optional(),
  code: z.strictObject({ commit: z.string(), dirty: z.boolean() }).optional(),
  targets: z.array(z.string()).min(1),
  comparisons: z.array(Comparison),
  details: z.record(z.string(), z.unknown()),
  notes: z.array(z.string()),
});

function aResult(tier: string, startedAt: string): BenchResult {
  const subject = measure('ingest, batch verb', 'events/s', [900, 1000, 1100]);
  const c = compare(subject, measure('raw insertMany', 'events/s', [4000]), 'events/s ÷ insertMany events/s', { tier });
  return {
    name: 'ingest',
    title: 'Ingest throughput',
    date: '2026-11-20',
    startedAt,
    finishedAt: startedAt,
    machine: {
      cpuModel: 'test cpu',
      cores: 2,
      memoryGb: 8,
      freeMemoryGb: 4,
      node: 'v20',
      os: 'linux',
      loadAtStart: [1, 1, 1],
    },
    options: { quick: true, tiers: [tier], reps: 3, seed: 42 },
    targets: ['≥ 0.5×'],
    comparisons: [{ ...c, target: atLeast(c.ratio, 0.5) }],
    details: {},
    notes: ['a note'],
  };
}

test("quick results: one JSON per benchmark, the day's summary and latest-quick.md; a later run adds its tiers", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-'));
  try {
    await writeResults(dir, [aResult('1k', '2026-11-20T01:00:00.000Z')]);
    await writeResults(dir, [aResult('2k', '2026-11-20T02:00:00.000Z')]);
    expect((await readdir(dir)).sort()).toEqual([
      '2026-11-20-quick-ingest.json',
      '2026-11-20-quick-summary.md',
      'latest-quick.md',
    ]);
    const json = ResultFile.parse(JSON.parse(await readFile(join(dir, '2026-11-20-quick-ingest.json'), 'utf8')));
    expect(json.comparisons.map((c) => [c.tier, c.ratio, c.target?.met])).toEqual([
      ['1k', 0.25, false],
      ['2k', 0.25, false],
    ]);
    expect(json.comparisons[0]?.target?.gap).toBe('0.25× is 2× short of 0.5×');
    const summary = await readFile(join(dir, 'latest-quick.md'), 'utf8');
    expect(summary).toContain('| 2k | ingest, batch verb | 1,000 events/s | raw insertMany | 4,000 events/s | 0.25×');
    expect(summary).toContain('**missed** (1k) ingest, batch verb vs raw insertMany: 0.25× is 2× short of 0.5×');
    expect(summary).toContain('2 × test cpu, 8 GB RAM');
    expect(summary).toMatch(/ingest 2026-11-20 0[12]:00 UTC \(code unknown\)/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the summary says on which commit and when each benchmark ran', () => {
  const ingest = { ...aResult('1k', '2026-11-20T01:00:00.000Z'), code: { commit: 'aaaaaaa', dirty: false } };
  const sweep = {
    ...aResult('1k', '2026-11-20T03:00:00.000Z'),
    name: 'sweep',
    code: { commit: 'bbbbbbb', dirty: true },
  };
  const text = summaryMarkdown([ingest, { ...sweep, machine: { ...sweep.machine, loadAtEnd: [2, 2, 2] } }], 't');
  expect(text).toContain(
    'ingest 2026-11-20 01:00 UTC (commit aaaaaaa); sweep 2026-11-20 03:00 UTC (commit bbbbbbb with uncommitted changes, load 1 → 2)',
  );
});

test('a time ratio over its ceiling says by how much', () => {
  expect(atMost(3, 1.5)).toEqual({ text: '≤ 1.5×', met: false, gap: '3× is 2× over 1.5×' });
  expect(atMost(1.2, 1.5)).toEqual({ text: '≤ 1.5×', met: true });
});

test('the committed result files have the shape the summary is written from', () => {
  const files = existsSync(RESULTS_DIR) ? readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json')) : [];
  for (const f of files)
    expect(() => ResultFile.parse(JSON.parse(readFileSync(join(RESULTS_DIR, f), 'utf8')))).not.toThrow();
});

test('the hand-written predicate finds the members the compiled evaluator finds', async () => {
  const rules = await loadRuleSet('rules');
  const profiles = inMemoryProfiles(600, 7, rules.scoring.retentionDays);
  const e = await prepareEvaluation(
    { reader: memoryReader(profiles), rules, clock: () => BENCH_NOW, tz: BENCH_TZ },
    [CANONICAL_RULE],
    BENCH_NOW,
  );
  const target = e.targets[0];
  if (!target) throw new Error('no target');
  const hand = oldRedeemedStrongIntentBond(rules.scoring, { now: BENCH_NOW, tz: BENCH_TZ });
  const byEvaluator = profiles.filter((p) => target.test(e.program.row(p, e.ctx))).map((p) => p._id);
  expect(byEvaluator.length).toBeGreaterThan(0);
  expect(profiles.filter(hand).map((p) => p._id)).toEqual(byEvaluator);
});

test('the embedded server gets the heap a tier needs: the JVM default for small tiers, more for 1m, never over three quarters of memory', () => {
  const machineMb = 24_000;
  expect(heapForUsers(10_000, machineMb)).toBe(6_000);
  expect(heapForUsers(100_000, machineMb)).toBe(6_000);
  // 1m stored profiles take about 11 GB of heap on the in-memory backend.
  expect(heapForUsers(600_000, machineMb)).toBeGreaterThan(11_000);
  expect(heapForUsers(1_000_000, machineMb)).toBeGreaterThan(17_000);
  expect(heapForUsers(1_000_000, machineMb)).toBeLessThan(18_000);
  expect(heapForUsers(1_000_000, 16_000)).toBe(12_000);
});
