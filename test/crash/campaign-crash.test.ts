// Crash drill: a 2,000-user campaign run by `tideflow work` processes that are SIGKILLed at
// random points and restarted, alone and two at a time. The receivers run in this process, so
// what users received is known exactly. At the end: one decision per user, nobody messaged twice,
// every push and SMS user not skipped received exactly one message (sends cut off by a kill are
// looked up at the provider), at most one grant each, the budget within its cap, every `sent`
// delivery matched by exactly one received message and every received message by a delivery,
// the budget's spent equal to the issued grants to the fen, and the rest recorded.
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Campaign } from '../../src/domain/campaign.js';
import type { Delivery } from '../../src/domain/delivery.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import { grantsCollection } from '../../src/store/grants.js';
import { openWorld, seedUsers, type World } from '../support/campaign-world.js';
import { testUri } from '../support/test-db.js';
import { Random } from '../../src/demo/random.js';
import {
  oneChannelEach,
  queueManualRun,
  receivedByDelivery,
  redPacketDrill,
  rulesFolder,
  sleep,
} from './fault-drill.js';
import { startWorkerProcess, type WorkerProcess } from './workers.js';

const USERS = 2000;
const CAP_YUAN = 1900;
const DRILL = redPacketDrill('crash-drill', 'Crash drill', CAP_YUAN, {
  perDay: { total: 10, sms: 10 },
  perWeek: { total: 50, sms: 50 },
});

const DRILL_MS = 240_000;

interface Drill {
  w: World;
  occurrence: string;
  /** The progress (ledger rows + sent) at each kill. */
  killedAt: number[];
  seconds: number;
}

/** Waits until ledger rows plus sent deliveries reach `target` (at most 60 s: a stalled run is killed anyway). */
async function progressReaches(w: World, occurrence: string, target: number): Promise<void> {
  const ledger = deliveriesCollection(w.db);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [rows, sent] = await Promise.all([
      ledger.countDocuments({ occurrence }),
      ledger.countDocuments({ occurrence, state: 'sent' }),
    ]);
    if (rows + sent >= target) return;
    await sleep(100);
  }
}

async function finished(w: World, occurrence: string): Promise<boolean> {
  const run = await w.rt.runs.get(`crash-drill~${occurrence}`);
  if (run?.status !== 'planned' || run.chunksDone.length < (run.chunks ?? Infinity)) return false;
  const ledger = deliveriesCollection(w.db);
  const [rows, open] = await Promise.all([
    ledger.countDocuments({ occurrence }),
    ledger.countDocuments({ occurrence, state: { $in: ['planned', 'sending'] } }),
  ]);
  return rows === USERS && open === 0;
}

/**
 * Runs the drill: `parallel` workers at a time; `kills` times a random one is killed a random
 * while after it is up, and replaced. Then the survivors finish the run.
 */
