/**
 * The few typed errors Tideflow throws. Each maps to one HTTP status in api/error-handler.ts and
 * to exit code 1 in the CLI. Everything else is a bug (500 / exit 2).
 */

/** One problem in an input, located by its JSON path (e.g. `[3].ts` or `conditions.all[2].fact`). */
export interface Issue {
  path: string;
  message: string;
  /** A suggestion, e.g. the closest known name. */
  hint?: string;
  /** The file the issue is in, when one error covers several files (e.g. a rules folder). */
  file?: string;
}

/** Input from outside (request, file, argument) failed validation. Nothing was changed. */
export class ValidationError extends Error {
  override name = 'ValidationError' as const;
  constructor(
    message: string,
    readonly issues: Issue[] = [],
    /** The file the issues are in, when the input came from a file. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/** The environment or a configuration file is unusable. */
export class ConfigError extends Error {
  override name = 'ConfigError' as const;
}

/** A named thing (user, segment, campaign…) does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError' as const;
}

/** The request conflicts with the current state (e.g. a paused campaign run). */
export class ConflictError extends Error {
  override name = 'ConflictError' as const;
}

/**
 * A job that can never succeed as queued (its campaign was deleted or sends on no configured
 * channel, its data is malformed): the worker records the failure once and does not retry it.
 * Anything else a job throws is retried with backoff.
 */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError' as const;
}

/** Formats issues one per line: `file: path: message (hint)`. */
export function formatIssues(err: ValidationError): string {
  const where = (file: string | undefined): string => (file ? `${file}: ` : '');
  if (err.issues.length === 0) return `${where(err.file)}${err.message}`;
  return err.issues
    .map((i) => `${where(i.file ?? err.file)}${i.path || '(root)'}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`)
    .join('\n');
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}

/**
 * A JSON path in the notation issues use: `[3].ts`, `props.amount`, `conditions.all[2].fact`.
 * `prefix` is prepended as is (e.g. `[3]` for the fourth item of a batch).
 */
export function jsonPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** Driver errors that mean "the database did not answer", not "the operation was wrong". */
const UNREACHABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'DatabaseTimeoutError',
]);

/**
 * Whether `err` says the database is unreachable (refused, reset, timed out, pool cleared): an
 * outage to wait out, answered 503 by the API and logged once per outage by workers.
 */
export function isDatabaseUnreachable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (UNREACHABLE_NAMES.has(e.name)) return true;
    if (/\b(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH)\b|connection pool .* was cleared/i.test(e.message)) return true;
  }
  return false;
}

/** The database did not answer within the time allowed (a frozen or overloaded server). */
export class DatabaseTimeoutError extends Error {
  override name = 'DatabaseTimeoutError' as const;
}
