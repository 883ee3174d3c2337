import { Router, type Response } from 'express';
import { z } from 'zod';
import { KeyId, KeyName, Role } from '../domain/api-key.js';
import { jsonPath, ValidationError } from '../errors.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../access/api-keys.js';
import { principalOf } from './access-guard.js';
import { queryInt } from './input-guard.js';
import type { AccessPorts } from '../ports/access-ports.js';

export const CreateKeyBody = z.strictObject({ role: Role, name: KeyName.optional() });
export const AuditQuery = z.strictObject({
  since: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  limit: queryInt(1, 1000, 100),
});

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success)
    throw new ValidationError(
      `invalid ${what}`,
      r.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
    );
  return r.data;
}

function actorOf(res: Response): string {
  return principalOf(res)?.keyId ?? 'unknown';
}

/**
 * Admin endpoints (ROUTE_ACCESS): `GET /v1/keys` lists keys (never a key or its hash);
 * `POST /v1/keys` `{ role, name? }` creates one and answers it once (201); `DELETE /v1/keys/:id`
 * revokes it at once (204); `GET /v1/audit[?since=ISO][&limit=100]` reads the audit log, newest first.
 */
export function accessRouter(ports: AccessPorts): Router {
  const router = Router();
  router.get('/v1/keys', async (_req, res) => {
    res.json({ keys: await listApiKeys(ports) });
  });
  router.post('/v1/keys', async (req, res) => {
    const body = parse(CreateKeyBody, req.body ?? {}, 'key request');
    const { key, record } = await createApiKey(ports, { ...body, actor: actorOf(res) });
    res.status(201).json({ key, ...record });
  });
  router.delete('/v1/keys/:id', async (req, res) => {
    await revokeApiKey(ports, parse(KeyId, req.params.id, 'key id (path)'), actorOf(res));
    res.status(204).end();
  });
  router.get('/v1/audit', async (req, res) => {
    res.json({ entries: await ports.audit.list(parse(AuditQuery, req.query, 'query')) });
  });
  return router;
}
