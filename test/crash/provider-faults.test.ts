// Providers that take a message and then leave the sender without an answer, end to end through a
// `tideflow work` process: an SMTP server that reads the whole message and drops the connection,
// and an SMS API that accepts the message and never answers. Those deliveries end `unknown` (the
// message may well have reached the user) and are never sent again; the rest of the run completes.
import { rm } from 'node:fs/promises';
import { Campaign } from '../../src/domain/campaign.js';
import { openWorld, seedUsers } from '../support/campaign-world.js';
import { testUri } from '../support/test-db.js';
import {
  contactedTwice,
  ledgerRows,
  oneChannelEach,
  queueManualRun,
  receivedByDelivery,
  redPacketDrill,
  rulesFolder,
  faultyProxy,
  untilSettled,
  workerEnv,
} from './fault-drill.js';
import { startWorkerProcess, type WorkerProcess } from './workers.js';

const USERS = 60;
const FAULTS = 3;
const CAP_YUAN = 100;
const CAMPAIGN = redPacketDrill('fault-drill', 'Fault drill', CAP_YUAN);

test('SMTP dropping the connection after DATA and SMS accepting without answering: unknown, never resent, the run completes', async () => {
  const w = await openWorld({ label: 'provider_faults', campaigns: [Campaign.parse(CAMPAIGN)] });
  const rules = await rulesFolder(CAMPAIGN);
  const sms = await faultyProxy(w.receivers.sms.url);
  let worker: WorkerProcess | undefined;
  try {
    await seedUsers(w, oneChannelEach('f', USERS));
    w.receivers.smtp.setMode('drop-after-data', FAULTS);
    sms.swallow(FAULTS);
    const occurrence = await queueManualRun(w, CAMPAIGN.id);
    const run = startWorkerProcess(
      workerEnv(w, `${testUri()}/${w.db.name}`, rules, {
        TWILIO_API_BASE_URL: sms.url,
        TIDEFLOW_SEND_LEASE_MS: '15000',
      }),
    );
    worker = run;
    await untilSettled(w, occurrence, USERS, 90_000, () => run.output());

    const rows = await ledgerRows(w, occurrence);
    const received = receivedByDelivery(w);
    const unknown = rows.filter((d) => d.state === 'unknown');
    // The dropped emails: unknown, each taken exactly once by the server.
    const droppedIds = w.receivers.smtp.received
      .filter((m) => m.reply === 'dropped')
      .map((m) => m.headers['x-tideflow-delivery']);
    expect(droppedIds).toHaveLength(FAULTS);
    const emailUnknown = unknown.filter((d) => d.channel === 'email');
    // (`interrupted` if a stalled machine let the claim's lease run out before the sender settled it.)
    const ambiguous = ['no-answer', 'interrupted'];
    expect(emailUnknown.map((d) => d._id).sort()).toEqual([...droppedIds].sort());
    expect(emailUnknown.filter((d) => !ambiguous.includes(d.reason ?? ''))).toEqual([]);
    // The SMS the provider took without answering: unknown; every SMS reached the provider exactly once.
    const smsRows = rows.filter((d) => d.channel === 'sms');
    expect(unknown.filter((d) => d.channel === 'sms')).toHaveLength(FAULTS);
    expect(unknown.filter((d) => !ambiguous.includes(d.reason ?? ''))).toEqual([]);
    for (const d of smsRows) expect([d._id, received.get(d._id)]).toEqual([d._id, 1]);
    expect(w.receivers.sms.received).toHaveLength(USERS / 3);
    // Everyone else got exactly their one message; nobody got two.
    expect(rows).toHaveLength(USERS);
    expect(rows.filter((d) => d.state !== 'sent' && d.state !== 'unknown')).toEqual([]);
    expect(unknown).toHaveLength(2 * FAULTS);
    for (const d of rows.filter((r) => r.state === 'sent')) expect([d._id, received.get(d._id)]).toEqual([d._id, 1]);
    expect([...received.values()].filter((n) => n > 1)).toEqual([]);
    expect(contactedTwice(w)).toEqual([]);
    const budget = await w.rt.budgets.get(CAMPAIGN.id);
    expect(budget!.spentFen).toBeLessThanOrEqual(CAP_YUAN * 100);
    expect(budget!.spentFen + budget!.remainingFen).toBe(CAP_YUAN * 100);
  } finally {
    await worker?.stop();
    await sms.close();
    await rm(rules, { recursive: true, force: true });
    await w.close();
  }
}, 150_000);
