// The database crash drill: a campaign with a binding budget run by two `tideflow work` processes
// while the embedded database (H2 file backend, a process of its own) goes down twice mid-send and
// comes back at the same address. How it goes down is the caller's: kill -9, or `tideflow db stop`.
import { Campaign } from '../../src/domain/campaign.js';
import type { Delivery } from '../../src/domain/delivery.js';
import { connect } from '../../src/store/connection.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import { grantsCollection } from '../../src/store/grants.js';
import { openWorld, seedUsers, type World } from '../support/campaign-world.js';
import {
  contactedTwice,
  ledgerRows,
  oneChannelEach,
  queueManualRun,
  receivedByDelivery,
  redPacketDrill,
  rulesFolder,
  sleep,
  untilSettled,
  workerEnv,
} from './fault-drill.js';
import { startWorkerProcess, type WorkerProcess } from './workers.js';
import { rm } from 'node:fs/promises';

export const USERS = 2000;
/** 1-yuan red packets for 2,000 users: the budget runs out for almost half of them. */
export const CAP_YUAN = 1100;

/**
 * Longer job locks and send leases than the worker drills': on a loaded two-core machine an outbox
 * pass against the H2 file can outlast 3 s, and Agenda cancels a job that outlives its lock.
 */
const DRILL_TIMERS = { TIDEFLOW_CHUNK_SIZE: '250', TIDEFLOW_JOB_LOCK_MS: '20000', TIDEFLOW_SEND_LEASE_MS: '8000' };

/** The embedded database under test, as the drill sees it. */
export interface DrillDatabase {
  /** Its address (the same before and after every outage). */
  uri: string;
  /** Environment that points a worker at it. */
  workerEnv: Record<string, string>;
  /** Takes it down and brings it back; resolves with its address once it is back. */
  outage(): Promise<string>;
}

export interface DrillResult {
  tally: Record<string, number>;
  outages: number;
  spentYuan: number;
}

/** Waits until `n` deliveries of the occurrence are sent (errors while the database is down count as not yet). */
async function sentReach(w: World, occurrence: string, n: number, why: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let sent = 0;
  while (Date.now() < deadline) {
    sent = await deliveriesCollection(w.db)
      .countDocuments({ occurrence, state: 'sent' })
      .catch(() => 0);
    if (sent >= n) return;
    await sleep(250);
  }
  const rows = await deliveriesCollection(w.db).countDocuments({ occurrence });
  throw new Error(`${n} sends not reached within 120 s (${sent} sent, ${rows} rows):\n${why()}`);
}

/** Runs the drill: outages when `outageAt` sends are done; then the run settles and both workers stop. */
export async function dbDrill(id: string, database: DrillDatabase, outageAt: readonly number[]): Promise<DrillResult> {
  const campaign = redPacketDrill(id, `Database drill ${id}`, CAP_YUAN);
  const dbName = `t_${id.replace(/\W/g, '_')}`;
  const w = await openWorld({ db: await connect(database.uri, dbName), campaigns: [Campaign.parse(campaign)] });
  const rules = await rulesFolder(campaign);
  let workers: WorkerProcess[] = [];
  const started = Date.now();
  const progress = (what: string): void => {
    if (process.env.TIDEFLOW_DRILL_VERBOSE) process.stdout.write(`${id} +${Date.now() - started} ms: ${what}\n`);
  };
  try {
    await seedUsers(w, oneChannelEach(`${id[0]}u`, USERS));
    progress('seeded');
    const occurrence = await queueManualRun(w, campaign.id);
    const env = { ...workerEnv(w, 'mongodb://unused', rules, DRILL_TIMERS), ...database.workerEnv };
    if (!database.workerEnv.MONGODB_URI) delete env.MONGODB_URI;
    workers = [startWorkerProcess(env), startWorkerProcess(env)];
    await Promise.all(workers.map((x) => x.ready));
    for (const target of outageAt) {
      await sentReach(w, occurrence, target, () => workers.map((x) => x.output()).join('\n---\n'));
      progress(`${target} sent`);
      expect(await database.outage()).toBe(database.uri);
    }
    const sampler = process.env.TIDEFLOW_DRILL_VERBOSE
      ? setInterval(() => {
          void deliveriesCollection(w.db)
            .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }])
            .toArray()
            .then(
              (r) => progress(JSON.stringify(r)),
              () => undefined,
            );
        }, 10_000)
      : undefined;
    await untilSettled(w, occurrence, USERS, 240_000, () => workers.map((x) => x.output()).join('\n---\n')).finally(
      () => clearInterval(sampler),
    );
    // The workers were never restarted: both are still up and stop cleanly.
    const stopping = workers;
    workers = [];
    expect(await Promise.all(stopping.map((x) => x.stop()))).toEqual([0, 0]);
    const tally = await expectInvariants(w, campaign.id, occurrence);
    const budget = await w.rt.budgets.get(campaign.id);
    return { tally, outages: outageAt.length, spentYuan: (budget?.spentFen ?? 0) / 100 };
  } finally {
    await Promise.all(workers.map((x) => x.stop()));
    await rm(rules, { recursive: true, force: true });
    await w.close();
  }
}

