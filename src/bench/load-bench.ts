import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../store/embedded-server.js';
import { type Benchmark, type BenchContext, type BenchPart } from './context.js';
import { runLoad, type LoadOutcome } from './load-run.js';

/**
 * Load: `--load-events` events (1m by default) posted through `POST /v1/events` by a client
 * process over loopback to `tideflow serve` while it runs a campaign. Reported: request latency
 * percentiles (p50/p95/p99/max), events/s, health checks that failed, whether the server stayed
 * up, and whether every event arrived (event log and profile counters). The database is
 * MONGODB_URI when set, else the embedded server in memory or, with `--load-db h2`, on its file.
 */

async function database(ctx: BenchContext): Promise<{ uri: string; kind: string; close(): Promise<void> }> {
  const external = process.env.MONGODB_URI;
  if (external) return { uri: external, kind: 'MONGODB_URI (external server)', close: () => Promise.resolve() };
  const dir = ctx.options.loadDb === 'h2' ? await mkdtemp(join(tmpdir(), 'tideflow-load-')) : undefined;
  const server = await startServer(
    dir
      ? { backend: 'h2', file: join(dir, 'load.mv.db'), parentPid: process.pid }
      : { backend: 'memory', parentPid: process.pid },
  );
  return {
    uri: server.uri,
    kind: `embedded mongo-java-server 1.47, ${dir ? 'H2 file' : 'in-memory'} backend`,
    close: async () => {
      await server.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

function notesOf(o: LoadOutcome, events: number): string[] {
  const lost = events - o.ingest.events;
  return [
    `${events.toLocaleString('en')} events in ${o.client.requests} requests: ${o.client.eventsPerSecond.toLocaleString('en')} events/s over ${o.client.seconds} s; ` +
      `latency p50 ${o.client.latencyMs.p50} ms, p95 ${o.client.latencyMs.p95} ms, **p99 ${o.client.latencyMs.p99} ms**, max ${o.client.latencyMs.max} ms; ${o.client.retries} retried requests`,
    `server ${o.server.crashed ? '**crashed**' : `stayed up (stopped with exit code ${o.server.exitCode})`}; health checks failed: ${o.health.failures} of ${o.health.checks}`,
    lost === 0 && o.ingest.miscounted.length === 0 && o.ingest.pendingBatches === 0
      ? 'nothing lost: every event in the event log and counted once in its profile'
      : `**lost ${lost} events; ${o.ingest.miscounted.length} profiles miscounted; ${o.ingest.pendingBatches} batches pending**`,
    `campaign during the load: ${o.campaign.decided} of ${o.campaign.audience} decided, ${o.campaign.sent} sent, ${o.campaign.open} open` +
      (o.campaign.settledSeconds === null ? ' (**not settled**)' : ''),
  ];
}

export const loadBench: Benchmark = {
  name: 'load',
  title: 'Sustained ingest through the API during a campaign run',
  targets: ['the server stays up', 'nothing lost (event log and profile counters)', 'p99 request latency reported'],
  tiered: false,
  async run(ctx: BenchContext): Promise<BenchPart> {
    const events = ctx.options.loadEvents;
    const db = await database(ctx);
    try {
      const outcome = await runLoad({ uri: db.uri, dbName: 'tideflow_bench_load', events, log: ctx.log });
      const failed = outcome.server.crashed || outcome.ingest.events !== events || outcome.ingest.miscounted.length > 0;
      const notes = notesOf(outcome, events);
      return {
        comparisons: [],
        details: {
          load: {
            database: db.kind,
            events,
            ...outcome,
            ingest: { ...outcome.ingest, miscounted: outcome.ingest.miscounted.slice(0, 20) },
          },
        },
        notes: failed ? [`**failed**: ${notes.join('; ')}`, ...notes] : notes,
      };
    } finally {
      await db.close();
    }
  },
};
