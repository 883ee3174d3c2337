import { randomBytes } from 'node:crypto';
import { startReportSink } from '../api/report-sink.js';
import { EMAIL_WEBHOOK_ROUTE, PUSH_WEBHOOK_ROUTE } from '../api/provider-webhooks-router.js';
import type { Config } from '../config/config.js';
import { deliveryParts, type InboxMessage, type SandboxInbox } from '../domain/inbox.js';
import { channelsFor } from './campaigns.js';
import type { Channels } from '../ports/channel.js';
import type { Clock } from '../ports/clock.js';
import type { ReportPorts } from '../track/reports.js';
import type { TrackPorts } from '../track/record-status.js';
import { carrierStatus } from '../receivers/carrier-outcome.js';
import { startLocalProviders, type LocalProviders } from '../receivers/start-receivers.js';

/** Printed by every command that sends through the sandbox, so that it is never on by accident. */
export const SANDBOX_NOTICE =
  'sandbox channels: messages go to local receivers on this machine, not to users (see them with `tideflow inbox`)';

export interface SandboxDeps {
  config: Config;
  track: TrackPorts;
  reports: ReportPorts;
  /** The time received messages and delivery reports carry (a run's `--now`). */
  clock: Clock;
  /** Where received messages are kept; none: only in memory. */
  inbox?: SandboxInbox;
  /** Where failures of the sandbox itself go (a message it could not keep, a report refused). */
  report: (line: string) => void;
}

/** The local providers, wired like real ones: they keep what they receive and report delivery. */
export interface Sandbox {
  providers: LocalProviders;
  /** The channels, pointed at the local providers. */
  channels: Channels;
  /** The same as environment variables (channelsFor makes `channels` of them). */
  env: Record<string, string>;
  /** Resolves once every message received so far is kept and every delivery report answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the sandbox: the demo's local SMTP server, SMS endpoint and push gateway on loopback,
 * each message they take kept in the inbox, and delivery reports posted back as the real providers
 * do (Twilio status callbacks with a few undelivered or failed, signed email and push reports) to
 * a webhook listener of its own.
 */
export async function startSandbox(deps: SandboxDeps): Promise<Sandbox> {
  const secret = randomBytes(24).toString('hex');
  const smsToken = randomBytes(16).toString('hex');
  const sink = await startReportSink({ ...deps, secret, twilioAuthToken: smsToken });
  let writes: Promise<void>[] = [];
  const keep = (m: Omit<InboxMessage, 'campaignId' | 'userId' | 'receivedAt'>): void => {
    if (!deps.inbox || !m.deliveryId) return;
    const message = { ...m, ...deliveryParts(m.deliveryId), receivedAt: deps.clock() };
    writes.push(deps.inbox.add(message).catch((err: unknown) => deps.report(`sandbox inbox: ${String(err)}`)));
  };
  const target = (route: string): { url: string; secret: string; clock: Clock } => ({
    url: `${sink.url}${route}`,
    secret,
    clock: deps.clock,
  });
  const providers = await startLocalProviders({
    sms: {
      authToken: smsToken,
      autoReport: (sms) => carrierStatus(sms.to),
      onReceive: (sms) =>
        keep({
          channel: 'sms',
          deliveryId: smsDelivery(sms.statusCallback),
          to: sms.to,
          text: sms.body,
          ...from(sms.from),
        }),
    },
    push: {
      reports: target(PUSH_WEBHOOK_ROUTE),
      onReceive: (p) =>
        keep({
          channel: 'push',
          deliveryId: String(p.data.deliveryId ?? p.idempotencyKey ?? ''),
          to: p.to,
          title: p.title,
          text: p.body,
        }),
    },
    smtp: {
      reports: target(EMAIL_WEBHOOK_ROUTE),
      onReceive: (e) =>
        keep({
          channel: 'email',
          deliveryId: e.headers['x-tideflow-delivery'] ?? '',
          to: e.to.join(', '),
          title: e.subject,
          text: e.text,
          ...from(e.headers.from ?? e.from),
        }),
    },
  });
  const env = { ...providers.env, TIDEFLOW_PUBLIC_URL: sink.url };
  const channels = channelsFor(deps.config, env);
  const settled = async (): Promise<void> => {
    await Promise.all([providers.sms.reported(), providers.push.reported(), providers.smtp.reported()]);
    while (writes.length > 0) {
      const now = writes;
      writes = [];
      await Promise.all(now);
    }
  };
  return {
    providers,
    channels,
    env,
    settled,
    close: async () => {
      await settled();
      await Promise.all(Object.values(channels).map((ch) => ch.close()));
      await providers.close();
      await sink.close();
    },
  };
}

function from(sender: string | undefined): { from?: string } {
  return sender ? { from: sender } : {};
}

/** The delivery an SMS came from: the status callback URL names it (`?deliveryId=`). */
function smsDelivery(callback: string | undefined): string {
  if (!callback) return '';
  return new URL(callback).searchParams.get('deliveryId') ?? '';
}
