import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCHMARKS } from './args.js';
import type { BenchResult, Comparison } from './result-shapes.js';
import { summaryMarkdown } from './summary.js';

/**
 * Result files: `<date>-<name>.json` per benchmark (`<date>-quick-<name>.json` for quick runs),
 * `<date>-summary.md` over every benchmark of that day, and `latest.md` (`latest-quick.md`).
 * A later run of the same day replaces the comparisons it measured again (same tier, subject
 * and reference) and keeps the others, so a long tier can be added by a run of its own.
 */

const key = (c: Comparison): string => `${c.tier ?? ''}|${c.subject.name}|${c.reference.name}`;

export function mergeResults(earlier: BenchResult, later: BenchResult): BenchResult {
  const replaced = new Set(later.comparisons.map(key));
  // A run that measured everything the earlier one did replaces it whole, notes included.
  if (earlier.comparisons.every((c) => replaced.has(key(c)))) return later;
  const tiers = [...new Set([...earlier.options.tiers, ...later.options.tiers])];
  return {
    ...later,
    startedAt: earlier.startedAt < later.startedAt ? earlier.startedAt : later.startedAt,
    options: { ...later.options, tiers },
    comparisons: [...earlier.comparisons.filter((c) => !replaced.has(key(c))), ...later.comparisons],
    details: { ...earlier.details, ...later.details },
    notes: [...new Set([...earlier.notes, ...later.notes])],
  };
}

function prefix(date: string, quick: boolean): string {
  return quick ? `${date}-quick-` : `${date}-`;
}

async function readResult(file: string): Promise<BenchResult | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BenchResult;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes each result (merged with the day's earlier one), then the day's summary and the latest copy. */
export async function writeResults(dir: string, results: readonly BenchResult[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const r of results) {
    const file = join(dir, `${prefix(r.date, r.options.quick)}${r.name}.json`);
    const earlier = await readResult(file);
    await writeFile(file, `${JSON.stringify(earlier ? mergeResults(earlier, r) : r, null, 2)}\n`);
    written.push(file);
  }
  const first = results[0];
  if (!first) return written;
  const pre = prefix(first.date, first.options.quick);
  const names = new Set(await readdir(dir));
  const day: BenchResult[] = [];
  for (const name of BENCHMARKS) {
    if (!names.has(`${pre}${name}.json`)) continue;
    const r = await readResult(join(dir, `${pre}${name}.json`));
    if (r) day.push(r);
  }
  const title = `Tideflow benchmarks, ${first.date}${first.options.quick ? ' (quick: sizes too small to judge speed)' : ''}`;
  const summary = join(dir, `${pre}summary.md`);
  await writeFile(summary, summaryMarkdown(day, title));
  const latest = join(dir, first.options.quick ? 'latest-quick.md' : 'latest.md');
  await copyFile(summary, latest);
  written.push(summary, latest);
  return written;
}
