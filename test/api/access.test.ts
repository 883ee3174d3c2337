import { readFile } from 'node:fs/promises';
import { bodyLimitBytes, createApp } from '../../src/api/app.js';
import { ROUTE_ACCESS, routeAccessOf } from '../../src/api/access-routes.js';
import type { CampaignApi } from '../../src/api/campaigns-router.js';
import { mayDo, ROLES, type Role } from '../../src/domain/api-key.js';
import { openTideflow, type Tideflow } from '../../src/main.js';
import { revokeApiKey } from '../../src/access/api-keys.js';
import type { Db } from '../../src/store/connection.js';
import { createSandboxInbox } from '../../src/store/sandbox-inbox.js';
import { apiKey } from '../support/api-key.js';
import { dropTestDatabase, openTestDatabase } from '../support/test-db.js';
import { registeredRoutes } from '../support/express-routes.js';
import { anEvent, fixedClock, testConfig } from '../support/factories.js';
import { listen, send, type Listening } from '../support/http.js';

let db: Db;
let tf: Tideflow;
let api: Listening;
const keys = {} as Record<Role, string>;
const reported: string[] = [];

/** Campaign endpoints that answer without a campaign runtime: enough to pass or fail the guard. */
const campaignApi = {
  campaigns: {
    list: () => Promise.resolve([]),
    get: (id: string) => Promise.resolve({ id }),
    setStatus: (id: string, status: string) => Promise.resolve({ id, status }),
  },
  run: (id: string) => Promise.resolve({ runId: `${id}:manual`, occurrence: 'manual' }),
} as unknown as CampaignApi;

const app = () =>
  createApp(
    { ...tf, campaignApi, outcomes: tf.outcomes, inbox: createSandboxInbox(tf.db) },
    { report: (line) => reported.push(line) },
  );

beforeAll(async () => {
  db = await openTestDatabase('access');
  tf = await openTideflow(testConfig(), { db, clock: fixedClock() });
  api = await listen(app());
  for (const role of ROLES) keys[role] = await apiKey(db, role);
});
afterAll(async () => {
  await api.close();
  await tf.close();
  await dropTestDatabase(db);
});

const concrete = (path: string): string => path.replace(/:\w+/g, 'x1');

test('every registered route has exactly one row in the access table, and every row a route', () => {
  const routes = registeredRoutes(app() as unknown as Parameters<typeof registeredRoutes>[0]);
  const rows = new Set(ROUTE_ACCESS.map((r) => `${r.method} ${r.path}`));
  const registered = new Set(routes.map((r) => `${r.method} ${r.path}`));
  expect([...registered].filter((r) => !rows.has(r))).toEqual([]);
  expect([...rows].filter((r) => !registered.has(r))).toEqual([]);
  for (const r of routes) expect(routeAccessOf(r.method, concrete(r.path))?.row.path).toBe(r.path);
});

