import type { RequestHandler } from 'express';
import { ROUTE_ACCESS, routeAccessOf } from './access-routes.js';

const METHODS = [...new Set(ROUTE_ACCESS.map((r) => r.method))];

/**
 * For a path that exists under other methods: 405 with `Allow` (RFC 9110), instead of the 404
 * meant for paths that do not exist. Placed after every router, before the 404.
 */
export const methodNotAllowed: RequestHandler = (req, res, next) => {
  const allowed: string[] = METHODS.filter((m) => m !== req.method && routeAccessOf(m, req.path));
  if (allowed.length === 0) return next();
  if (allowed.includes('GET')) allowed.push('HEAD');
  res
    .status(405)
    .set('Allow', allowed.join(', '))
    .json({ error: `${req.method} is not allowed here; use ${allowed.join(', ')}` });
};
