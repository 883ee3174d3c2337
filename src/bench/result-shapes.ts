import type { Machine } from './machine.js';
import type { MemoryPeaks } from './measure.js';
import { median, sig } from './measure.js';

/** The shapes results are written in, and the targets they are held to. */

export interface Measure {
  name: string;
  /** The median of `samples`, in `unit`. */
  median: number;
  unit: string;
  samples: number[];
}

export interface Target {
  /** e.g. `≥ 0.5×` */
  text: string;
  met: boolean;
  /** When missed: by how much, in words. */
  gap?: string;
}

/** A subject against its reference, measured in the same process run. */
export interface Comparison {
  /** Population tier, e.g. `100k`, when the comparison depends on one. */
  tier?: string;
  subject: Measure;
  reference: Measure;
  /** subject ÷ reference, in the sense `ratioOf` says. */
  ratio: number;
  ratioOf: string;
  target?: Target;
  /** Resident memory while the subject ran. */
  peaks?: MemoryPeaks;
}

export interface BenchResult {
  name: string;
  title: string;
  /** Day of the run (UTC), as in the file name. */
  date: string;
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  options: { quick: boolean; tiers: string[]; reps: number; seed: number };
  /** The database server the numbers came from. */
  server?: string;
  /** The code measured: the commit, and whether the working tree had changes on top of it. */
  code?: { commit: string; dirty: boolean };
  targets: string[];
  comparisons: Comparison[];
  details: Record<string, unknown>;
  notes: string[];
}

export function measure(name: string, unit: string, samples: readonly number[]): Measure {
  return { name, unit, median: sig(median(samples)), samples: samples.map(sig) };
}

/** Target `ratio ≥ min`. */
export function atLeast(ratio: number, min: number): Target {
  const met = ratio >= min;
  return { text: `≥ ${min}×`, met, ...(met ? {} : { gap: `${sig(ratio)}× is ${sig(min / ratio)}× short of ${min}×` }) };
}

/** Target `ratio ≤ max`. */
export function atMost(ratio: number, max: number): Target {
  const met = ratio <= max;
  return { text: `≤ ${max}×`, met, ...(met ? {} : { gap: `${sig(ratio)}× is ${sig(ratio / max)}× over ${max}×` }) };
}

/** A comparison where higher subject values are better (rates): ratio = subject ÷ reference. */
export function compare(
  subject: Measure,
  reference: Measure,
  ratioOf: string,
  extra: Partial<Comparison> = {},
): Comparison {
  return { ...extra, subject, reference, ratio: sig(subject.median / reference.median), ratioOf };
}
