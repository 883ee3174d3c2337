// Shared pieces of the fault drills: a rules folder holding one campaign, the environment of
// `tideflow work` processes, waiting for a run to settle, and what the local receivers got.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolve } from 'node:path';
import { rulesFolderWith } from '../../src/bench/load-run.js';
import { manualOccurrence, type Delivery } from '../../src/domain/delivery.js';
import { createJobClient } from '../../src/jobs/worker.js';
import { deliveriesCollection } from '../../src/store/deliveries.js';
import type { CampaignInput } from '../../src/domain/campaign.js';
import type { UserSpec, World } from '../support/campaign-world.js';

/** A rules folder for worker processes: the shipped scoring, segments and products, and one campaign. */
export const rulesFolder = rulesFolderWith;

/** The environment of a worker process over the world's receivers, with short timers. */
export function workerEnv(
  w: World,
  uri: string,
  rules: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...w.receivers.env,
    MONGODB_URI: uri,
    TIDEFLOW_RULES_DIR: rules,
    TIDEFLOW_TEMPLATES_DIR: resolve('templates'),
    TIDEFLOW_CHANNEL_TIMEOUT_MS: '2000',
    TIDEFLOW_SEND_LEASE_MS: '3000',
    TIDEFLOW_JOB_POLL_MS: '200',
    TIDEFLOW_JOB_LOCK_MS: '3000',
    TIDEFLOW_OUTBOX_EVERY_MS: '1000',
    TIDEFLOW_CHUNK_SIZE: '50',
    TIDEFLOW_RETRY_DELAY_MS: '300',
    TIDEFLOW_SEND_CONCURRENCY: '8',
    ...overrides,
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether every user of the occurrence has a decision and none is still planned or sending. */
export async function settled(w: World, occurrence: string, users: number): Promise<boolean> {
  const ledger = deliveriesCollection(w.db);
  const [rows, open] = await Promise.all([
    ledger.countDocuments({ occurrence }),
    ledger.countDocuments({ occurrence, state: { $in: ['planned', 'sending'] } }),
  ]);
  return rows === users && open === 0;
}

/** Waits until the occurrence is settled; throws with `why()` after `ms`. */
export async function untilSettled(
  w: World,
  occurrence: string,
  users: number,
  ms: number,
  why: () => string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await settled(w, occurrence, users).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`the run did not settle within ${ms} ms:\n${why()}`);
    await sleep(250);
  }
}

/** Every message the receivers got, counted by the delivery it carries. */
export function receivedByDelivery(w: World): Map<string, number> {
  const ids = [
    ...w.receivers.push.received.map((p) => p.idempotencyKey ?? '?'),
    ...w.receivers.sms.received.map(
      (m) => new URL(m.statusCallback ?? 'http://x/').searchParams.get('deliveryId') ?? '?',
    ),
    ...w.receivers.smtp.received.map((m) => m.headers['x-tideflow-delivery'] ?? '?'),
  ];
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** Contact points that received more than one message. */
export function contactedTwice(w: World): string[] {
  const contacts = [
    ...w.receivers.push.received.map((p) => p.to),
    ...w.receivers.sms.received.map((m) => m.to),
    ...w.receivers.smtp.received.flatMap((m) => m.to),
  ];
  return contacts.filter((c, i) => contacts.indexOf(c) !== i);
}

/** The occurrence's deliveries. */
export function ledgerRows(w: World, occurrence: string): Promise<Delivery[]> {
  return deliveriesCollection(w.db).find({ occurrence }).toArray();
}

export interface FaultyProxy {
  url: string;
  /** The next `n` requests are passed on and answered by the target, but the answer is never relayed. */
  swallow(n: number): void;
  /** Every answer is relayed this much later (a slow provider). */
  delay(ms: number): void;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a provider that can hold answers back: swallowed ones make a provider
 * that times out after accepting (it took the request and acted on it; the client never hears),
 * delayed ones a slow provider.
 */
export async function faultyProxy(target: string): Promise<FaultyProxy> {
  let left = 0;
  let delayMs = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      const swallowed = req.method === 'POST' && left > 0;
      if (swallowed) left--;
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      const init: RequestInit = {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      };
      fetch(`${target}${req.url ?? '/'}`, init).then(
        async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer());
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          if (!swallowed)
            res
              .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
              .end(body);
        },
        () => {
          res.destroy();
        },
      );
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    swallow: (n) => {
      left = n;
    },
    delay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

/** Queues a manual run of `campaignId` through Agenda, as `tideflow run` would; returns its occurrence. */
export async function queueManualRun(w: World, campaignId: string): Promise<string> {
  const occurrence = manualOccurrence(new Date());
  const client = createJobClient(w.db.db as NonNullable<typeof w.db.db>);
  await client.plan({ campaignId, kind: 'manual', occurrence });
  await client.stop();
  return occurrence;
}

/**
 * The drills' campaign: run by hand, on push, SMS and email in that order, a 1-yuan red packet
 * each, no quiet hours, a budget of `capYuan`; `limits` adds to the quiet hours.
 */
export function redPacketDrill(
  id: string,
  name: string,
  capYuan: number,
  limits: CampaignInput['limits'] = {},
): CampaignInput {
  return {
    id,
    name,
    segment: 'registered',
    schedule: { cron: '0 3 1 1 *', timezone: 'Asia/Shanghai' },
    channels: ['push', 'sms', 'email'],
    template: 'first-purchase',
    product: { fallbackCategory: 'money' },
    incentive: { type: 'red-packet', amount: 1, minPurchase: 100, expiryDays: 7 },
    limits: { ...limits, quietHours: { sms: null, email: null, push: null } },
    budget: { cap: capYuan },
    status: 'active',
  };
}

/** `count` users, a third on each channel (the only one they consented to), ids `<prefix>` + index. */
export function oneChannelEach(prefix: string, count: number): UserSpec[] {
  const channels = ['push', 'sms', 'email'] as const;
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${String(i).padStart(width, '0')}`,
    consent: [channels[i % 3] as (typeof channels)[number]],
  }));
}
