import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CampaignInput } from '../domain/campaign.js';
import { openTideflow } from '../main.js';
import { createApiKey } from '../access/api-keys.js';
import { ingest } from '../ingest/ingest.js';
import { parseProfileRecords } from '../ingest/profile-records.js';
import { startLocalProviders } from '../receivers/start-receivers.js';
import { createAccessPorts } from '../store/access-store.js';
import { connect, type Db } from '../store/connection.js';
import { deliveriesCollection } from '../store/deliveries.js';
import { checkIngest, type IngestTally } from './load-check.js';
import type { LoadShape } from './load-client.js';
import type { LoadClientReport, LoadSpec } from './load-main.js';
import { benchConfig, PACKAGE_ROOT, RULES_DIR, TEMPLATES_DIR } from './setup.js';
import { slices } from './slices.js';

/**
 * A load run: `tideflow serve` in a process of its own over a seeded audience, a campaign run
 * queued through the API, and while it runs the load client (another process) posting
 * `events` events in batches over loopback. The server's health is polled throughout; at the end
 * every event is looked for in the event log and in its user's profile counters.
 */

export interface LoadRunOptions {
  /** The database server (a database named `dbName` is created on it). */
  uri: string;
  dbName: string;
  events: number;
  /** @defaultValue 1000 */
  batchSize?: number;
  /** Users the load's events are spread over. @defaultValue 10000 */
  users?: number;
  /** Users the campaign reaches. @defaultValue 2000 */
  audience?: number;
  /** Requests in flight. @defaultValue 8 */
  concurrency?: number;
  log(line: string): void;
}

export interface LoadOutcome {
  client: LoadClientReport;
  ingest: IngestTally;
  /** Health checks during the load, and those that failed. */
  health: { checks: number; failures: number };
  /** The server's exit code when stopped (0: clean); `crashed` when it died during the run. */
  server: { crashed: boolean; exitCode: number | null };
  campaign: { audience: number; decided: number; sent: number; open: number; settledSeconds: number | null };
}

export const LOAD_CAMPAIGN: CampaignInput = {
  id: 'load-drill',
  name: 'Load drill',
  segment: 'registered',
  schedule: { cron: '0 3 1 1 *', timezone: 'Asia/Shanghai' },
  channels: ['push'],
  template: 'weekly-picks',
  product: { fallbackCategory: 'money' },
  limits: { quietHours: { sms: null, email: null, push: null } },
  status: 'active',
};

/** A rules folder: the shipped scoring, segments and products, and `campaign` as the only campaign. */
export async function rulesFolderWith(campaign: CampaignInput): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tideflow-rules-'));
  await mkdir(join(dir, 'segments'));
  await mkdir(join(dir, 'campaigns'));
  for (const f of ['scoring.json', 'products.json']) await copyFile(join(RULES_DIR, f), join(dir, f));
  for (const f of await readdir(join(RULES_DIR, 'segments')))
    await copyFile(join(RULES_DIR, 'segments', f), join(dir, 'segments', f));
  await writeFile(join(dir, 'campaigns', `${campaign.id}.json`), JSON.stringify(campaign));
  return dir;
}

/** Seeds the campaign's audience and returns an ingest key and an operator key. */
async function seed(db: Db, rules: string, audience: number): Promise<{ ingestKey: string; operatorKey: string }> {
  const tf = await openTideflow(benchConfig({ TIDEFLOW_RULES_DIR: rules }), { db });
  try {
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const ids = Array.from({ length: audience }, (_, i) => `aud-${i}`);
    const consent = { push: { granted: true, at, source: 'signup' } };
    await tf.profiles.updateMany(
      parseProfileRecords(
        ids.map((userId) => ({ userId, pushToken: `push-token-${userId}`, consent, timezone: 'Asia/Shanghai' })),
      ),
      new Date(),
    );
    for (const some of slices(ids, 1000))
      await ingest(
        tf.ingest,
        some.map((userId) => ({ id: `${userId}-register`, userId, type: 'register', ts: at })),
      );
    const access = createAccessPorts(db, () => new Date());
    const key = async (role: 'ingest' | 'operator'): Promise<string> =>
      (await createApiKey(access, { role, actor: 'load-run', name: `load-${role}` })).key;
    return { ingestKey: await key('ingest'), operatorKey: await key('operator') };
  } finally {
    await tf.close();
  }
}

