import type { Permission } from '../domain/api-key.js';
import type { AuditAction } from '../domain/audit-entry.js';

/** Which rate limit bucket of the key a request takes a token from. */
export type RateClass = 'ingest' | 'read';

/** One endpoint: what a key's role must allow, and what the audit log records of it. */
export interface RouteAccess {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express path pattern (`:name` matches one segment). */
  path: string;
  /** `public`: no key (health, or an endpoint that verifies a signature of its own). */
  need: Permission | 'public';
  /** Audited before the endpoint acts, with its `:id` as the target. */
  audit?: AuditAction;
}

/**
 * Every endpoint and what it needs: the one place access is decided (docs/security.md shows it).
 * A request matching no row needs an admin key (and then finds nothing: 404), so a route added
 * without a row is closed to every other role; a test fails when a registered route has no row.
 */
export const ROUTE_ACCESS: readonly RouteAccess[] = [
  { method: 'GET', path: '/health', need: 'public' },
  { method: 'POST', path: '/v1/events', need: 'ingest' },
  { method: 'PUT', path: '/v1/profiles/:userId', need: 'ingest' },
  { method: 'GET', path: '/v1/profiles/:userId', need: 'read' },
  { method: 'GET', path: '/v1/profiles/:userId/explain', need: 'read' },
  { method: 'GET', path: '/v1/profiles/:userId/deliveries', need: 'read' },
  { method: 'GET', path: '/v1/segments', need: 'read' },
  { method: 'GET', path: '/v1/segments/:id', need: 'read' },
  { method: 'GET', path: '/v1/segments/:id/members', need: 'read' },
  { method: 'GET', path: '/v1/campaigns', need: 'read' },
  { method: 'GET', path: '/v1/campaigns/:id', need: 'read' },
  { method: 'GET', path: '/v1/campaigns/:id/deliveries', need: 'read' },
  { method: 'GET', path: '/v1/campaigns/:id/preview', need: 'read' },
  { method: 'POST', path: '/v1/campaigns/:id/simulate', need: 'operate', audit: 'campaign.simulate' },
  { method: 'POST', path: '/v1/campaigns/:id/run', need: 'operate', audit: 'campaign.run' },
  { method: 'POST', path: '/v1/campaigns/:id/pause', need: 'operate', audit: 'campaign.pause' },
  { method: 'POST', path: '/v1/campaigns/:id/resume', need: 'operate', audit: 'campaign.resume' },
  { method: 'GET', path: '/v1/reports/campaigns/:id', need: 'read' },
  { method: 'GET', path: '/v1/reports/funnel', need: 'read' },
  { method: 'GET', path: '/v1/reports/engagement', need: 'read' },
  { method: 'GET', path: '/v1/inbox', need: 'read' },
  { method: 'GET', path: '/v1/keys', need: 'admin' },
  { method: 'POST', path: '/v1/keys', need: 'admin' },
  { method: 'DELETE', path: '/v1/keys/:id', need: 'admin' },
  { method: 'GET', path: '/v1/audit', need: 'admin' },
  { method: 'GET', path: '/v1/openapi.json', need: 'public' },
  { method: 'GET', path: '/v1/l/:token', need: 'public' },
  { method: 'POST', path: '/v1/webhooks/twilio/status', need: 'public' },
  { method: 'POST', path: '/v1/webhooks/twilio/inbound', need: 'public' },
  { method: 'POST', path: '/v1/webhooks/email', need: 'public' },
  { method: 'POST', path: '/v1/webhooks/push', need: 'public' },
  { method: 'GET', path: '/u/:deliveryId', need: 'public' },
  { method: 'POST', path: '/u/:deliveryId', need: 'public' },
];

/** Ingest endpoints draw from the ingest bucket; everything else from the read bucket. */
export function rateClassOf(need: Permission): RateClass {
  return need === 'ingest' ? 'ingest' : 'read';
}

/** A request's row and the raw values of its `:name` segments. */
export interface RouteMatch {
  row: RouteAccess;
  params: Record<string, string>;
}

/**
 * The row for a request, or undefined. Matched as express routes (case-insensitive, one trailing
 * slash ignored, HEAD answered by GET routes); a parameter matches one non-empty segment; a
 * literal segment wins over a parameter in the same place.
 */
export function routeAccessOf(
  method: string,
  path: string,
  table: readonly RouteAccess[] = ROUTE_ACCESS,
): RouteMatch | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const segments = path.replace(/\/$/, '').split('/');
  let best: (RouteMatch & { literals: number }) | undefined;
  for (const row of table) {
    if (row.method !== m) continue;
    const found = matchSegments(row.path.split('/'), segments);
    if (found && (!best || found.literals > best.literals)) best = { row, ...found };
  }
  return best && { row: best.row, params: best.params };
}

function matchSegments(
  pattern: string[],
  segments: string[],
): { literals: number; params: Record<string, string> } | undefined {
  if (pattern.length !== segments.length) return undefined;
  let literals = 0;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    const s = segments[i] as string;
    if (p.startsWith(':')) {
      if (s === '') return undefined;
      params[p.slice(1)] = s;
    } else if (p.toLowerCase() === s.toLowerCase()) literals++;
    else return undefined;
  }
  return { literals, params };
}
