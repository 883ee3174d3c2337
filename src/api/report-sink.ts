import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler } from './error-handler.js';
import { providerWebhooksRouter } from './provider-webhooks-router.js';
import { webhooksRouter } from './webhooks-router.js';
import type { TrackPorts } from '../track/record-status.js';
import type { ReportPorts } from '../track/reports.js';

export interface ReportSinkDeps {
  track: TrackPorts;
  reports: ReportPorts;
  /** Signs the email and push reports of the local providers. */
  secret: string;
  /** The local SMS receiver's auth token: its status callbacks are signed with it. */
  twilioAuthToken: string;
  /** Where the sink's own failures go. */
  report: (line: string) => void;
}

export interface ReportSink {
  /** `http://127.0.0.1:<port>`: the public URL the local providers call back. */
  url: string;
  close(): Promise<void>;
}

/**
 * The provider webhooks alone (Twilio status callbacks, email and push delivery reports), on a
 * loopback port of their own with the sandbox's secrets: the sandbox's local providers report
 * here, whether or not the process serves the API, and a production secret never signs a sandbox
 * report.
 */
export async function startReportSink(deps: ReportSinkDeps): Promise<ReportSink> {
  const track: TrackPorts = { ...deps.track, providerSecrets: { email: deps.secret, push: deps.secret } };
  // Twilio signs the URL it calls, so the app is made once the port is known.
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = express();
  app.disable('x-powered-by');
  app.use(providerWebhooksRouter(track));
  app.use(webhooksRouter({ track, reports: deps.reports, publicUrl: url, twilioAuthToken: deps.twilioAuthToken }));
  app.use(errorHandler((err) => deps.report(err instanceof Error ? (err.stack ?? err.message) : String(err))));
  server.on('request', app);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
