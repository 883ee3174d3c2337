import { Router } from 'express';
import { z } from 'zod';
import type { SandboxInbox } from '../domain/inbox.js';
import { ValidationError } from '../errors.js';

const Filter = z.string().min(1).max(200);
export const InboxQuery = z.strictObject({
  userId: Filter.optional(),
  campaignId: Filter.optional(),
  /** @defaultValue 200 */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * `GET /v1/inbox?userId=&campaignId=&limit=`: what the sandbox channels received (`tideflow serve
 * --sandbox`, `tideflow run --sandbox`), as the users would have seen it, oldest first.
 */
export function inboxRouter(inbox: SandboxInbox): Router {
  const router = Router();
  router.get('/v1/inbox', async (req, res) => {
    const parsed = InboxQuery.safeParse(req.query);
    if (!parsed.success) {
      throw new ValidationError(
        'invalid inbox query',
        parsed.error.issues.map((i) => ({ path: ['query', ...i.path.map(String)].join('.'), message: i.message })),
      );
    }
    const q = parsed.data;
    const messages = await inbox.list({
      ...(q.userId === undefined ? {} : { userId: q.userId }),
      ...(q.campaignId === undefined ? {} : { campaignId: q.campaignId }),
      ...(q.limit === undefined ? {} : { limit: q.limit }),
    });
    res.json({ messages });
  });
  return router;
}
