import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { TimeZone } from '../domain/time-zone.js';
import { Bool, ChannelEnv } from './channels-env.js';
import { CampaignEnv } from './campaigns-env.js';
import { OutcomeEnv } from './outcomes-env.js';
import { AccessEnv } from './access-env.js';

/** Tideflow's environment, parsed once by the composition root. */
export const Config = z.object({
  /** Production database. Unset: the embedded server in TIDEFLOW_DATA_DIR is started and used. */
  MONGODB_URI: z.url({ protocol: /^mongodb(\+srv)?$/ }).optional(),
  /** Database name when MONGODB_URI names none. @defaultValue tideflow */
  TIDEFLOW_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/)
    .default('tideflow'),
  /** Where the embedded database keeps its data. @defaultValue ./.tideflow */
  TIDEFLOW_DATA_DIR: z.string().min(1).default('./.tideflow'),
  /**
   * The embedded database stops itself after this many minutes without a client (any command
   * starts it again); 0 keeps it running until `tideflow db stop`. @defaultValue 30
   */
  TIDEFLOW_DB_IDLE_MINUTES: z.coerce.number().min(0).max(10_080).default(30),
  /** Platform time zone: day buckets and metric windows are calendar days here. @defaultValue Asia/Shanghai */
  TIDEFLOW_TZ: TimeZone.default('Asia/Shanghai'),
  /** Folder of rule files (scoring.json, segments/, campaigns/). @defaultValue ./rules */
  TIDEFLOW_RULES_DIR: z.string().min(1).default('./rules'),
  /** Folder of message templates. @defaultValue ./templates */
  TIDEFLOW_TEMPLATES_DIR: z.string().min(1).default('./templates'),
  /**
   * Address `tideflow serve` listens on: loopback only unless set (`0.0.0.0` or `::` listens on
   * every interface). @defaultValue 127.0.0.1
   */
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:%-]+$/, 'a host name or IP address, e.g. 127.0.0.1, 0.0.0.0 or ::')
    .default('127.0.0.1'),
  /** HTTP port of `tideflow serve`. @defaultValue 8080 */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Largest event batch accepted by POST /v1/events. @defaultValue 1000 */
  TIDEFLOW_MAX_BATCH: z.coerce.number().int().min(1).max(10000).default(1000),
  /**
   * Events dated more than this many milliseconds after the server's clock are refused, by the API
   * and `tideflow import`. @defaultValue 300000 (5 minutes)
   */
  TIDEFLOW_MAX_CLOCK_SKEW_MS: z.coerce.number().int().min(0).default(300_000),
  /** Log level. @defaultValue info */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Print JSON logs instead of text lines. @defaultValue false */
  LOG_JSON: Bool.default(false),
  /** Email, SMS and push providers and their costs (src/config/channels-env.ts). */
  ...ChannelEnv,
  /** Planning, the outbox and the job worker (src/config/campaigns-env.ts). */
  ...CampaignEnv,
  /** Signed links and webhooks (src/config/outcomes-env.ts). */
  ...OutcomeEnv,
  /** Rate limits per API key and HTTP timeouts (src/config/access-env.ts). */
  ...AccessEnv,
});
export type Config = z.infer<typeof Config>;

/** Parses the environment; an invalid variable is a ConfigError naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}
