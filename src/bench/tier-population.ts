import { generatePlatform } from '../demo/generator.js';
import { seedPlatform, type DemoRun } from '../demo/steps.js';
import { openTideflow, type Tideflow } from '../main.js';
import { profilesCollection } from '../store/collections.js';
import type { Db } from '../store/connection.js';
import type { Tier } from './args.js';
import { BENCH_NOW, BENCH_TZ, HISTORY_DAYS, benchConfig } from './setup.js';
import { storedProfileOf } from './profile-docs.js';
import { startBenchServer, type BenchServer } from './server.js';

/**
 * A tier's population in a database of its own server: seeded through ingest (profiles, then
 * events, as `tideflow demo` does), or — where the server could not hold the raw events — as
 * stored profile documents folded from the same model (profile-docs.ts).
 */
export type SeedVia = 'ingest' | 'profiles';

export interface Seeding {
  via: SeedVia;
  users: number;
  /** Events generated (and, through ingest, stored). */
  events: number;
  seconds: number;
  /** Why this way. */
  reason: string;
}

export interface Population {
  tier: Tier;
  server: BenchServer;
  db: Db;
  /** Tideflow over the population with the clock fixed at the end of its history. */
  tf: Tideflow;
  seeding: Seeding;
  close(): Promise<void>;
}

/** Above this many users, tiers are seeded as profile documents (see `seedReason`). */
export const INGEST_SEED_MAX_USERS = 10_000;

export function seedVia(tier: Tier, quick: boolean): { via: SeedVia; reason: string } {
  if (quick)
    return {
      via: 'profiles',
      reason: 'quick run: profile documents folded from the model (ingest is measured by the ingest benchmark)',
    };
  if (tier.users <= INGEST_SEED_MAX_USERS)
    return { via: 'ingest', reason: 'events through the ingest verb, as `tideflow demo` seeds' };
  return {
    via: 'profiles',
    reason:
      'profile documents folded from the model: the in-memory test server keeps about 11 KB of Java heap per ' +
      'profile and more per raw event (about 32 events per user), and its guarded profile upserts slow down as the profiles grow in number',
  };
}

export async function openPopulation(
  tier: Tier,
  seed: number,
  quick: boolean,
  log: (line: string) => void,
): Promise<Population> {
  const server = await startBenchServer(tier.users);
  const db = await server.open(`pop_${tier.label}`);
  await db.dropDatabase();
  const tf = await openTideflow(benchConfig(), { db, clock: () => new Date(BENCH_NOW) });
  try {
    const { via, reason } = seedVia(tier, quick);
    log(`  seeding ${tier.label} (${tier.users} users) via ${via}…`);
    const started = performance.now();
    const counts =
      via === 'ingest'
        ? await seedThroughIngest(tf, tier.users, seed, log)
        : await seedProfiles(db, tier.users, seed, tf.scoring.retentionDays);
    const seeding = { via, reason, ...counts, seconds: (performance.now() - started) / 1000 };
    log(`  seeded ${tier.label}: ${counts.users} users, ${counts.events} events in ${seeding.seconds.toFixed(0)} s`);
    return {
      tier,
      server,
      db,
      tf,
      seeding,
      close: async () => {
        await tf.close();
        await db.close();
        await server.stop();
      },
    };
  } catch (err) {
    await tf.close();
    await server.stop();
    throw err;
  }
}

async function seedThroughIngest(
  tf: Tideflow,
  users: number,
  seed: number,
  log: (line: string) => void,
): Promise<{ users: number; events: number }> {
  const started = performance.now();
  const run: DemoRun = {
    ports: { ingest: tf.ingest, profiles: tf.profiles, demo: tf.demo, population: tf.population },
    options: { seed, users, now: BENCH_NOW, days: HISTORY_DAYS, reset: false },
    io: { out: () => undefined, err: (line) => log(`  ${line.trim()}`) },
    elapsed: () => performance.now() - started,
    results: {},
  };
  await seedPlatform.run(run);
  const result = run.results.seed;
  return { users: result?.users ?? 0, events: result?.accepted ?? 0 };
}

/** Profile documents in batches of 1000, one batch written while the next is folded. */
export async function seedProfiles(
  db: Db,
  users: number,
  seed: number,
  retentionDays: number,
): Promise<{ users: number; events: number }> {
  const profiles = profilesCollection(db);
  const fold = { now: BENCH_NOW, tz: BENCH_TZ, retentionDays };
  let batch: ReturnType<typeof storedProfileOf>[] = [];
  let writing: Promise<unknown> = Promise.resolve();
  let events = 0;
  for (const user of generatePlatform({ seed, users, now: BENCH_NOW, days: HISTORY_DAYS })) {
    batch.push(storedProfileOf(user, fold));
    events += user.events.length;
    if (batch.length >= 1000) {
      await writing;
      writing = profiles.insertMany(batch, { ordered: false });
      batch = [];
    }
  }
  await writing;
  if (batch.length > 0) await profiles.insertMany(batch, { ordered: false });
  return { users, events };
}
