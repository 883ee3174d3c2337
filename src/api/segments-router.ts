import { Router } from 'express';
import { z } from 'zod';
import { Instant } from '../domain/event.js';
import { NotFoundError } from '../errors.js';
import { explainProfile } from '../evaluate/explain-profile.js';
import { segmentMembers, sweepSegments } from '../evaluate/sweep-segments.js';
import { idParam, parseInput, queryInt } from './input-guard.js';
import type { EvaluatePorts } from '../ports/evaluate-ports.js';

export const NowQuery = z.strictObject({ now: Instant.optional() });
export const MembersQuery = z.strictObject({
  now: Instant.optional(),
  after: z.string().min(1).max(128).optional(),
  limit: queryInt(1, 1000, 100),
});
export const ExplainQuery = z.strictObject({ now: Instant.optional(), segment: z.string().min(1).max(64).optional() });

/**
 * `GET /v1/segments`: every segment with its conditions.
 * `GET /v1/segments/:id[?now=ISO]`: member count, what each condition admits on its own, and the
 * waterfall (what is left after each condition in turn).
 * `GET /v1/segments/:id/members[?after=userId][&limit=100][&now=ISO]`: members in user id order;
 * pass the answer's `next` as `after` for the next page.
 * `GET /v1/profiles/:userId/explain[?segment=id][&now=ISO]`: in or out of each segment, per condition.
 */
export function segmentsRouter(ports: EvaluatePorts): Router {
  const router = Router();
  router.get('/v1/segments', (_req, res) => {
    res.json({ segments: [...ports.rules.segments.values()] });
  });
  router.get('/v1/segments/:id', async (req, res) => {
    const { now } = parseInput(NowQuery, req.query, 'query', 'query');
    const id = idParam(req, 'id');
    const result = await sweepSegments(ports, [id], { ...(now ? { now } : {}), leafCounts: true });
    const [s] = result.segments;
    if (!s) throw new NotFoundError(`unknown segment "${id}"`);
    res.json({
      segment: s.segment,
      name: s.name,
      now: result.now,
      population: result.population,
      count: s.count,
      conditions: s.leaves,
      waterfall: s.waterfall,
    });
  });
  router.get('/v1/segments/:id/members', async (req, res) => {
    const { now, after, limit } = parseInput(MembersQuery, req.query, 'query', 'query');
    res.json(
      await segmentMembers(ports, idParam(req, 'id'), { limit, ...(now ? { now } : {}), ...(after ? { after } : {}) }),
    );
  });
  router.get('/v1/profiles/:userId/explain', async (req, res) => {
    const { now, segment } = parseInput(ExplainQuery, req.query, 'query', 'query');
    res.json(
      await explainProfile(ports, idParam(req, 'userId'), { ...(now ? { now } : {}), ...(segment ? { segment } : {}) }),
    );
  });
  return router;
}
