import type { Role } from '../../src/domain/api-key.js';
import { createApiKey } from '../../src/access/api-keys.js';
import { createAccessPorts } from '../../src/store/access-store.js';
import type { Db } from '../../src/store/connection.js';

/** A new API key with `role` in `db` (as `tideflow keys create` makes one), for API tests. */
export async function apiKey(db: Db, role: Role, name?: string): Promise<string> {
  const access = createAccessPorts(db, () => new Date());
  return (await createApiKey(access, { role, actor: 'test', ...(name ? { name } : {}) })).key;
}
