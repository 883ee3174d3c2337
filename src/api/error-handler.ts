import type { ErrorRequestHandler, Response } from 'express';
import { ConflictError, isDatabaseUnreachable, NotFoundError, ValidationError } from '../errors.js';

/** What express's body parser attaches to its errors. */
interface BodyParserError {
  type?: string;
  /** The byte limit, on `entity.too.large`. */
  limit?: number;
  status?: number;
  expose?: boolean;
  message: string;
}

/**
 * The one place errors become HTTP responses: ValidationError → 400 `{ error, issues }`,
 * NotFoundError → 404, ConflictError → 409, a request body the parser refuses → its 4xx, the
 * database unreachable → 503 with `Retry-After` (not logged per request: an outage is logged once
 * by the process's outage watch, and `/health` says 503 meanwhile); anything else → 500 without
 * internals, handed to `report` with its response (whose logger carries the request id and masks
 * phone numbers, emails, push tokens and keys).
 */
export function errorHandler(report: (err: unknown, res: Response) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof ValidationError) {
      res.status(400).json({ error: err.message, issues: err.issues });
    } else if (err instanceof NotFoundError) {
      res.status(404).json({ error: err.message });
    } else if (err instanceof ConflictError) {
      res.status(409).json({ error: err.message });
    } else if (isBodyParserError(err)) {
      const error =
        err.type === 'entity.parse.failed'
          ? 'request body is not valid JSON'
          : err.type === 'entity.too.large'
            ? `request body is larger than ${String(err.limit)} bytes; send smaller batches`
            : err.message;
      res.status(err.status).json({ error, issues: [{ path: '', message: err.message }] });
    } else if (isDatabaseUnreachable(err)) {
      res.status(503).set('Retry-After', '5').json({ error: 'the database is unavailable; retry later' });
    } else {
      report(err, res);
      res.status(500).json({ error: 'internal error' });
    }
  };
}

function isBodyParserError(err: unknown): err is BodyParserError & { status: number } {
  const e = err as BodyParserError | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.expose === true &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 500
  );
}
