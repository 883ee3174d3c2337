import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { principalOf } from './access-guard.js';

/** A client's own request id is kept when it is short and plain; anything else gets a new one. */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives every request an id (the client's `X-Request-Id`, or a new UUID), echoed in the response's
 * `X-Request-Id`, and a child logger carrying it (`logOf(res)`); logs one `request` line when the
 * response is sent: method, path (no query string), status, duration and the API key's id.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given && CLIENT_ID.test(given) ? given : randomUUID();
    res.set('X-Request-Id', requestId);
    const reqLog = log.child({ requestId });
    res.locals.log = reqLog;
    const started = performance.now();
    res.on('finish', () => {
      const ms = Math.round(performance.now() - started);
      reqLog.info(
        { method: req.method, path: decodedPath(req.path), status: res.statusCode, ms, keyId: principalOf(res)?.keyId },
        'request',
      );
    });
    next();
  };
}

/** The path as the routes see it (`%2B86…` is `+86…`), so that masking recognises what it holds. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The request's logger (set by requestLog). */
export function logOf(res: Response, fallback: Logger): Logger {
  return (res.locals.log as Logger | undefined) ?? fallback;
}
