import type { Server, RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createApp } from '../api/app.js';
import { createHttpServer } from '../api/http-server.js';
import { ConfigError, ValidationError } from '../errors.js';
import type { CampaignApi } from '../api/campaigns-router.js';
import { manualOccurrence } from '../domain/delivery.js';
import { openTideflow } from '../main.js';
import { auditRulesLoaded } from '../wiring/access.js';
import { startCampaignWorker, type CampaignRuntime } from '../wiring/campaigns.js';
import { runKey } from '../decide/plan-occurrence.js';
import type { Worker } from '../jobs/worker.js';
import { createSandboxInbox } from '../store/sandbox-inbox.js';
import type { Command, Io } from './command.js';
import type { Clock } from '../ports/clock.js';
import { watchOutages } from './outage.js';
import { SANDBOX_OPTION, sendingRuntime, type Sending } from './sandbox-option.js';
import type { Config } from '../config/config.js';
import { openDatabase, pingDatabase, type Db } from '../store/connection.js';
import { watchRules } from './rules-watch.js';
import { rulesReloader, type Reloader, type Served } from './serve-reload.js';

/** A part of the running service: the job worker, then the HTTP API (stopped in reverse). */
interface Running {
  name: string;
  stop(): Promise<void>;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP API (events, profiles, campaigns, health) and a job worker until interrupted',
  usage: 'serve [--host 127.0.0.1] [--port 8080] [--sandbox]',
  async run(args, config, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { port: { type: 'string' }, host: { type: 'string' }, ...SANDBOX_OPTION },
    });
    const host = values.host ?? config.HOST;
    const port = values.port === undefined ? config.PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ValidationError('invalid arguments', [{ path: '--port', message: 'a port number from 0 to 65535' }]);
    }
    const db = await openDatabase(config);
    const report = (err: unknown): void =>
      io.err(`tideflow serve: ${err instanceof Error ? err.message : String(err)}`);
    // Job failures are logged with their stacks and context by each worker (tf.log); an
    // unreachable database is the outage watch's, logged once per outage.
    let outage = (_err: unknown): void => undefined;
    const compose = (): Promise<ServedApi> => serveOnce(config, db, (err) => outage(err), values.sandbox, io);
    const parts: Running[] = [];
    try {
      const first = await compose();
      const outages = watchOutages({
        ping: () => pingDatabase(db),
        log: (line) => first.tf.log.warn(line),
        report: () => undefined, // the worker logs every other error itself, with its job's ids
        now: () => new Date(),
      });
      outage = outages.report;
      parts.push({ name: 'outages', stop: async () => outages.stop() });
      // Until the reloader exists, stopping closes the first service itself.
      const service: { reloader?: Reloader<ServedApi> } = {};
      parts.push({ name: 'service', stop: () => (service.reloader?.current() ?? first).close() });
      const live = rulesReloader(
        { config, compose, log: (line) => io.err(line) },
        { served: first, files: await auditRulesLoaded(first.tf, 'serve') },
      );
      service.reloader = live;
      const handler: RequestListener = (req, res) => live.current().app(req, res);
      parts.push(
        await startApi(createHttpServer(handler, config), { host, port }, (url) =>
          io.err(`tideflow: API listening on ${url}`),
        ),
      );
      // Rule and template files are watched: a valid new set replaces the running one.
      const watching = watchRules(
        [config.TIDEFLOW_RULES_DIR, config.TIDEFLOW_TEMPLATES_DIR],
        RELOAD_DEBOUNCE_MS,
        (cause) => live.reload(cause),
        report,
      );
      parts.push({ name: 'rules watch', stop: () => watching.stop() });
      await untilSignal();
      io.err('tideflow: stopping');
      return 0;
    } finally {
      for (const part of parts.reverse()) await part.stop();
      await db.close();
      exitSoon();
    }
  },
};

/** Quiet time after the last change to a rule or template file before the set is reloaded. */
const RELOAD_DEBOUNCE_MS = 300;

interface ServedApi extends Served {
  app: RequestListener;
}

/**
 * Tideflow over the rule files as they are now, with its job worker (sending into the sandbox when
 * asked) and the API app.
 */
async function serveOnce(
  config: Config,
  db: Db,
  report: (err: unknown) => void,
  sandbox: boolean | undefined,
  io: Io,
): Promise<ServedApi> {
  const tf = await openTideflow(config, { db });
  let sending: Sending | undefined;
  try {
    sending = await sendingRuntime(tf, sandbox, io);
    const { rt } = sending;
    const worker = await startCampaignWorker(config, tf.db, rt, report);
    const ingest = { ...tf.ingest, triggers: rt.triggers(worker.queue) };
    const inbox = createSandboxInbox(tf.db);
    const app = createApp({ ...tf, ingest, campaignApi: campaignApi(rt, worker, tf.clock), inbox });
    const opened = sending;
    return {
      tf,
      app,
      close: async () => {
        await worker.stop();
        await opened.close();
        await tf.close();
      },
    };
  } catch (err) {
    await sending?.close();
    await tf.close();
    throw err;
  }
}

async function startApi(
  server: Server,
  at: { host: string; port: number },
  announce: (url: string) => void,
): Promise<Running> {
  server.listen(at.port, at.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (err) =>
      reject(new ConfigError(`cannot listen on ${at.host} port ${at.port} (HOST, PORT): ${err.message}`)),
    );
  });
  announce(listeningUrl(server.address()));
  return {
    name: 'api',
    // Stops accepting; requests in flight are answered, and each keep-alive connection is closed
    // as soon as it is idle instead of when its keep-alive timeout runs out.
    stop: () =>
      new Promise<void>((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** The address a server really listens on, as a URL; a wildcard address says it means every interface. */
export function listeningUrl(address: AddressInfo | string | null): string {
  if (!address || typeof address === 'string') return String(address);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const every = address.address === '0.0.0.0' || address.address === '::' ? ' (every interface)' : '';
  return `http://${host}:${address.port}${every}`;
}

/** The campaign endpoints over the runtime; a run is queued for the worker. */
export function campaignApi(rt: CampaignRuntime, worker: Pick<Worker, 'plan'>, clock: Clock): CampaignApi {
  return {
    campaigns: rt.campaigns,
    simulate: rt.simulate,
    ledger: rt.ledger,
    budgets: rt.budgets,
    runs: rt.runs,
    clock,
    async run(campaignId) {
      const occurrence = manualOccurrence(clock());
      await worker.plan({ campaignId, kind: 'manual', occurrence });
      return { runId: runKey(campaignId, occurrence), occurrence };
    },
  };
}

/**
 * Lets a stopped service end: Agenda keeps a liveness timer per job it ran (up to half the job lock
 * lifetime) that nothing can cancel. Everything is closed by now, so exiting loses nothing.
 */
export function exitSoon(): void {
  setTimeout(() => process.exit(), 1000).unref();
}

/** Resolves at the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
