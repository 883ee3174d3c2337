import type { Comparison } from './result-shapes.js';
import type { BenchName, BenchOptions, Tier } from './args.js';
import type { Population } from './tier-population.js';

/** What every benchmark is handed. */
export interface BenchContext {
  options: BenchOptions;
  /** Progress, to stderr. */
  log(line: string): void;
  /** The seeded population of a tier (seeded on first use; one tier is kept at a time). */
  population(tier: Tier): Promise<Population>;
}

/** What one benchmark found: comparisons for the table, supporting numbers, and what they mean. */
export interface BenchPart {
  comparisons: Comparison[];
  details: Record<string, unknown>;
  notes: string[];
}

export interface Benchmark {
  name: BenchName;
  title: string;
  /** The targets this benchmark is held to, stated in the summary even when a tier did not run. */
  targets: string[];
  /** Runs once per population tier (handed the tier's population) or once. */
  tiered: boolean;
  run(ctx: BenchContext, population?: Population): Promise<BenchPart>;
  /** Comparisons across tiers, from every tier's part. */
  finish?(parts: BenchPart[]): BenchPart;
}
