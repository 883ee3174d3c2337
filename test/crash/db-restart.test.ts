// The database crash drills: a 2,000-user campaign with a binding budget, run by two `tideflow work`
// processes, while the embedded database (H2 file backend) goes down twice mid-send and comes back
// at the same address: once by kill -9 (every acknowledged write must be in its file), once by
// `tideflow db stop` / `db start`. The workers are never restarted; they ride out each outage and
// finish the run with nobody messaged twice, no message without its grant, no grant twice, and
// every user sent, skipped or unknown with a reason (test/crash/db-drill.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartedServer } from '../../src/store/embedded-server.js';
import { tideflow } from '../support/cli.js';
import { dbDrill, USERS, type DrillResult } from './db-drill.js';
import { sleep } from './fault-drill.js';

/** Sends done when the database goes down: early in the sending, and past the middle. */
const OUTAGES = [250, 700];
const DRILL_MS = 420_000;

function print(how: string, r: DrillResult): void {
  process.stdout.write(
    `database drill (${how}), ${USERS} users, ${r.outages} outages: ${JSON.stringify(r.tally)}, spent ${r.spentYuan} yuan\n`,
  );
}

async function gone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(20);
  }
}

test(
  'the database killed with SIGKILL twice mid-send and restarted: nobody twice, no message without its grant',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tideflow-dbkill-'));
    const start = (port?: number): Promise<StartedServer> =>
      startServer({
        backend: 'h2',
        file: join(dir, 'tideflow.mv.db'),
        parentPid: process.pid,
        logFile: join(dir, 'server.log'),
        ...(port ? { port } : {}),
      });
    let server = await start();
    const uri = server.uri;
    try {
      const result = await dbDrill(
        'dbkill',
        {
          uri,
          workerEnv: { MONGODB_URI: `${uri}/t_dbkill` },
          async outage() {
            process.kill(server.pid, 'SIGKILL');
            await gone(server.pid);
            await sleep(1500);
            server = await start(server.port);
            return server.uri;
          },
        },
        OUTAGES,
      );
      print('kill -9', result);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
  DRILL_MS,
);

test(
  'the database stopped and started with `tideflow db stop` / `db start` twice mid-send: the workers find it again',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tideflow-dbcli-'));
    const env = { TIDEFLOW_DATA_DIR: dir };
    const db = async (action: 'start' | 'stop'): Promise<string> => {
      const run = await tideflow(['db', action], env);
      expect(run).toMatchObject({ code: 0 });
      return /mongodb:\/\/[^\s]+/.exec(run.stdout)?.[0] ?? '';
    };
    try {
      const uri = await db('start');
      const result = await dbDrill(
        'dbcli',
        {
          uri,
          // No MONGODB_URI: the workers open the embedded server of the data directory, as operators run them.
          workerEnv: { TIDEFLOW_DATA_DIR: dir, TIDEFLOW_DB: 't_dbcli' },
          async outage() {
            await db('stop');
            await sleep(1500);
            return db('start');
          },
        },
        OUTAGES,
      );
      print('db stop / db start', result);
    } finally {
      await tideflow(['db', 'stop'], env);
      await rm(dir, { recursive: true, force: true });
    }
  },
  DRILL_MS,
);
