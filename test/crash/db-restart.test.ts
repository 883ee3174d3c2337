// The database server restarted twice in the middle of a campaign run by two `tideflow work`
// processes. The server is the embedded one on its H2 file backend, a process of its own that
// keeps its data across a stop (the in-memory backend would lose it); it comes back on the same
// port. The workers ride out the outage and reconnect; the run completes with nobody messaged twice,
// every sent delivery matched by one received message, and the budget within its cap.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Campaign } from '../../src/domain/campaign.js';
import { connect } from '../../src/store/connection.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import { startServer, type StartedServer } from '../../src/store/embedded-server.js';
import { openWorld, seedUsers, type World } from '../support/campaign-world.js';
import {
  contactedTwice,
  oneChannelEach,
  redPacketDrill,
  ledgerRows,
  queueManualRun,
  receivedByDelivery,
  rulesFolder,
  sleep,
  untilSettled,
  workerEnv,
} from './fault-drill.js';
import { startWorkerProcess, type WorkerProcess } from './workers.js';

const USERS = 300;
const CAP_YUAN = 280;
const CAMPAIGN = redPacketDrill('db-restart', 'Database restart drill', CAP_YUAN);

/** Waits until `n` deliveries of the occurrence are sent. */
async function sentReach(w: World, occurrence: string, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      (await deliveriesCollection(w.db)
        .countDocuments({ occurrence, state: 'sent' })
        .catch(() => 0)) >= n
    )
      return;
    await sleep(100);
  }
}

test('the database server restarted twice mid-run: the workers reconnect, the run completes, nothing twice, the budget holds', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tideflow-h2-'));
  const file = join(dir, 'tideflow.mv.db');
  const start = (port?: number): Promise<StartedServer> =>
    startServer({
      backend: 'h2',
      file,
      parentPid: process.pid,
      logFile: join(dir, 'server.log'),
      ...(port ? { port } : {}),
    });
  let server = await start();
  const port = server.port;
  const w = await openWorld({ db: await connect(server.uri, 't_db_restart'), campaigns: [Campaign.parse(CAMPAIGN)] });
  const rules = await rulesFolder(CAMPAIGN);
  let workers: WorkerProcess[] = [];
  try {
    await seedUsers(w, oneChannelEach('d', USERS));
    const occurrence = await queueManualRun(w, CAMPAIGN.id);
    const env = workerEnv(w, `${server.uri}/t_db_restart`, rules);
    workers = [startWorkerProcess(env), startWorkerProcess(env)];
    const outages: number[] = [];
    for (const target of [40, 160]) {
      await sentReach(w, occurrence, target);
      // A clean stop keeps every acknowledged write in the file (a kill -9 of H2 loses the last second).
      await server.stop();
      const down = Date.now();
      await sleep(2000);
      server = await start(port);
      outages.push(Date.now() - down);
    }
    await untilSettled(w, occurrence, USERS, 120_000, () => workers.map((x) => x.output()).join('\n---\n'));
    // Both workers are still up (a crashed one would report its exit code) and stop cleanly.
    const stopping = workers;
    workers = [];
    expect(await Promise.all(stopping.map((x) => x.stop()))).toEqual([0, 0]);

    const rows = await ledgerRows(w, occurrence);
    const tally: Record<string, number> = {};
    for (const d of rows) {
      const key = d.state === 'sent' ? 'sent' : `${d.state}:${d.reason ?? '?'}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    const spent = (await w.rt.budgets.get(CAMPAIGN.id))?.spentFen ?? 0;
    process.stdout.write(
      `database restart drill, outages ${outages.join(', ')} ms: ${JSON.stringify(tally)}, spent ${spent / 100} of ${CAP_YUAN} yuan\n`,
    );
    const received = receivedByDelivery(w);
    expect(new Set(rows.map((d) => d.userId)).size).toBe(USERS);
    for (const d of rows.filter((r) => r.state === 'sent')) expect([d._id, received.get(d._id)]).toEqual([d._id, 1]);
    const mayHave = new Set(rows.filter((r) => r.state === 'sent' || r.state === 'unknown').map((d) => d._id));
    expect([...received.keys()].filter((id) => !mayHave.has(id))).toEqual([]);
    expect([...received.values()].filter((n) => n > 1)).toEqual([]);
    expect(contactedTwice(w)).toEqual([]);
    // Sends whose outcome could not be written while the server was down are left to lease recovery:
    // `unknown` (interrupted) unless the channel could look them up. Nothing failed or was dropped.
    expect(
      Object.keys(tally).filter(
        (k) => !['sent', 'unknown:interrupted', 'unknown:no-answer', 'skipped:budget'].includes(k),
      ),
    ).toEqual([]);
    expect(tally.sent).toBeGreaterThan(USERS / 2);
    const budget = await w.rt.budgets.get(CAMPAIGN.id);
    expect(budget!.spentFen).toBeLessThanOrEqual(CAP_YUAN * 100);
    expect(budget!.spentFen + budget!.remainingFen).toBe(CAP_YUAN * 100);
  } finally {
    await Promise.all(workers.map((x) => x.stop()));
    await rm(rules, { recursive: true, force: true });
    await w.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}, 240_000);
