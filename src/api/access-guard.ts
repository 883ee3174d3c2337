import type { Request, RequestHandler, Response } from 'express';
import { mayDo, type Principal } from '../domain/api-key.js';
import { takeToken, type BucketLimit, type TokenBucket } from '../domain/token-bucket.js';
import { audit, authenticate } from '../access/api-keys.js';
import { rateClassOf, routeAccessOf, type RateClass } from './access-routes.js';
import type { AccessPorts } from '../ports/access-ports.js';

export interface GuardOptions {
  /** Token bucket per key and class. */
  limits: Record<RateClass, BucketLimit>;
  /** Milliseconds on a monotonic clock, for the buckets. @defaultValue performance.now */
  monotonic?: () => number;
}

const UNAUTHORIZED = { error: 'unauthorized: send a valid API key as Authorization: Bearer <key>' };
const FORBIDDEN = { error: "forbidden: this key's role may not use this endpoint" };

/**
 * Access to every endpoint, decided by ROUTE_ACCESS before anything else runs (body parsing
 * included): public rows pass; otherwise 401 without a valid key (missing, malformed, unknown,
 * wrong or revoked: the answer is the same), 403 when the key's role may not, 429 with
 * Retry-After when the key's bucket is empty. Audited rows are recorded before the endpoint acts.
 * The key's principal is left in `res.locals.principal`.
 */
export function accessGuard(ports: AccessPorts, opts: GuardOptions): RequestHandler {
  const buckets = new Map<string, TokenBucket>();
  const monotonic = opts.monotonic ?? (() => performance.now());
  return async (req, res, next) => {
    const match = routeAccessOf(req.method, req.path);
    const need = match?.row.need ?? 'admin';
    if (need === 'public') return next();
    const principal = await authenticate(ports, bearerOf(req));
    if (!principal) return void res.status(401).set('WWW-Authenticate', 'Bearer realm="tideflow"').json(UNAUTHORIZED);
    if (!mayDo(principal.role, need)) return void res.status(403).json(FORBIDDEN);
    const bucketKey = `${principal.keyId}:${rateClassOf(need)}`;
    const took = takeToken(buckets.get(bucketKey), opts.limits[rateClassOf(need)], monotonic());
    buckets.set(bucketKey, took.bucket);
    if (!took.ok) return tooMany(res, took.retryAfterSeconds);
    res.locals.principal = principal;
    if (match?.row.audit) await audit(ports, principal.keyId, match.row.audit, targetOf(match.params.id));
    next();
  };
}

/** The principal the guard admitted (absent on public endpoints). */
export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

function bearerOf(req: Request): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

function tooMany(res: Response, seconds: number): void {
  res
    .status(429)
    .set('Retry-After', String(seconds))
    .json({ error: `too many requests for this key; retry in ${seconds} s`, retryAfterSeconds: seconds });
}

function targetOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw).slice(0, 200);
  } catch {
    return raw.slice(0, 200);
  }
}
