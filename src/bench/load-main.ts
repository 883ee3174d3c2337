import { pathToFileURL } from 'node:url';
import { percentile, sendLoad, type LoadOptions } from './load-client.js';

/**
 * The load client as a process of its own (`node dist/bench/load-main.js < spec.json`), so the
 * server's process shares nothing with it but the loopback interface. The spec, API key included,
 * comes on stdin (never on the command line, where any local user could read it). Prints one JSON line.
 */

export interface LoadSpec extends Omit<LoadOptions, 'url' | 'at' | 'onAck'> {
  url: string;
  /** ISO instant of the events. */
  at: string;
}

export interface LoadClientReport {
  events: number;
  requests: number;
  retries: number;
  accepted: number;
  duplicates: number;
  seconds: number;
  eventsPerSecond: number;
  /** Request latency percentiles of acknowledged batches, ms. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

export async function runLoadClient(spec: LoadSpec): Promise<LoadClientReport> {
  const report = await sendLoad({ ...spec, url: () => spec.url, at: new Date(spec.at) });
  const l = report.latenciesMs;
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    events: report.events,
    requests: l.length,
    retries: report.retries,
    accepted: report.accepted,
    duplicates: report.duplicates,
    seconds: round(report.seconds),
    eventsPerSecond: Math.round(report.events / report.seconds),
    latencyMs: {
      p50: round(percentile(l, 50)),
      p95: round(percentile(l, 95)),
      p99: round(percentile(l, 99)),
      max: round(percentile(l, 100)),
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  readStdin()
    .then((text) => runLoadClient(JSON.parse(text) as LoadSpec))
    .then(
      (r) => {
        process.stdout.write(`${JSON.stringify(r)}\n`);
      },
      (err: unknown) => {
        process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
        process.exitCode = 1;
      },
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
