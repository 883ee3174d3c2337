import { z } from 'zod';

/** The environment of outcome tracking (signed links, webhooks), part of Config. */
export const OutcomeEnv = {
  /**
   * Secret that signs unsubscribe and tracked links (at least 32 characters; e.g.
   * `openssl rand -hex 32`). Required when NODE_ENV is `production`. Unset with the embedded
   * database, one is generated once and kept in TIDEFLOW_DATA_DIR/link-secret; unset with
   * MONGODB_URI, each process makes up its own and links signed by another process are refused.
   */
  TIDEFLOW_LINK_SECRET: z.string().min(32, { message: 'at least 32 characters' }).optional(),
  /** `production` makes TIDEFLOW_LINK_SECRET required. */
  NODE_ENV: z.string().optional(),
};
