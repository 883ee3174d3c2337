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
  /**
   * The platform's web address (its site or app links): tracked links in messages lead to
   * `<url>/campaigns/<campaign id>` and `<url>/products/<product id>`.
   * @defaultValue https://www.example.com
   */
  TIDEFLOW_APP_URL: z.url({ protocol: /^https?$/ }).default('https://www.example.com'),
  /**
   * Secret of the email provider's delivery-report webhook (`POST /v1/webhooks/email`, bounces and
   * complaints; format in docs/reports.md). Unset: every report is refused.
   */
  TIDEFLOW_EMAIL_WEBHOOK_SECRET: z.string().min(16, { message: 'at least 16 characters' }).optional(),
  /** Secret of the push gateway's delivery-report webhook (`POST /v1/webhooks/push`). Unset: every report is refused. */
  TIDEFLOW_PUSH_WEBHOOK_SECRET: z.string().min(16, { message: 'at least 16 characters' }).optional(),
  /** `production` makes TIDEFLOW_LINK_SECRET required. */
  NODE_ENV: z.string().optional(),
};
