import { Router } from 'express';
import { z } from 'zod';
import { Event } from '../domain/event.js';
import { ValidationError } from '../errors.js';
import { ingest, type IngestPorts } from '../ingest/ingest.js';

/**
 * The body `POST /v1/events` takes, as documented: each event is then parsed with `Event` by ingest,
 * which locates every issue (`[3].ts`); the batch shape and size are checked by `batchOf` below.
 */
export function eventBatch(maxBatch: number) {
  const events = z.array(Event).max(maxBatch);
  return z.union([events, z.object({ events })]);
}

/**
 * `POST /v1/events`: a JSON array of events or `{ "events": [...] }`, at most `maxBatch` of them.
 * 202 `{ accepted, duplicates }`; a bad event rejects the batch whole: 400 `{ error, issues }`.
 */
export function eventsRouter(ports: IngestPorts, maxBatch: number): Router {
  const router = Router();
  router.post('/v1/events', async (req, res) => {
    const events = batchOf(req.body as unknown, maxBatch);
    res.status(202).json(await ingest(ports, events));
  });
  return router;
}

function batchOf(body: unknown, maxBatch: number): unknown[] {
  const wrapped = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
  const events: unknown = wrapped ? (body as { events: unknown }).events : body;
  const path = wrapped ? 'events' : '';
  if (!Array.isArray(events)) {
    throw new ValidationError('expected a JSON array of events or { "events": [...] }', [
      { path, message: 'expected an array' },
    ]);
  }
  if (events.length > maxBatch) {
    throw new ValidationError(`a batch holds at most ${maxBatch} events (TIDEFLOW_MAX_BATCH); split it`, [
      { path, message: `${events.length} events, at most ${maxBatch} allowed` },
    ]);
  }
  return events;
}
