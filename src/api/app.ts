import express, { type Express } from 'express';
import type { Config } from '../config/config.js';
import type { Logger } from 'pino';
import { logText } from '../domain/mask.js';
import { silentLogger } from '../logger.js';
import type { AccessPorts } from '../ports/access-ports.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';
import type { IngestPorts } from '../ingest/ingest.js';
import type { ProfilePorts } from '../ingest/profile-records.js';
import type { SandboxInbox } from '../domain/inbox.js';
import { accessGuard, type GuardOptions } from './access-guard.js';
import { accessRouter } from './access-router.js';
import { campaignsRouter, type CampaignApi } from './campaigns-router.js';
import { errorHandler } from './error-handler.js';
import { eventsRouter } from './events-router.js';
import { healthRouter } from './health.js';
import { inboxRouter } from './inbox-router.js';
import { guardedBody, guardRequest } from './input-guard.js';
import { linksRouter } from './links-router.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { openApiRouter } from './openapi.js';
import { profilesRouter } from './profiles-router.js';
import { providerWebhooksRouter } from './provider-webhooks-router.js';
import { reportsRouter } from './reports-router.js';
import { logOf, requestLog } from './request-log.js';
import { segmentsRouter } from './segments-router.js';
import { webhooksRouter, type OutcomeApi } from './webhooks-router.js';

/** What the API needs; the composition root's `Tideflow` provides all of it. */
export interface ApiDeps {
  config: Pick<Config, 'TIDEFLOW_MAX_BATCH' | 'TIDEFLOW_MAX_CLOCK_SKEW_MS' | RateEnv>;
  /** API keys (checked on every request) and the audit log. */
  access: AccessPorts;
  ingest: IngestPorts;
  profile: ProfilePorts;
  ping(): Promise<void>;
  /** One `request` line per request and every unexpected error, with the request id. @defaultValue writes nothing */
  log?: Logger;
  /** Segment endpoints; absent in processes that evaluate no segments. */
  segments?: EvaluatePorts;
  /** Campaign endpoints; absent in processes that serve no campaigns. */
  campaignApi?: CampaignApi;
  /** Provider webhooks, signed links and reports; absent in processes that track nothing. */
  outcomes?: OutcomeApi;
  /** What the sandbox channels received (`GET /v1/inbox`); absent in processes that show none. */
  inbox?: SandboxInbox;
}

export interface AppOptions {
  /** Also told of unexpected errors (500s), as masked text with the stack (tests collect them). */
  report?: (line: string) => void;
  /** The rate limiter's monotonic clock in milliseconds. @defaultValue performance.now */
  monotonic?: GuardOptions['monotonic'];
}

type RateEnv =
  | 'TIDEFLOW_RATE_INGEST_PER_SECOND'
  | 'TIDEFLOW_RATE_INGEST_BURST'
  | 'TIDEFLOW_RATE_READ_PER_SECOND'
  | 'TIDEFLOW_RATE_READ_BURST';

function rateLimits(config: Pick<Config, RateEnv>): GuardOptions['limits'] {
  return {
    ingest: { perSecond: config.TIDEFLOW_RATE_INGEST_PER_SECOND, burst: config.TIDEFLOW_RATE_INGEST_BURST },
    read: { perSecond: config.TIDEFLOW_RATE_READ_PER_SECOND, burst: config.TIDEFLOW_RATE_READ_BURST },
  };
}

/** JSON bodies are capped at 4 KB per event of the largest batch (at least 1 MB). */
export function bodyLimitBytes(maxBatch: number): number {
  return Math.max(1 << 20, maxBatch * 4096);
}

/** The HTTP API as an express app; listening is the caller's business. */
export function createApp(deps: ApiDeps, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  const log = deps.log ?? silentLogger();
  app.use(requestLog(log));
  // Before the body parser: a request without a valid key is refused before its body is read.
  app.use(
    accessGuard(deps.access, {
      limits: rateLimits(deps.config),
      ...(opts.monotonic ? { monotonic: opts.monotonic } : {}),
    }),
  );
  // Operator and prototype keys in the path or query string: 400 before any router.
  app.use(guardRequest);
  // Before the JSON parser: provider delivery reports are signed over their raw bodies.
  if (deps.outcomes) app.use(providerWebhooksRouter({ ...deps.outcomes.track, ingest: deps.ingest }));
  app.use(guardedBody(express.json({ limit: bodyLimitBytes(deps.config.TIDEFLOW_MAX_BATCH) })));
  app.use(healthRouter(deps.ping));
  app.use(openApiRouter(deps.config.TIDEFLOW_MAX_BATCH));
  // Clients' events are held to the server's clock; outcome events the server makes itself are not.
  const clientIngest = { ...deps.ingest, maxClockSkewMs: deps.config.TIDEFLOW_MAX_CLOCK_SKEW_MS };
  app.use(eventsRouter(clientIngest, deps.config.TIDEFLOW_MAX_BATCH));
  app.use(profilesRouter(deps.profile));
  app.use(accessRouter(deps.access));
  if (deps.segments) app.use(segmentsRouter(deps.segments));
  if (deps.campaignApi) app.use(campaignsRouter(deps.campaignApi));
  if (deps.inbox) app.use(inboxRouter(deps.inbox));
  if (deps.outcomes) {
    // Outcome events go through this app's ingest (with its campaign triggers, when it has them).
    const outcomes = { ...deps.outcomes, track: { ...deps.outcomes.track, ingest: deps.ingest } };
    app.use(webhooksRouter(outcomes));
    app.use(linksRouter(outcomes.track));
    app.use(reportsRouter(outcomes.reports));
  }
  app.use(methodNotAllowed);
  app.use((_req, res) => {
    res.status(404).json({ error: 'no such endpoint' });
  });
  app.use(
    errorHandler((err, res) => {
      logOf(res, log).error({ err }, 'request failed');
      opts.report?.(logText(err));
    }),
  );
  return app;
}
