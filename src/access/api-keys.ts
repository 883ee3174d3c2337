import { randomBytes } from 'node:crypto';
import {
  apiKeyId,
  apiKeyMatches,
  formatApiKey,
  hashApiKey,
  type ApiKeyRecord,
  type ApiKeyView,
  apiKeyView,
  type Principal,
  type Role,
} from '../domain/api-key.js';
import type { AuditAction } from '../domain/audit-entry.js';
import { NotFoundError } from '../errors.js';
import type { AccessPorts } from '../ports/access-ports.js';

/**
 * Creates a key with `role`; the key itself is returned once and never stored (only its hash).
 * Audited as `key.create` by `actor`.
 */
export async function createApiKey(
  ports: AccessPorts,
  input: { role: Role; name?: string; actor: string },
): Promise<{ key: string; record: ApiKeyView }> {
  const at = ports.clock();
  for (;;) {
    const id = randomBytes(5).toString('hex').slice(0, 8);
    const key = formatApiKey(id, randomBytes(32).toString('base64url'));
    const record: ApiKeyRecord = {
      id,
      role: input.role,
      ...(input.name ? { name: input.name } : {}),
      hash: hashApiKey(key),
      createdAt: at,
      createdBy: input.actor,
    };
    if (!(await ports.keys.insert(record))) continue;
    await audit(ports, input.actor, 'key.create', id, {
      role: input.role,
      ...(input.name ? { name: input.name } : {}),
    });
    return { key, record: apiKeyView(record) };
  }
}

/** Revokes key `id` at once: the next request with it is refused. Audited as `key.revoke`. */
export async function revokeApiKey(ports: AccessPorts, id: string, actor: string): Promise<void> {
  if (!(await ports.keys.revoke(id, ports.clock(), actor))) throw new NotFoundError(`no API key with id "${id}"`);
  await audit(ports, actor, 'key.revoke', id);
}

export async function listApiKeys(ports: AccessPorts): Promise<ApiKeyView[]> {
  return (await ports.keys.list()).map(apiKeyView);
}

/**
 * The principal a bearer key stands for, or undefined for anything else: no key, not the shape of
 * a key, an unknown id, a wrong secret or a revoked key all look the same to the caller.
 */
export async function authenticate(
  ports: Pick<AccessPorts, 'keys'>,
  presented: string | undefined,
): Promise<Principal | undefined> {
  const id = presented === undefined ? undefined : apiKeyId(presented);
  if (!presented || !id) return undefined;
  const record = await ports.keys.get(id);
  if (!record || record.revokedAt || !apiKeyMatches(presented, record.hash)) return undefined;
  return { keyId: record.id, role: record.role };
}

/** Appends one audit row at the clock's now. */
export function audit(
  ports: Pick<AccessPorts, 'audit' | 'clock'>,
  actor: string,
  action: AuditAction,
  target?: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  return ports.audit.record({
    at: ports.clock(),
    actor,
    action,
    ...(target ? { target } : {}),
    ...(detail ? { detail } : {}),
  });
}
