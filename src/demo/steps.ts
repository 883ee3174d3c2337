import { ConflictError } from '../errors.js';
import { ingest, type IngestPorts } from '../ingest/ingest.js';
import {
  summarizePopulation,
  type PopulationSummary,
  type PopulationSummaryPorts,
} from '../metrics/population-summary.js';
import { parseProfileRecords } from '../ingest/profile-records.js';
import { generatePlatform, type PlatformOptions } from './generator.js';
import type { DemoStore } from '../ports/demo-store.js';
import { formatPopulationSummary, formatSeconds, grouped } from './summary-format.js';
import type { ProfileStore } from '../ports/profile-store.js';

/**
 * `tideflow demo` as a list of steps over one shared run: each step does one thing (prepare the
 * database, seed it, summarise it…), prints its section and leaves its result for the next.
 * Later capabilities add steps (segments, campaigns, reports) without touching these.
 */

export interface DemoPorts {
  ingest: IngestPorts;
  profiles: Pick<ProfileStore, 'updateMany'>;
  demo: DemoStore;
  population: PopulationSummaryPorts;
}

export interface DemoOptions extends PlatformOptions {
  /** Erase a database that holds data but is not a demo database. @defaultValue false */
  reset: boolean;
  /** Events per ingest batch (whole users: a batch closes after the user that reaches it). @defaultValue 5000 */
  batchEvents?: number;
}

export interface DemoOutput {
  /** The summary. */
  out(line: string): void;
  /** Progress. */
  err(line: string): void;
}

export interface SeedResult {
  users: number;
  events: number;
  accepted: number;
  duplicates: number;
}

export interface DemoRun {
  ports: DemoPorts;
  options: DemoOptions;
  io: DemoOutput;
  /** Milliseconds since the run started. */
  elapsed(): number;
  /** What the steps produced, for the steps after them. */
  results: { seed?: SeedResult; population?: PopulationSummary };
}

export interface DemoStep {
  name: string;
  run(run: DemoRun): Promise<void>;
}

export const prepareDatabase: DemoStep = {
  name: 'prepare the database',
  async run({ ports, options }) {
    const marker = await ports.demo.readMarker();
    if (!marker && !options.reset && !(await ports.demo.isEmpty())) {
      throw new ConflictError(
        'the database holds data and is not a demo database; nothing was changed ' +
          '(run with --reset to erase it, or set TIDEFLOW_DB or TIDEFLOW_DATA_DIR to use another database)',
      );
    }
    await ports.demo.reset({
      seed: options.seed,
      users: options.users,
      days: options.days,
      now: options.now.toISOString(),
    });
  },
};

export const seedPlatform: DemoStep = {
  name: 'seed the synthetic platform',
  async run(run) {
    const { ports, options, io } = run;
    const batchEvents = options.batchEvents ?? 5000;
    const result: SeedResult = { users: 0, events: 0, accepted: 0, duplicates: 0 };
    let profiles: unknown[] = [];
    let events: unknown[] = [];
    // One batch is written while the next is generated; a write error surfaces at the next await.
    let writing: Promise<void> = Promise.resolve();
    let reported = run.elapsed();
    const flush = async (): Promise<void> => {
      await writing;
      writing = writeBatch(ports, profiles, events, result);
      profiles = [];
      events = [];
      if (run.elapsed() - reported >= 2000) {
        reported = run.elapsed();
        io.err(
          `  ${grouped(result.users)}/${grouped(options.users)} users, ${grouped(result.events)} events, ${formatSeconds(reported)}`,
        );
      }
    };
    for (const user of generatePlatform(options)) {
      profiles.push(user.profile);
      events.push(...user.events);
      result.users++;
      result.events += user.events.length;
      if (events.length >= batchEvents) await flush();
    }
    await flush();
    await writing;
    run.results.seed = result;
  },
};

/** Profiles and events go through the same parsing and ingest as `tideflow import`. */
async function writeBatch(ports: DemoPorts, profiles: unknown[], events: unknown[], result: SeedResult): Promise<void> {
  if (profiles.length > 0) await ports.profiles.updateMany(parseProfileRecords(profiles), ports.ingest.clock());
  if (events.length === 0) return;
  const r = await ingest(ports.ingest, events);
  result.accepted += r.accepted;
  result.duplicates += r.duplicates;
}

export const summarize: DemoStep = {
  name: 'summarise the population',
  async run(run) {
    const summary = await summarizePopulation(run.ports.population, { now: run.options.now });
    run.results.population = summary;
    for (const line of formatPopulationSummary(summary, run.ports.population.tz, run.results.seed)) run.io.out(line);
  },
};

export const DEMO_STEPS: readonly DemoStep[] = [prepareDatabase, seedPlatform, summarize];

/** Runs the steps in order, with progress on `err`, then prints the elapsed time per step. */
export async function runDemo(run: DemoRun, steps: readonly DemoStep[] = DEMO_STEPS): Promise<void> {
  const timings: string[] = [];
  for (const step of steps) {
    const started = run.elapsed();
    run.io.err(`demo: ${step.name}…`);
    await step.run(run);
    timings.push(`${step.name} ${formatSeconds(run.elapsed() - started)}`);
  }
  run.io.out('');
  run.io.out(`elapsed ${formatSeconds(run.elapsed())} (${timings.join(', ')})`);
}
