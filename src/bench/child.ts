import { openTideflow } from '../main.js';
import { sweepSegments } from '../pipeline/evaluate.js';
import { connect } from '../store/connection.js';
import { SCALING_CAMPAIGN, openCampaignWorld, timedRun } from './campaign-world.js';
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
  /** Peak V8 heap in use, sampled, MB. */
  heapPeakMb: number;
  ms: number;
  /** Profiles scanned (sweep) or messages sent (campaign). */
  items: number;
}

const MB = 2 ** 20;

async function runPhase(spec: ChildSpec): Promise<ChildReport> {
  const db = await connect(spec.uri, spec.db);
  let heapPeak = 0;
  const timer = setInterval(() => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); }, 50);
  try {
    if (spec.phase === 'sweep') {
      const tf = await openTideflow(benchConfig(), { db, clock: () => new Date(BENCH_NOW) });
      const baselineMb = process.memoryUsage.rss() / MB;
      let items = 0;
      const ms = await timed(async () => { items = (await sweepSegments(tf.segments, [...tf.segments.rules.segments.keys()], { now: BENCH_NOW })).scanned; });
      await tf.close();
      return { phase: spec.phase, baselineMb, peakMb: process.resourceUsage().maxRSS / 1024, heapPeakMb: heapPeak / MB, ms, items };
    }
    const w = await openCampaignWorld(db, spec.env, SCALING_CAMPAIGN);
    const baselineMb = process.memoryUsage.rss() / MB;
    const started = performance.now();
    const r = await timedRun(w);
    await w.close();
    return { phase: spec.phase, baselineMb, peakMb: process.resourceUsage().maxRSS / 1024, heapPeakMb: heapPeak / MB, ms: performance.now() - started, items: r.sent };
  } finally {
    clearInterval(timer);
    await db.close();
  }
}

const arg = process.argv[2];
if (arg) {
  runPhase(JSON.parse(arg) as ChildSpec).then((r) => { process.stdout.write(`${JSON.stringify(r)}\n`); }, (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
