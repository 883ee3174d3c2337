import { Router } from 'express';
import { z } from 'zod';
import { Instant } from '../domain/event.js';
import { readProfile, updateProfile, type ProfilePorts } from '../ingest/profile-records.js';
import { idParam, parseInput } from './input-guard.js';

export const ReadQuery = z.strictObject({
  now: Instant.optional(),
  buckets: z
    .enum(['0', '1', 'true', 'false'])
    .transform((v) => v === '1' || v === 'true')
    .optional(),
});

/**
 * `GET /v1/profiles/:userId[?now=ISO][&buckets=1]`: the profile and its metrics at `now`
 * (default: the clock's now); raw day buckets only with `buckets=1`.
 * `PUT /v1/profiles/:userId`: creates (201) or updates (200) contact points, consent, topics and
 * attributes.
 */
export function profilesRouter(ports: ProfilePorts): Router {
  const router = Router();
  router.get('/v1/profiles/:userId', async (req, res) => {
    const query = parseInput(ReadQuery, req.query, 'query', 'query');
    res.json(await readProfile(ports, idParam(req, 'userId'), query));
  });
  router.put('/v1/profiles/:userId', async (req, res) => {
    const { created } = await updateProfile(ports, req.params.userId, req.body);
    res.status(created ? 201 : 200).json({ userId: req.params.userId, created });
  });
  return router;
}
