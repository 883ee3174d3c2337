import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from '../config/config.js';

export type HttpLimits = Pick<
  Config,
  'TIDEFLOW_HTTP_HEADERS_TIMEOUT_MS' | 'TIDEFLOW_HTTP_REQUEST_TIMEOUT_MS' | 'TIDEFLOW_HTTP_KEEPALIVE_TIMEOUT_MS'
>;

/**
 * An HTTP server for the API that slow clients cannot hold: headers must arrive within
 * TIDEFLOW_HTTP_HEADERS_TIMEOUT_MS and the whole request within TIDEFLOW_HTTP_REQUEST_TIMEOUT_MS
 * (else 408 and the connection is closed), idle keep-alive connections close after
 * TIDEFLOW_HTTP_KEEPALIVE_TIMEOUT_MS. Node checks these timeouts every quarter of the headers
 * timeout (at most every second), not every 30 s as by default.
 */
export function createHttpServer(app: RequestListener, limits: HttpLimits): Server {
  const headersTimeout = limits.TIDEFLOW_HTTP_HEADERS_TIMEOUT_MS;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: Math.max(limits.TIDEFLOW_HTTP_REQUEST_TIMEOUT_MS, headersTimeout),
      keepAliveTimeout: limits.TIDEFLOW_HTTP_KEEPALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(headersTimeout / 4))),
    },
    app,
  );
  return server;
}