test('docs/security.md lists every row of the access table as it is', async () => {
  const doc = await readFile('docs/security.md', 'utf8');
  const documented = [...doc.matchAll(/^\| `(GET|POST|PUT|DELETE) (\/\S*)` \| (\w+)/gm)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}`,
  );
  expect(documented.sort()).toEqual(ROUTE_ACCESS.map((r) => `${r.method} ${r.path} ${r.need}`).sort());
});

describe.each(ROUTE_ACCESS.filter((r) => r.need !== 'public'))('$method $path (needs $need)', (row) => {
  const call = (key?: string) =>
    send(
      `${api.url}${concrete(row.path)}`,
      row.method,
      row.method === 'GET' || row.method === 'DELETE' ? undefined : {},
      key,
    );

  test('401 without a key, with a malformed, unknown or wrong key: one answer for all', async () => {
    const wrongSecret = keys.admin.slice(0, -4) + (keys.admin.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const unknownId = keys.admin.replace(/^tfk_[a-z0-9]{8}/, 'tfk_zzzzzzzz');
    for (const key of [undefined, 'nonsense', wrongSecret, unknownId]) {
      expect(await call(key)).toEqual({
        status: 401,
        body: { error: 'unauthorized: send a valid API key as Authorization: Bearer <key>' },
      });
    }
  });

  test.each(ROLES)('role %s: 403 unless the table grants it', async (role) => {
    const res = await call(keys[role]);
    if (mayDo(role, row.need as Exclude<typeof row.need, 'public'>)) expect([401, 403, 429]).not.toContain(res.status);
    else expect(res).toEqual({ status: 403, body: { error: "forbidden: this key's role may not use this endpoint" } });
  });
});

test('public endpoints need no key: health, signed links, provider webhooks', async () => {
  expect((await send(`${api.url}/health`, 'GET')).status).toBe(200);
  expect((await send(`${api.url}/v1/l/not-a-token`, 'GET')).status).toBe(404);
  expect((await fetch(`${api.url}/v1/webhooks/twilio/status`, { method: 'POST' })).status).toBe(403);
  expect((await fetch(`${api.url}/u/d1`, { method: 'POST' })).status).toBe(403);
});

test('a path in another case or with a trailing slash is the same row; an unknown path is for admins only', async () => {
  expect((await send(`${api.url}/V1/EVENTS/`, 'POST', [anEvent()], keys.viewer)).status).toBe(403);
  expect((await send(`${api.url}/V1/Events/`, 'POST', [anEvent({ userId: 'case1' })], keys.ingest)).status).toBe(202);
  expect((await send(`${api.url}/v1/nothing`, 'GET')).status).toBe(401);
  expect((await send(`${api.url}/v1/nothing`, 'GET', undefined, keys.operator)).status).toBe(403);
  expect(await send(`${api.url}/v1/nothing`, 'GET', undefined, keys.admin)).toEqual({
    status: 404,
    body: { error: 'no such endpoint' },
  });
});

test('a revoked key is refused from the next request on', async () => {
  const key = await apiKey(db, 'viewer');
  expect((await send(`${api.url}/v1/segments`, 'GET', undefined, key)).status).toBe(200);
  await revokeApiKey(tf.access, key.slice(4, 12), 'test');
  expect((await send(`${api.url}/v1/segments`, 'GET', undefined, key)).status).toBe(401);

  const other = await apiKey(db, 'ingest');
  expect((await send(`${api.url}/v1/keys/${other.slice(4, 12)}`, 'DELETE', undefined, keys.admin)).status).toBe(204);
  expect((await send(`${api.url}/v1/events`, 'POST', [anEvent()], other)).status).toBe(401);
  expect((await send(`${api.url}/v1/keys/nokey123`, 'DELETE', undefined, keys.admin)).status).toBe(404);
});

test('campaign actions are audited with the key that asked, before they act', async () => {
  const opKey = keys.operator;
  for (const action of ['run', 'pause', 'resume', 'simulate']) {
    const res = await send(`${api.url}/v1/campaigns/camp-${action}/${action}`, 'POST', {}, opKey);
    expect([401, 403, 429]).not.toContain(res.status);
  }
  const log = await send(`${api.url}/v1/audit?limit=10`, 'GET', undefined, keys.admin);
  expect(log.status).toBe(200);
  const entries = (log.body as { entries: { actor: string; action: string; target?: string }[] }).entries;
  for (const action of ['run', 'pause', 'resume', 'simulate']) {
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: opKey.slice(4, 12), action: `campaign.${action}`, target: `camp-${action}` }),
    );
  }
  expect((await send(`${api.url}/v1/audit`, 'GET', undefined, opKey)).status).toBe(403);
  const later = await send(
    `${api.url}/v1/audit?since=${encodeURIComponent('2030-01-01T00:00:00+08:00')}`,
    'GET',
    undefined,
    keys.admin,
  );
  expect(later).toEqual({ status: 200, body: { entries: [] } });
  expect(await send(`${api.url}/v1/audit?since=yesterday`, 'GET', undefined, keys.admin)).toMatchObject({
    status: 400,
    body: { issues: [{ path: 'since' }] },
  });
});

test('admins create keys over HTTP: shown once, listed without secret or hash, audited', async () => {
  const created = await send(`${api.url}/v1/keys`, 'POST', { role: 'viewer', name: 'dashboard' }, keys.admin);
  expect(created).toMatchObject({
    status: 201,
    body: { role: 'viewer', name: 'dashboard', createdBy: keys.admin.slice(4, 12) },
  });
  const { key, id } = created.body as { key: string; id: string };
  expect(key).toMatch(/^tfk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  expect((await send(`${api.url}/v1/campaigns`, 'GET', undefined, key)).status).toBe(200);
  const listed = await send(`${api.url}/v1/keys`, 'GET', undefined, keys.admin);
  expect(JSON.stringify(listed.body)).not.toContain(key.slice(13));
  expect(JSON.stringify(listed.body)).not.toContain('hash');
  expect((listed.body as { keys: { id: string }[] }).keys.map((k) => k.id)).toContain(id);
  expect(await send(`${api.url}/v1/keys`, 'POST', { role: 'root' }, keys.admin)).toMatchObject({
    status: 400,
    body: { issues: [{ path: 'role' }] },
  });
  const audit = await tf.access.audit.list({ limit: 50 });
  expect(audit).toContainEqual(
    expect.objectContaining({ action: 'key.create', target: id, actor: keys.admin.slice(4, 12) }),
  );
});

test('the body cap answers 413 with a JSON error; a request without a key is refused before its body is read', async () => {
  const big = JSON.stringify([{ pad: 'x'.repeat(bodyLimitBytes(tf.config.TIDEFLOW_MAX_BATCH)) }]);
  const res = await send(`${api.url}/v1/events`, 'POST', big, keys.ingest);
  expect(res).toMatchObject({
    status: 413,
    body: { error: expect.stringMatching(/^request body is larger than \d+ bytes/) as string },
  });
  expect((await send(`${api.url}/v1/events`, 'POST', big)).status).toBe(401);
});

test('an error the API logs is masked: no phone number, email or key in the report', async () => {
  const failing = () =>
    Promise.reject(new Error(`provider refused +8613800138000 / li@example.com with ${keys.ingest}`));
  const broken = await listen(
    createApp(
      { ...tf, ingest: { ...tf.ingest, events: { ...tf.ingest.events, journal: failing } } },
      { report: (line) => reported.push(line) },
    ),
  );
  try {
    expect(await send(`${broken.url}/v1/events`, 'POST', [anEvent()], keys.ingest)).toEqual({
      status: 500,
      body: { error: 'internal error' },
    });
  } finally {
    await broken.close();
  }
  const line = reported.at(-1) ?? '';
  expect(line).toContain('provider refused +*********8000 / l***@example.com with tfk_');
  expect(line).not.toContain('13800138000');
  expect(line).not.toContain(keys.ingest);
});
