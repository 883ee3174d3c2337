import { openTideflow } from '../main.js';
import { sweepSegments } from '../evaluate/sweep-segments.js';
import { connect } from '../store/connection.js';
import { SCALING_CAMPAIGN, openCampaignWorld, timedRun } from './bench-campaign-world.js';
import { BENCH_NOW, benchConfig } from './setup.js';
import { timed } from './measure.js';

/**
 * One phase in a process of its own, so its peak resident memory is its own: the memory benchmark
 * starts `node dist/bench/child.js '<spec>'` and reads one JSON line from its stdout.
 */

export interface ChildSpec {
  phase: 'sweep' | 'campaign';
  uri: string;
  db: string;
  /** Channel environment (the local providers), for the campaign. */
  env: Record<string, string>;
}

export interface ChildReport {
  phase: ChildSpec['phase'];
  /** Resident memory once Tideflow is open, before the phase, MB. */
  baselineMb: number;
  /** The process's peak resident memory (getrusage maxrss), MB. */
  peakMb: number;
  /** Peak V8 heap in use, sampled, MB (garbage included: it grows with how long V8 lets garbage wait). */
  heapPeakMb: number;
  /** Peak V8 heap still in use right after a full collection, sampled every 250 ms, MB: what the phase holds. */
  liveHeapPeakMb?: number;
  ms: number;
  /** Profiles scanned (sweep) or messages sent (campaign). */
  items: number;
}

const MB = 2 ** 20;

/** Heap peaks: in use (every 50 ms) and live after a full collection (every 250 ms, when `--expose-gc`). */
function sampleHeap(): { stop(): Pick<ChildReport, 'heapPeakMb' | 'liveHeapPeakMb'> } {
  let used = 0;
  let live = 0;
  let ticks = 0;
  let stopped = false;
  const collect = (globalThis as { gc?: () => void }).gc;
  const sampleLive = (): void => {
    if (!collect) return;
    collect();
    live = Math.max(live, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(() => {
    used = Math.max(used, process.memoryUsage().heapUsed);
    if (++ticks % 5 === 0) sampleLive();
  }, 50);
  return {
    stop() {
      if (!stopped) sampleLive();
      stopped = true;
      clearInterval(timer);
      return { heapPeakMb: used / MB, ...(collect ? { liveHeapPeakMb: live / MB } : {}) };
    },
  };
}

async function runPhase(spec: ChildSpec): Promise<ChildReport> {
  const db = await connect(spec.uri, spec.db);
  const heap = sampleHeap();
  try {
    if (spec.phase === 'sweep') {
      const tf = await openTideflow(benchConfig(), { db, clock: () => new Date(BENCH_NOW) });
      const baselineMb = process.memoryUsage.rss() / MB;
      let items = 0;
      const ms = await timed(async () => {
        items = (await sweepSegments(tf.segments, [...tf.segments.rules.segments.keys()], { now: BENCH_NOW })).scanned;
      });
      await tf.close();
      return {
        phase: spec.phase,
        baselineMb,
        peakMb: process.resourceUsage().maxRSS / 1024,
        ...heap.stop(),
        ms,
        items,
      };
    }
    const w = await openCampaignWorld(db, spec.env, SCALING_CAMPAIGN);
    const baselineMb = process.memoryUsage.rss() / MB;
    const started = performance.now();
    const r = await timedRun(w);
    await w.close();
    return {
      phase: spec.phase,
      baselineMb,
      peakMb: process.resourceUsage().maxRSS / 1024,
      ...heap.stop(),
      ms: performance.now() - started,
      items: r.sent,
    };
  } finally {
    heap.stop();
    await db.close();
  }
}

const arg = process.argv[2];
if (arg) {
  runPhase(JSON.parse(arg) as ChildSpec).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
