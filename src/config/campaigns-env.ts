import { z } from 'zod';

const Ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The environment of campaign execution (planning, the outbox, the job worker), part of Config. */
export const CampaignEnv = {
  /** Users per planning chunk; each chunk is one job. @defaultValue 500 */
  TIDEFLOW_CHUNK_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * How long a sender holds a claimed delivery, ms. Past it the delivery counts as abandoned and
   * is reconciled, so it must exceed TIDEFLOW_CHANNEL_TIMEOUT_MS. @defaultValue 60000
   */
  TIDEFLOW_SEND_LEASE_MS: Ms(1000, 3_600_000).default(60_000),
  /** Sends in flight at once per worker. @defaultValue 8 */
  TIDEFLOW_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Attempts per delivery when providers answer "try again". @defaultValue 5 */
  TIDEFLOW_SEND_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  /** Delay before the second attempt, doubled for each next one (at most 30 minutes), ms. @defaultValue 30000 */
  TIDEFLOW_RETRY_DELAY_MS: Ms(10, 3_600_000).default(30_000),
  /** A job locked longer than this by a worker that stopped answering is taken over, ms. @defaultValue 60000 */
  TIDEFLOW_JOB_LOCK_MS: Ms(1000, 3_600_000).default(60_000),
  /** How often a worker looks for due jobs, ms. @defaultValue 1000 */
  TIDEFLOW_JOB_POLL_MS: Ms(50, 60_000).default(1000),
  /** How often the outbox runs when no planning wakes it, ms. @defaultValue 10000 */
  TIDEFLOW_OUTBOX_EVERY_MS: Ms(100, 3_600_000).default(10_000),
};