/**
 * What the drill promises, counted at the receivers and in the database: nobody received two
 * messages; every message went with an issued grant; no user holds two grants; every user has one
 * decision, sent or skipped or unknown with its reason; the budget stayed within its cap and spent
 * exactly what the issued grants are worth.
 */
async function expectInvariants(w: World, campaignId: string, occurrence: string): Promise<Record<string, number>> {
  const rows: Delivery[] = await ledgerRows(w, occurrence);
  const received = receivedByDelivery(w);
  const grants = await grantsCollection(w.db).find({ campaignId }).toArray();
  const issued = new Set(grants.filter((g) => g.status === 'issued').map((g) => g._id));

  expect(rows).toHaveLength(USERS);
  expect(new Set(rows.map((d) => d.userId)).size).toBe(USERS);
  expect(contactedTwice(w)).toEqual([]);
  expect([...received].filter(([, n]) => n > 1)).toEqual([]);
  // A message promising a red packet nobody holds.
  expect([...received.keys()].filter((key) => !issued.has(key))).toEqual([]);
  expect(grants.length - new Set(grants.map((g) => g.userId)).size).toBe(0);
  // Sent means received, once; anything received was sent or is honestly unknown.
  expect(rows.filter((d) => d.state === 'sent' && received.get(d._id) !== 1).map((d) => d._id)).toEqual([]);
  const mayHave = new Set(rows.filter((d) => d.state === 'sent' || d.state === 'unknown').map((d) => d._id));
  expect([...received.keys()].filter((key) => !mayHave.has(key))).toEqual([]);
  // Every user: sent, or skipped / unknown with a reason.
  const undecided = rows.filter(
    (d) => d.state !== 'sent' && !((d.state === 'skipped' || d.state === 'unknown') && d.reason),
  );
  expect(undecided.map((d) => `${d._id} ${d.state} ${d.reason ?? ''}`)).toEqual([]);
  const budget = await w.rt.budgets.get(campaignId);
  expect(budget!.spentFen).toBeLessThanOrEqual(CAP_YUAN * 100);
  expect(budget!.spentFen + budget!.remainingFen).toBe(CAP_YUAN * 100);
  // The books balance to the fen: what was spent is what the issued grants are worth.
  const issuedFen = grants.filter((g) => g.status === 'issued').reduce((s, g) => s + g.grant.costFen, 0);
  expect(budget!.spentFen).toBe(issuedFen);
  // The budget binds: some users were skipped for it.
  expect(rows.some((d) => d.state === 'skipped' && d.reason === 'budget')).toBe(true);

  const tally: Record<string, number> = { received: received.size, grants: grants.length };
  for (const d of rows) {
    const key = d.state === 'sent' ? 'sent' : `${d.state}:${d.reason ?? '?'}`;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}
