import { Router } from 'express';

/** `GET /health`: 200 when the database answers, 503 otherwise. */
export function healthRouter(ping: () => Promise<void>): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    try {
      await ping();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database does not answer' });
    }
  });
  return router;
}
