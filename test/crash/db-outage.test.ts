// The database goes away under a running `tideflow serve` and `tideflow work`: killed, then frozen.
// Each process logs the outage once when it starts and once when it ends (not once per failed poll),
// `/health` answers 503 while the database does not answer, and both carry on when it is back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartedServer } from '../../src/store/embedded-server.js';
import { sleep } from './fault-drill.js';
import { startServe, type ServeProcess } from './serve-process.js';
import { startWorkerProcess, type WorkerProcess } from './workers.js';

/** The lines a process logged, other than its start-up and the two lines of each outage. */
function unexpectedLines(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .filter((l) => !/worker \d+ running|API listening|rules loaded/.test(l))
    .filter((l) => !/database unreachable \(|database reachable again after/.test(l));
}

const count = (output: string, pattern: RegExp): number => output.split('\n').filter((l) => pattern.test(l)).length;

/** GET /health, with how long the answer took. */
async function health(url: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(20_000) });
  return { status: res.status, ms: Date.now() - started };
}

test('workers and serve ride through a database outage: one line when it starts, one when it ends, /health 503 meanwhile', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tideflow-outage-'));
  const start = (port?: number): Promise<StartedServer> =>
    startServer({
      backend: 'h2',
      file: join(dir, 'tideflow.mv.db'),
      parentPid: process.pid,
      logFile: join(dir, 'server.log'),
      ...(port ? { port } : {}),
    });
  let db = await start();
  const env = {
    LOG_LEVEL: 'warn',
    MONGODB_URI: `${db.uri}/t_outage`,
    TIDEFLOW_JOB_POLL_MS: '200',
    TIDEFLOW_OUTBOX_EVERY_MS: '500',
  };
  let serve: ServeProcess | undefined;
  let worker: WorkerProcess | undefined;
  try {
    serve = await startServe(env);
    worker = startWorkerProcess(env);
    await worker.ready;
    expect((await health(serve.url)).status).toBe(200);

    process.kill(db.pid, 'SIGKILL');
    await Promise.all([serve.waitFor(/database unreachable/), worker.waitFor(/database unreachable/)]);
    const down = await health(serve.url);
    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(5000);
    // Dozens of polls fail meanwhile (every 200 ms, in each process).
    await sleep(6000);
    db = await start(db.port);
    await Promise.all([serve.waitFor(/reachable again/), worker.waitFor(/reachable again/)]);
    expect((await health(serve.url)).status).toBe(200);

    // Frozen, not gone: connections stay open and nothing answers.
    process.kill(db.pid, 'SIGSTOP');
    try {
      const frozen = await health(serve.url);
      expect(frozen.status).toBe(503);
      expect(frozen.ms).toBeLessThan(5000);
    } finally {
      process.kill(db.pid, 'SIGCONT');
    }
    expect((await health(serve.url)).status).toBe(200);

    process.stdout.write(`db outage, /health ${down.ms} ms while down:\n${serve.output()}${worker.output()}\n`);
    for (const p of [serve, worker]) {
      expect(count(p.output(), /database unreachable \(/)).toBe(1);
      expect(count(p.output(), /database reachable again after \d+ s/)).toBe(1);
      expect(unexpectedLines(p.output())).toEqual([]);
    }
    // Both are still running and stop cleanly.
    const [s, w] = [serve, worker];
    serve = undefined;
    worker = undefined;
    expect(await Promise.all([s.stop(), w.stop()])).toEqual([0, 0]);
  } finally {
    await serve?.kill();
    await worker?.kill();
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);
