import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ValidationError, formatIssues } from '../errors.js';
import { parseBenchArgs, type BenchName, type BenchOptions, type Tier } from './args.js';
import { campaignBench } from './campaign-bench.js';
import { type BenchContext, type BenchPart, type Benchmark } from './context.js';
import { PACKAGE_ROOT, RESULTS_DIR } from './setup.js';
import { evaluateBench } from './evaluate-bench.js';
import { ingestBench } from './ingest-bench.js';
import { loadBench } from './load-bench.js';
import { describeMachine, loadNow, type Machine } from './machine.js';
import { memoryBench } from './memory-bench.js';
import { openPopulation, type Population } from './tier-population.js';
import type { BenchResult } from './result-shapes.js';
import { writeResults } from './results.js';
import { sweepBench } from './sweep-bench.js';
import { benchSection } from './summary.js';

/** `npm run bench`: runs the selected benchmarks, writes bench/results, prints the summary. */

const ALL: readonly Benchmark[] = [ingestBench, evaluateBench, sweepBench, campaignBench, memoryBench, loadBench];

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** One tier's population at a time: a new tier closes the previous one's server. */
function populationPool(options: BenchOptions) {
  let current: Promise<Population> | undefined;
  let tier: Tier | undefined;
  return {
    async get(t: Tier): Promise<Population> {
      if (current && tier?.users === t.users) return current;
      await this.close();
      tier = t;
      current = openPopulation(t, options.seed, options.quick, log);
      return current;
    },
    async close(): Promise<void> {
      const open = current;
      current = undefined;
      if (open) await (await open.catch(() => undefined))?.close();
    },
  };
}

async function runOne(b: Benchmark, ctx: BenchContext, population?: Population): Promise<BenchPart> {
  log(`bench ${b.name}${population ? ` @ ${population.tier.label}` : ''}`);
  try {
    return await b.run(ctx, population);
  } catch (err) {
    log(`bench ${b.name} failed: ${(err as Error).stack ?? String(err)}`);
    return {
      comparisons: [],
      details: {},
      notes: [`**failed**${population ? ` at ${population.tier.label}` : ''}: ${(err as Error).message}`],
    };
  }
}

function combine(parts: readonly BenchPart[]): BenchPart {
  return {
    comparisons: parts.flatMap((p) => p.comparisons),
    details: Object.assign({}, ...parts.map((p) => p.details)) as Record<string, unknown>,
    notes: parts.flatMap((p) => p.notes),
  };
}

/** The commit measured, when the package is a git checkout. */
function codeVersion(): BenchResult['code'] {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    };
  } catch {
    return undefined;
  }
}

function resultOf(
  b: Benchmark,
  part: BenchPart,
  machine: Machine,
  options: BenchOptions,
  startedAt: Date,
  server: string,
): BenchResult {
  const code = codeVersion();
  return {
    name: b.name,
    title: b.title,
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    server,
    ...(code ? { code } : {}),
    options: { quick: options.quick, tiers: options.tiers.map((t) => t.label), reps: options.reps, seed: options.seed },
    targets: b.targets,
    ...part,
  };
}

export async function runBench(options: BenchOptions): Promise<{ results: BenchResult[]; failed: boolean }> {
  const startedAt = new Date();
  const machine = describeMachine();
  const pool = populationPool(options);
  const ctx: BenchContext = { options, log, population: (t) => pool.get(t) };
  const benches = ALL.filter((b) => options.only.includes(b.name));
  const parts = new Map<BenchName, BenchPart[]>(benches.map((b) => [b.name, []]));
  log(
    `tideflow bench: ${benches.map((b) => b.name).join(', ')}; tiers ${options.tiers.map((t) => t.label).join(', ')}; ` +
      `${options.reps} repetitions; load ${machine.loadAtStart.join(' ')}`,
  );
  try {
    for (const b of benches.filter((x) => !x.tiered)) parts.get(b.name)?.push(await runOne(b, ctx));
    for (const tier of options.tiers) {
      for (const b of benches.filter((x) => x.tiered)) {
        const population = await pool.get(tier);
        parts.get(b.name)?.push(await runOne(b, ctx, population));
      }
      await pool.close();
    }
  } finally {
    await pool.close();
  }
  machine.loadAtEnd = loadNow();
  const server = process.env.MONGODB_URI
    ? 'MONGODB_URI (external server)'
    : 'embedded mongo-java-server 1.47, in-memory backend, one fresh server per benchmark or tier';
  const results = benches.map((b) => {
    const own = parts.get(b.name) ?? [];
    const part = combine(b.finish ? [...own, b.finish(own)] : own);
    return resultOf(b, part, machine, options, startedAt, server);
  });
  return { results, failed: results.some((r) => r.notes.some((n) => n.startsWith('**failed**'))) };
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv, RESULTS_DIR);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    log(`${err.message.split('\n').slice(1).join('\n')}\n${formatIssues(err)}`);
    return 1;
  }
  const { results, failed } = await runBench(options);
  const files = await writeResults(options.outDir, results);
  process.stdout.write(`${results.flatMap(benchSection).join('\n')}\n`);
  log(`wrote ${files.join(', ')}`);
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      log((err as Error).stack ?? String(err));
      process.exitCode = 2;
    },
  );
}
