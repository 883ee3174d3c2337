import { Readable } from 'node:stream';
import { generatePlatform, type GeneratedUser } from '../demo/generator.js';
import type { EventInput } from '../domain/event.js';
import { openTideflow, type Tideflow } from '../main.js';
import { ingestEvents } from '../ingest/ingest.js';
import { EVENT_IMPORT_IN_FLIGHT, eventImport, importNdjson } from '../ingest/import-ndjson.js';
import { inPool } from '../deliver/outbox.js';
import { parseEvents } from '../ingest/parse-events.js';
import { parseProfileRecords } from '../ingest/profile-records.js';
import { eventsCollection } from '../store/collections.js';
import type { Db } from '../store/connection.js';
import { type Benchmark, type BenchContext, type BenchPart } from './context.js';
import { BENCH_NOW, BENCH_TZ, HISTORY_DAYS, benchConfig } from './setup.js';
import { profilesEqual } from './profile-compare.js';
import { parsedEvents } from './profile-docs.js';
import { describeCpu, meterCpu, sampleMemory, timed, type CpuSplit, type MemoryPeaks } from './measure.js';
import { atLeast, compare, measure } from './result-shapes.js';
import { dropDatabase, startBenchServer, type BenchServer } from './server.js';
import { describeTimes, timedPorts, type PortTime } from './timed-ports.js';
import { slices } from './slices.js';

/**
 * Ingest: events/s through the batch verb (POST /v1/events' path: parse, then ingestEvents, in
 * batches of 1000) and through `tideflow import`'s path (NDJSON lines, batches of 1000), against
 * raw unordered insertMany of the same stored event documents into the same server. Every run
 * starts from an empty database; the three alternate within each repetition.
 */

const BATCH = 1000;

interface Sample {
  users: GeneratedUser[];
  events: EventInput[];
}

function sampleOf(users: number, seed: number): Sample {
  const list = [...generatePlatform({ seed, users, now: BENCH_NOW, days: HISTORY_DAYS })];
  return { users: list, events: list.flatMap((u) => u.events) };
}

type Method = 'batch' | 'import' | 'insertMany' | 'insertManyInFlight';

async function openFresh(server: BenchServer, name: string, sample: Sample): Promise<{ db: Db; tf: Tideflow }> {
  const db = await server.open(name);
  await db.dropDatabase();
  const tf = await openTideflow(benchConfig(), { db, clock: () => new Date(BENCH_NOW) });
  await tf.profiles.updateMany(parseProfileRecords(sample.users.map((u) => u.profile)), BENCH_NOW);
  return { db, tf };
}

async function runBatchVerb(tf: Tideflow, sample: Sample, phases: Record<string, PortTime>): Promise<void> {
  const ports = { ...tf.ingest, ...timedPorts({ events: tf.ingest.events, profiles: tf.ingest.profiles }, phases) };
  for (const items of slices(sample.events, BATCH)) {
    const started = performance.now();
    const events = parseEvents(items);
    const parse = (phases.parse ??= { ms: 0, calls: 0 });
    parse.ms += performance.now() - started;
    parse.calls += 1;
    await ingestEvents(ports, events);
  }
}

async function runImport(tf: Tideflow, sample: Sample): Promise<void> {
  const text = sample.events.map((e) => JSON.stringify(e)).join('\n');
  const chunks = Readable.from(
    (function* () {
      for (let i = 0; i < text.length; i += 65_536) yield text.slice(i, i + 65_536);
    })(),
  );
  const summary = await importNdjson(chunks, eventImport(tf.ingest), { batchSize: BATCH });
  if (summary.rejectedBatches > 0) throw new Error(`import rejected ${summary.rejectedLines} generated lines`);
}

/**
 * The documents ingest stores, built before timing: the reference only writes, `inFlight` batches
 * at once (the import path's concurrency, for its own reference).
 */
async function runInsertMany(db: Db, sample: Sample, inFlight: number): Promise<number> {
  const docs = sample.users
    .flatMap(parsedEvents)
    .map(({ id, ...rest }) => ({ _id: id, ...rest, batch: 'bench', receivedAt: BENCH_NOW }));
  const events = eventsCollection(db);
  const all = [...slices(docs, BATCH)];
  return timed(() =>
    inPool(all, inFlight, async (b) => {
      await events.insertMany(b, { ordered: false });
    }),
  );
}

async function once(
  server: BenchServer,
  sample: Sample,
  method: Method,
  phases: Record<string, PortTime>,
): Promise<{ ms: number; peaks: MemoryPeaks; cpu: CpuSplit; db: Db; tf: Tideflow }> {
  const { db, tf } = await openFresh(server, `ingest_${method}`, sample);
  const memory = sampleMemory(server.pid);
  const cpu = meterCpu(server.pid);
  let ms: number;
  if (method === 'insertMany' || method === 'insertManyInFlight')
    ms = await runInsertMany(db, sample, method === 'insertMany' ? 1 : EVENT_IMPORT_IN_FLIGHT);
  else ms = await timed(() => (method === 'batch' ? runBatchVerb(tf, sample, phases) : runImport(tf, sample)));
  return { ms, peaks: memory.stop(), cpu: cpu.stop(), db, tf };
}

