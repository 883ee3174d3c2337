import { z } from 'zod';

const PerSecond = z.coerce.number().positive().max(1_000_000);
const Burst = z.coerce.number().int().min(1).max(1_000_000);
const Millis = z.coerce.number().int().min(100).max(3_600_000);

/** The environment of API access: rate limits per key and HTTP timeouts, part of Config. */
export const AccessEnv = {
  /** Requests per second per key on POST /v1/events and PUT /v1/profiles/:userId. @defaultValue 200 */
  TIDEFLOW_RATE_INGEST_PER_SECOND: PerSecond.default(200),
  /** The largest ingest burst per key. @defaultValue 400 */
  TIDEFLOW_RATE_INGEST_BURST: Burst.default(400),
  /** Requests per second per key on every other authenticated endpoint. @defaultValue 50 */
  TIDEFLOW_RATE_READ_PER_SECOND: PerSecond.default(50),
  /** The largest burst of other requests per key. @defaultValue 100 */
  TIDEFLOW_RATE_READ_BURST: Burst.default(100),
  /** Time a client has to send the request headers (slow clients are cut off). @defaultValue 10000 */
  TIDEFLOW_HTTP_HEADERS_TIMEOUT_MS: Millis.default(10_000),
  /** Time a client has to send the whole request, body included. @defaultValue 30000 */
  TIDEFLOW_HTTP_REQUEST_TIMEOUT_MS: Millis.default(30_000),
  /** How long an idle keep-alive connection stays open. @defaultValue 5000 */
  TIDEFLOW_HTTP_KEEPALIVE_TIMEOUT_MS: Millis.default(5_000),
};
