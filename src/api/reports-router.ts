import { Router } from 'express';
import { z } from 'zod';
import { ReportRangeInput } from '../domain/report-range.js';
import { ValidationError } from '../errors.js';
import { campaignReport, engagementReport, funnelReport, type ReportPorts } from '../track/reports.js';
import { idParam } from './input-guard.js';

export const RangeQuery = z.strictObject({ from: z.string().optional(), to: z.string().optional() });
export const FunnelQuery = RangeQuery.extend({ by: z.enum(['channel']).optional() });

/**
 * Reports as JSON (amounts in yuan, costs in fen, instants ISO):
 * - `GET /v1/reports/campaigns/:id?from=&to=`: the campaign report, per occurrence and cumulative;
 * - `GET /v1/reports/funnel?from=&to=&by=channel`: the platform funnel, per acquisition channel with `by`;
 * - `GET /v1/reports/engagement?from=&to=`: DAU/MAU, 7-day retention, push reach.
 * Days are `YYYY-MM-DD` in the platform time zone; by default the 30 days ending today.
 */
export function reportsRouter(ports: ReportPorts): Router {
  const router = Router();
  router.get('/v1/reports/campaigns/:id', async (req, res) => {
    res.json(await campaignReport(ports, idParam(req, 'id'), query(RangeQuery, req.query)));
  });
  router.get('/v1/reports/funnel', async (req, res) => {
    const { by, ...range } = query(FunnelQuery, req.query);
    res.json(await funnelReport(ports, { ...range, ...(by ? { by } : {}) }));
  });
  router.get('/v1/reports/engagement', async (req, res) => {
    res.json(await engagementReport(ports, query(RangeQuery, req.query)));
  });
  return router;
}

/** The query string parsed with `schema`, its range checked; issues are located as `query.<name>`. */
function query<S extends typeof RangeQuery | typeof FunnelQuery>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  const range = parsed.success ? ReportRangeInput.safeParse({ from: parsed.data.from, to: parsed.data.to }) : undefined;
  const issues = [...(parsed.error?.issues ?? []), ...(range?.error?.issues ?? [])];
  if (issues.length > 0) {
    throw new ValidationError(
      'invalid report query',
      issues.map((i) => ({ path: ['query', ...i.path.map(String)].join('.'), message: i.message })),
    );
  }
  return parsed.data as z.infer<S>;
}