interface Child {
  process: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

function startNode(args: string[], env: Record<string, string>, stdin = ''): Child {
  const child = spawn(process.execPath, args, {
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  child.stdin.end(stdin);
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  });
  return { process: child, exited: new Promise((done) => child.on('exit', (code) => done(code))), output: () => out };
}

async function listening(serve: Child): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /API listening on (http:\/\/(?:localhost|127\.0\.0\.1):\d+)/.exec(serve.output());
    if (m) return m[1] as string;
    if (Date.now() > deadline || serve.process.exitCode !== null)
      throw new Error(`tideflow serve did not start:\n${serve.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `GET /health` every second until stopped. */
function watchHealth(url: string): { stop(): { checks: number; failures: number } } {
  const tally = { checks: 0, failures: 0 };
  const timer = setInterval(() => {
    tally.checks++;
    fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) }).then(
      (r) => {
        if (r.status !== 200) tally.failures++;
      },
      () => {
        tally.failures++;
      },
    );
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      return tally;
    },
  };
}

async function campaignState(db: Db, audience: number, waitMs: number): Promise<LoadOutcome['campaign']> {
  const ledger = deliveriesCollection(db);
  const started = Date.now();
  for (;;) {
    const [decided, sent, open] = await Promise.all([
      ledger.countDocuments({ campaignId: LOAD_CAMPAIGN.id }),
      ledger.countDocuments({ campaignId: LOAD_CAMPAIGN.id, state: 'sent' }),
      ledger.countDocuments({ campaignId: LOAD_CAMPAIGN.id, state: { $in: ['planned', 'sending'] } }),
    ]);
    const done = decided === audience && open === 0;
    if (done || Date.now() - started > waitMs)
      return { audience, decided, sent, open, settledSeconds: done ? Math.round((Date.now() - started) / 1000) : null };
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function runLoad(o: LoadRunOptions): Promise<LoadOutcome> {
  const audience = o.audience ?? 2000;
  const shape: LoadShape = {
    run: `load${Date.now().toString(36)}`,
    batchSize: o.batchSize ?? 1000,
    users: o.users ?? 10_000,
    at: new Date(Date.now() - 3_600_000),
  };
  const batches = Math.ceil(o.events / shape.batchSize);
  const rules = await rulesFolderWith(LOAD_CAMPAIGN);
  const db = await connect(o.uri, o.dbName);
  const providers = await startLocalProviders();
  let serve: Child | undefined;
  try {
    const keys = await seed(db, rules, audience);
    o.log(`load: audience of ${audience} seeded; starting tideflow serve`);
    serve = startNode([join(PACKAGE_ROOT, 'dist', 'cli.js'), 'serve', '--port', '0'], {
      ...providers.env,
      MONGODB_URI: o.uri,
      TIDEFLOW_DB: o.dbName,
      TIDEFLOW_RULES_DIR: rules,
      TIDEFLOW_TEMPLATES_DIR: TEMPLATES_DIR,
      TIDEFLOW_MAX_BATCH: String(Math.max(1000, shape.batchSize)),
      TIDEFLOW_RATE_INGEST_PER_SECOND: '1000000',
      TIDEFLOW_RATE_INGEST_BURST: '1000000',
      TIDEFLOW_JOB_POLL_MS: '500',
      TIDEFLOW_OUTBOX_EVERY_MS: '1000',
      LOG_LEVEL: 'warn',
    });
    const url = await listening(serve);
    const run = await fetch(`${url}/v1/campaigns/${LOAD_CAMPAIGN.id}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.operatorKey}` },
    });
    if (run.status !== 202) throw new Error(`queueing the campaign run: HTTP ${run.status} ${await run.text()}`);
    const health = watchHealth(url);
    const spec: LoadSpec = {
      ...shape,
      at: shape.at.toISOString(),
      url,
      token: keys.ingestKey,
      batches,
      concurrency: o.concurrency ?? 8,
    };
    o.log(`load: ${batches} batches of ${shape.batchSize} events from a client process, ${spec.concurrency} in flight`);
    const client = startNode([join(PACKAGE_ROOT, 'dist', 'bench', 'load-main.js')], {}, JSON.stringify(spec));
    const code = await client.exited;
    const checks = health.stop();
    if (code !== 0) throw new Error(`the load client failed:\n${client.output()}`);
    const report = JSON.parse(client.output().trim().split('\n').at(-1) ?? '{}') as LoadClientReport;
    o.log(`load: sent in ${report.seconds} s, p99 ${report.latencyMs.p99} ms; checking the campaign and the counts`);
    const campaign = await campaignState(db, audience, 120_000);
    const crashed = serve.process.exitCode !== null;
    const tally = await checkIngest(db, shape, batches);
    serve.process.kill('SIGTERM');
    return {
      client: report,
      ingest: tally,
      health: checks,
      server: { crashed, exitCode: await serve.exited },
      campaign,
    };
  } finally {
    if (serve && serve.process.exitCode === null) serve.process.kill('SIGKILL');
    await providers.close();
    await db.dropDatabase().catch(() => undefined);
    await db.close();
    await rm(rules, { recursive: true, force: true });
  }
}
