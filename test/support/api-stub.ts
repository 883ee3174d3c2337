import { createApp, type ApiDeps } from '../../src/api/app.js';
import type { ApiKeyRecord } from '../../src/domain/api-key.js';
import { createApiKey } from '../../src/access/api-keys.js';
import type { AccessPorts } from '../../src/ports/access-ports.js';

/**
 * The whole HTTP API over ports that throw when used, with in-memory API keys: for tests of what
 * the API refuses or declares before it reaches any store. A request that reaches one answers 500,
 * and its report is kept in `reported`.
 */
export interface StubApi {
  app: ReturnType<typeof createApp>;
  /** `Bearer <admin key>`. */
  bearer: string;
  reported: string[];
}

const unreachable = (): never => {
  throw new Error('a request reached a store');
};
const trap = (): object => new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : unreachable) });

function memoryAccess(): AccessPorts {
  const keys = new Map<string, ApiKeyRecord>();
  return {
    keys: {
      insert: (r) => Promise.resolve(!keys.has(r.id) && Boolean(keys.set(r.id, r))),
      get: (id) => Promise.resolve(keys.get(id) ?? null),
      list: () => Promise.resolve([...keys.values()]),
      revoke: () => Promise.resolve(false),
    },
    audit: { record: () => Promise.resolve(), list: () => Promise.resolve([]) },
    clock: () => new Date('2026-11-20T10:00:00+08:00'),
  };
}

export async function stubApi(maxBatch = 10): Promise<StubApi> {
  const access = memoryAccess();
  const rate = 1e6;
  const deps = {
    config: {
      TIDEFLOW_MAX_BATCH: maxBatch,
      TIDEFLOW_RATE_INGEST_PER_SECOND: rate,
      TIDEFLOW_RATE_INGEST_BURST: rate,
      TIDEFLOW_RATE_READ_PER_SECOND: rate,
      TIDEFLOW_RATE_READ_BURST: rate,
    },
    access,
    ingest: trap(),
    profile: trap(),
    ping: unreachable,
    segments: trap(),
    campaignApi: trap(),
    inbox: trap(),
    // Spread by the app, so a plain object: whatever else a webhook calls on it is missing and throws.
    outcomes: { track: { clock: access.clock }, reports: trap(), publicUrl: 'http://127.0.0.1', twilioAuthToken: 'x' },
  } as unknown as ApiDeps;
  const reported: string[] = [];
  const bearer = `Bearer ${(await createApiKey(access, { role: 'admin', actor: 'test' })).key}`;
  return { app: createApp(deps, { report: (line) => reported.push(line) }), bearer, reported };
}
