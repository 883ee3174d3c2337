import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { ConfigError } from '../errors.js';
import type { ReportPorts } from '../track/reports.js';
import type { CampaignDirectory } from '../decide/campaign-directory.js';
import { linkSigner, signedLinks, type SignedLinks } from '../track/signed-links.js';
import type { Db } from '../store/connection.js';
import { createOutcomeStore } from '../store/outcomes.js';
import { createConversionStore } from '../store/outcomes-conversions.js';
import { createReportStore } from '../store/report-queries.js';
import type { Clock } from '../ports/clock.js';
import type { IngestPorts } from '../ingest/ingest.js';
import type { ProfileStore } from '../ports/profile-store.js';
import type { TrackPorts } from '../track/record-status.js';

/** Outcome tracking and reports, composed: what the webhooks, links, report endpoints and CLI take. */
export interface OutcomeRuntime {
  track: TrackPorts;
  reports: ReportPorts;
  /** Signed message links (unsubscribe, tracked links): the deliver stage's MessageLinks. */
  links: SignedLinks;
  /** Public base URL: webhook signatures are computed over it. */
  publicUrl: string;
  /** Verifies Twilio's webhook signatures; undefined when the SMS channel has no auth token. */
  twilioAuthToken: string | undefined;
}

export interface OutcomeDeps {
  config: Config;
  db: Db;
  clock: Clock;
  ingest: IngestPorts;
  profiles: ProfileStore;
  /** The link secret (see linkSecretOf). */
  secret: string;
  campaigns(): Promise<Pick<CampaignDirectory, 'get' | 'list'>>;
}

/** The name of the generated link secret in TIDEFLOW_DATA_DIR. */
export const LINK_SECRET_FILE = 'link-secret';

/**
 * The secret signing links: TIDEFLOW_LINK_SECRET; required in production; with the embedded
 * database one generated once per data dir; with MONGODB_URI elsewhere one per process.
 */
export async function linkSecretOf(config: Config): Promise<string> {
  if (config.TIDEFLOW_LINK_SECRET) return config.TIDEFLOW_LINK_SECRET;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      'TIDEFLOW_LINK_SECRET is required in production: it signs unsubscribe and tracked links (e.g. `openssl rand -hex 32`)',
    );
  }
  if (config.MONGODB_URI) return randomBytes(32).toString('hex');
  const file = join(config.TIDEFLOW_DATA_DIR, LINK_SECRET_FILE);
  await mkdir(config.TIDEFLOW_DATA_DIR, { recursive: true });
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = (await readFile(file, 'utf8')).trim();
  if (secret.length < 32)
    throw new ConfigError(`${file} holds no usable link secret (at least 32 characters); remove it to make a new one`);
  return secret;
}

export function outcomeRuntime(deps: OutcomeDeps): OutcomeRuntime {
  const { config, db, clock } = deps;
  const signer = linkSigner(deps.secret);
  return {
    track: {
      outcomes: createOutcomeStore(db),
      ingest: deps.ingest,
      profiles: deps.profiles,
      clock,
      signer,
      providerSecrets: {
        ...(config.TIDEFLOW_EMAIL_WEBHOOK_SECRET ? { email: config.TIDEFLOW_EMAIL_WEBHOOK_SECRET } : {}),
        ...(config.TIDEFLOW_PUSH_WEBHOOK_SECRET ? { push: config.TIDEFLOW_PUSH_WEBHOOK_SECRET } : {}),
      },
    },
    reports: {
      store: createReportStore(db),
      conversions: createConversionStore(db),
      campaigns: deps.campaigns,
      clock,
      tz: config.TIDEFLOW_TZ,
    },
    links: signedLinks(config.TIDEFLOW_PUBLIC_URL, signer),
    publicUrl: config.TIDEFLOW_PUBLIC_URL.replace(/\/+$/, ''),
    twilioAuthToken: config.TWILIO_AUTH_TOKEN,
  };
}