/** Why ingest is slower than insertMany: where the batch verb's time went, as shares. */
function whyIngest(phases: Record<string, PortTime>): string {
  const total = Object.values(phases).reduce((a, t) => a + t.ms, 0);
  const share = (key: string): string => `${Math.round(((phases[key]?.ms ?? 0) / total) * 100)}%`;
  return (
    '**why**: the reference only inserts the events. Ingest also parses them, journals each chunk (its events as one JSON string, ' +
    'so that a crash mid-chunk can be finished), updates every user of the chunk once (`$inc` on each day-bucket path, guarded by the chunk id), ' +
    "and removes the journal entry. Of the batch verb's time in its ports: profile " +
    `updates ${share('profiles.applyDeltas')}, storing events ${share('events.store')}, the journal ${share('events.journal')} + ${share('events.complete')}, ` +
    `parsing ${share('parse')}. The profile updates are what remains: this server applies an update by copying, re-encoding and comparing the whole ` +
    "profile and walks every `$inc` path through it (about 36 per user here, since the sample sends each user's history in one chunk). " +
    'What would close it: a database that applies `$inc` in place (MongoDB), or fewer, coarser paths per update.'
  );
}

export const ingestBench: Benchmark = {
  name: 'ingest',
  title: 'Ingest throughput',
  targets: [
    'ingest (batch verb and import path) ≥ 0.5× raw unordered insertMany of the same documents, profile metrics maintenance included',
  ],
  tiered: false,
  async run(ctx: BenchContext): Promise<BenchPart> {
    const users = ctx.options.quick ? 300 : 3000;
    const sample = sampleOf(users, ctx.options.seed);
    const n = sample.events.length;
    ctx.log(`  ingest sample: ${users} users, ${n} events`);
    const server = await startBenchServer();
    const rates: Record<Method, number[]> = { batch: [], import: [], insertMany: [], insertManyInFlight: [] };
    const peaks: Partial<Record<Method, MemoryPeaks>> = {};
    const phases: Record<string, PortTime> = {};
    const cpu: Record<string, CpuSplit> = {};
    let equal: { equal: number; of: number; firstDifference?: string } | undefined;
    try {
      const order: Method[] = ['batch', 'import', 'insertMany', 'insertManyInFlight'];
      for (let rep = 0; rep < ctx.options.reps; rep++) {
        for (const method of order.map((_, i) => order[(i + rep) % order.length] as Method)) {
          const r = await once(server, sample, method, rep === 0 && method === 'batch' ? phases : {});
          rates[method].push((n / r.ms) * 1000);
          peaks[method] = r.peaks;
          cpu[method] = r.cpu;
          if (method === 'batch' && !equal)
            equal = await profilesEqual(r.db, sample.users, {
              now: BENCH_NOW,
              tz: BENCH_TZ,
              retentionDays: r.tf.scoring.retentionDays,
            });
          await r.tf.close();
          await dropDatabase(r.db);
          ctx.log(`  rep ${rep + 1} ${method}: ${Math.round((n / r.ms) * 1000)} events/s`);
        }
      }
    } finally {
      await server.stop();
    }
    const row = (m: Method, name: string, ref: Method, refName: string) => {
      const c = compare(
        measure(name, 'events/s', rates[m]),
        measure(refName, 'events/s', rates[ref]),
        'events/s ÷ insertMany events/s',
        { ...(peaks[m] ? { peaks: peaks[m] } : {}) },
      );
      return { ...c, target: atLeast(c.ratio, 0.5) };
    };
    const rows = [
      row('batch', 'ingest, batch verb (1000/batch)', 'insertMany', 'raw insertMany, unordered'),
      row(
        'import',
        `ingest, import path (NDJSON, ${EVENT_IMPORT_IN_FLIGHT} batches in flight)`,
        'insertManyInFlight',
        `raw insertMany, unordered, ${EVENT_IMPORT_IN_FLIGHT} batches in flight`,
      ),
    ];
    return {
      comparisons: rows,
      details: {
        sample: { users, events: n, batchSize: BATCH },
        batchVerbTimes: phases,
        cpu,
        directProfilesMatchIngest: equal,
      },
      notes: [
        `${n} events of ${users} generated users; each run starts from an empty database holding only the users' profile records.`,
        `The batch verb is one request at a time, against insertMany one batch at a time; the import path stores ${EVENT_IMPORT_IN_FLIGHT} batches at once while it parses the next (as \`tideflow import\` does), against insertMany with as many batches in flight.`,
        `CPU in the last repetition — ${describeCpu(cpu)} (insertMany's documents are built before its clock starts).`,
        `Where the batch verb's time goes (first repetition): ${describeTimes(phases)}; the rest is computing the profile deltas.`,
        rows.every((r) => r.target.met) ? '' : whyIngest(phases),
        equal
          ? `Profile documents folded straight from the model (used to seed large tiers) equal the ingested ones for ${equal.equal} of ${equal.of} users${equal.firstDifference ? ` (first difference: ${equal.firstDifference})` : ''}.`
          : '',
      ].filter((s) => s !== ''),
    };
  },
};