async function drill(label: string, parallel: number, kills: number, seed: number): Promise<Drill> {
  const w = await openWorld({ label, campaigns: [Campaign.parse(DRILL)] });
  const rules = await rulesFolder(DRILL);
  let workers: WorkerProcess[] = [];
  let ok = false;
  const started = Date.now();
  const killedAt: number[] = [];
  try {
    await seedUsers(w, oneChannelEach('c', USERS));
    const env = {
      ...w.receivers.env,
      MONGODB_URI: `${testUri()}/${w.db.name}`,
      TIDEFLOW_RULES_DIR: rules,
      TIDEFLOW_TEMPLATES_DIR: resolve('templates'),
      TIDEFLOW_CHANNEL_TIMEOUT_MS: '2000',
      TIDEFLOW_SEND_LEASE_MS: '3000',
      TIDEFLOW_JOB_POLL_MS: '200',
      TIDEFLOW_JOB_LOCK_MS: '3000',
      TIDEFLOW_OUTBOX_EVERY_MS: '1000',
      TIDEFLOW_CHUNK_SIZE: '250',
      TIDEFLOW_RETRY_DELAY_MS: '300',
      TIDEFLOW_SEND_CONCURRENCY: '16',
    };
    // Providers stumble too: throttling and errors make some sends wait for a retry.
    w.receivers.push.setMode('throttle', 25);
    w.receivers.sms.setMode('error', 10);
    const occurrence = await queueManualRun(w, DRILL.id);
    const rng = new Random(seed, 'crash-drill');
    const random = (): number => rng.next();
    // Kill points spread over planning (ledger rows appear) and sending (rows turn sent).
    const targets = Array.from({ length: kills }, () => Math.floor(random() * 3700)).sort((a, b) => a - b);
    workers = Array.from({ length: parallel }, () => startWorkerProcess(env));
    for (const target of targets) {
      await progressReaches(w, occurrence, target);
      const i = Math.floor(random() * workers.length);
      const victim = workers[i] as WorkerProcess;
      await victim.ready;
      await sleep(Math.floor(random() * 300));
      killedAt.push(target);
      await victim.kill();
      workers[i] = startWorkerProcess(env);
    }
    const deadline = Date.now() + 150_000;
    while (!(await finished(w, occurrence))) {
      if (Date.now() > deadline)
        throw new Error(`the run did not finish; worker output:\n${workers.map((x) => x.output()).join('\n---\n')}`);
      await sleep(250);
    }
    ok = true;
    return { w, occurrence, killedAt, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await Promise.all(workers.map((x) => x.stop()));
    await rm(rules, { recursive: true, force: true });
    if (!ok) await w.close();
  }
}

async function expectInvariants({ w, occurrence }: Drill): Promise<Record<string, number>> {
  const rows: Delivery[] = await deliveriesCollection(w.db).find({ occurrence }).toArray();
  const byState = (s: Delivery['state']): Delivery[] => rows.filter((d) => d.state === s);
  // One decision per user.
  expect(new Set(rows.map((d) => d.userId)).size).toBe(USERS);
  // Each sent delivery matched by exactly one received message, each message by a delivery that may have gone out.
  const received = receivedByDelivery(w);
  for (const d of byState('sent')) expect([d._id, received.get(d._id)]).toEqual([d._id, 1]);
  const mayHave = new Set([...byState('sent'), ...byState('unknown')].map((d) => d._id));
  expect([...received.keys()].filter((id) => !mayHave.has(id))).toEqual([]);
  expect([...received.values()].filter((n) => n > 1)).toEqual([]);
  // Nobody messaged twice, by contact point.
  const contacts = [
    ...w.receivers.push.received.map((p) => p.to),
    ...w.receivers.sms.received.map((m) => m.to),
    ...w.receivers.smtp.received.flatMap((m) => m.to),
  ];
  expect(contacts.length - new Set(contacts).size).toBe(0);
  // Unknowns recorded with their reason, and only where the provider cannot be asked: push (by
  // idempotency key) and SMS (by number and body) are reconciled, so every push and SMS user got
  // exactly one message; SMTP has no such question, so an email cut off mid-send stays unknown.
  for (const d of byState('unknown'))
    expect([d.channel, d.reason]).toEqual(['email', expect.stringMatching(/^(interrupted|no-answer)$/)]);
  const reachable = rows.filter((d) => d.channel !== 'email' && d.state !== 'skipped' && d.state !== 'failed');
  expect(
    reachable.filter((d) => received.get(d._id) !== 1).map((d) => `${d._id} ${d.state} ×${received.get(d._id) ?? 0}`),
  ).toEqual([]);
  // At most one grant per user, only for deliveries that may have gone out; the budget within its cap.
  const grants = await grantsCollection(w.db).find({ campaignId: 'crash-drill' }).toArray();
  expect(new Set(grants.map((g) => g.userId)).size).toBe(grants.length);
  expect(grants.filter((g) => g.status === 'issued' && !mayHave.has(g._id))).toEqual([]);
  const budget = await w.rt.budgets.get('crash-drill');
  expect(budget).toBeTruthy();
  expect(budget!.spentFen).toBeLessThanOrEqual(CAP_YUAN * 100);
  expect(budget!.spentFen + budget!.remainingFen).toBe(CAP_YUAN * 100);
  // Every sent message was charged; a charge a crash left unclear was charged again (never short).
  expect(budget!.spentFen).toBeGreaterThanOrEqual(100 * byState('sent').length);
  // And charged once: the budget spent exactly what the issued grants are worth (receipted charges).
  const issuedFen = grants.filter((g) => g.status === 'issued').reduce((s, g) => s + g.grant.costFen, 0);
  expect(budget!.spentFen).toBe(issuedFen);
  const tally: Record<string, number> = {
    received: received.size,
    grants: grants.length,
    spentYuan: budget!.spentFen / 100,
  };
  for (const d of rows) {
    const key = d.state === 'skipped' || d.state === 'unknown' ? `${d.state}:${d.reason ?? '?'}` : d.state;
    tally[key] = (tally[key] ?? 0) + 1;
  }
  return tally;
}

test.each([
  ['one worker', 1, 20261120],
  ['two workers at once', 2, 424242],
] as const)(
  '%s, killed and restarted six times mid-run: nothing lost, nothing twice, the budget holds',
  async (who, parallel, seed) => {
    const result = await drill(`crash_${parallel}`, parallel, 6, seed);
    try {
      const tally = await expectInvariants(result);
      expect(tally.sent).toBeGreaterThan(1500);
      process.stdout.write(
        `crash drill, ${who}, killed at progress ${result.killedAt.join(', ')} of ~3,900, ${result.seconds} s: ${JSON.stringify(tally)}\n`,
      );
    } finally {
      await result.w.close();
    }
  },
  DRILL_MS,
);
