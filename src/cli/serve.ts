import type { Server } from 'node:http';
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
import type { Command } from './command.js';
import type { Clock } from '../ports/clock.js';
import { watchOutages } from './outage.js';
import { SANDBOX_OPTION, sendingRuntime } from './sandbox-option.js';

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
    const tf = await openTideflow(config);
    const parts: Running[] = [];
    try {
      const sending = await sendingRuntime(tf, values.sandbox, io);
      parts.push({ name: 'sandbox', stop: () => sending.close() });
      const { rt } = sending;
      await auditRulesLoaded(tf, 'serve');
      const outages = watchOutages({
        ping: () => tf.ping(),
        log: (line) => tf.log.warn(line),
        report: () => undefined, // the worker logs every other error itself, with its job's ids
        now: () => new Date(),
      });
      parts.push({ name: 'outages', stop: async () => outages.stop() });
      // Job failures are logged with their stacks and context by the worker (tf.log); an
      // unreachable database is the outage watch's, logged once per outage.
      const worker = await startCampaignWorker(config, tf.db, rt, outages.report);
      parts.push({ name: 'worker', stop: () => worker.stop() });
      const ingest = { ...tf.ingest, triggers: rt.triggers(worker.queue) };
      const inbox = createSandboxInbox(tf.db);
      const app = createApp({ ...tf, ingest, campaignApi: campaignApi(rt, worker, tf.clock), inbox });
      parts.push(
        await startApi(createHttpServer(app, config), { host, port }, (url) =>
          io.err(`tideflow: API listening on ${url}`),
        ),
      );
      await untilSignal();
      io.err('tideflow: stopping');
      return 0;
    } finally {
      for (const part of parts.reverse()) await part.stop();
      await tf.close();
      exitSoon();
    }
  },
};

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
