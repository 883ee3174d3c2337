import { parseArgs } from 'node:util';
import { ValidationError, type Issue } from '../errors.js';
import { closestName } from '../rules/closest-name.js';

/** The benchmarks, in the order they run. */
export const BENCHMARKS = ['ingest', 'evaluate', 'sweep', 'campaign', 'memory', 'load'] as const;
export type BenchName = (typeof BENCHMARKS)[number];

/** A population size, as written on the command line (`10k`) and as a count. */
export interface Tier {
  label: string;
  users: number;
}

export interface BenchOptions {
  /** Small sizes, few repetitions: keeps the suite alive in CI, says nothing about speed. */
  quick: boolean;
  only: BenchName[];
  /** Population sizes of the sweep, campaign and memory benchmarks, ascending. */
  tiers: Tier[];
  /** Repetitions per measurement; medians are reported. */
  reps: number;
  /** Where results are written. */
  outDir: string;
  /** Seed of the synthetic platform. */
  seed: number;
  /** Events the load benchmark posts through the API. @defaultValue 1m (20k with --quick) */
  loadEvents: number;
  /** The load benchmark's database when MONGODB_URI is unset: the embedded server in memory or on its H2 file. @defaultValue memory */
  loadDb: 'memory' | 'h2';
}

export const USAGE = `usage: npm run bench [-- --quick] [-- --only ingest,evaluate,sweep,campaign,memory,load]
                   [-- --tiers 10k,100k,1m] [-- --reps 3] [-- --out bench/results] [-- --seed 42]
                   [-- --load-events 1m] [-- --load-db memory|h2]`;

const MAX_USERS = 1_000_000;

/** `10k` → 10 000, `1m` → 1 000 000, `2500` → 2 500; undefined when not a size. */
export function parseTier(text: string): Tier | undefined {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, k: 1_000, m: 1_000_000 }[(m[2] ?? '').toLowerCase()] ?? 1;
  const users = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(users) && users >= 100 ? { label: text.trim().toLowerCase(), users } : undefined;
}

function parseTiers(text: string, issues: Issue[]): Tier[] {
  const tiers: Tier[] = [];
  for (const part of text.split(',')) {
    const tier = parseTier(part);
    if (!tier)
      issues.push({
        path: '--tiers',
        message: `"${part}" is not a population size of at least 100 (e.g. 10k, 100k, 1m)`,
      });
    else if (tier.users > MAX_USERS) issues.push({ path: '--tiers', message: `${part}: at most 1m users` });
    else tiers.push(tier);
  }
  return tiers.sort((a, b) => a.users - b.users).filter((t, i, all) => all.findIndex((u) => u.users === t.users) === i);
}

function parseOnly(text: string, issues: Issue[]): BenchName[] {
  const names = text.split(',').map((s) => s.trim());
  for (const n of names) {
    if ((BENCHMARKS as readonly string[]).includes(n)) continue;
    const near = closestName(n, BENCHMARKS);
    issues.push({
      path: '--only',
      message: `unknown benchmark "${n}" (one of ${BENCHMARKS.join(', ')})`,
      ...(near ? { hint: `did you mean ${near}?` } : {}),
    });
  }
  return BENCHMARKS.filter((b) => names.includes(b));
}

function intOption(
  flag: string,
  text: string | undefined,
  min: number,
  max: number,
  fallback: number,
  issues: Issue[],
): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  issues.push({ path: flag, message: `an integer from ${min} to ${max}, got "${text}"` });
  return fallback;
}

/** Parses the bench command line; every problem is an issue of one ValidationError. */
export function parseBenchArgs(args: readonly string[], defaultOutDir: string): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        quick: { type: 'boolean' },
        only: { type: 'string' },
        tiers: { type: 'string' },
        reps: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        'load-events': { type: 'string' },
        'load-db': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ValidationError(`invalid arguments\n${USAGE}`, [{ path: 'arguments', message: (err as Error).message }]);
  }
  const quick = values.quick ?? false;
  const issues: Issue[] = [];
  // The load run (a server under a million events) runs only when named.
  const only = values.only === undefined ? BENCHMARKS.filter((b) => b !== 'load') : parseOnly(values.only, issues);
  const tiers = parseTiers(values.tiers ?? (quick ? '1k,2k' : '10k,100k'), issues);
  const reps = intOption('--reps', values.reps, 1, 20, quick ? 2 : 3, issues);
  const seed = intOption('--seed', values.seed, 0, 2 ** 31 - 1, 42, issues);
  if (values.out === '') issues.push({ path: '--out', message: 'a directory' });
  const loadEvents = parseTier(values['load-events'] ?? (quick ? '20k' : '1m'));
  if (!loadEvents || loadEvents.users > 100_000_000)
    issues.push({ path: '--load-events', message: 'a count of at least 100 (e.g. 50k, 1m)' });
  const loadDb = values['load-db'] ?? 'memory';
  if (loadDb !== 'memory' && loadDb !== 'h2')
    issues.push({ path: '--load-db', message: 'memory or h2 (or set MONGODB_URI)' });
  if (issues.length > 0) throw new ValidationError(`invalid arguments\n${USAGE}`, issues);
  return {
    quick,
    only,
    tiers,
    reps,
    outDir: values.out ?? defaultOutDir,
    seed,
    loadEvents: loadEvents?.users ?? 0,
    loadDb: loadDb === 'h2' ? 'h2' : 'memory',
  };
}
