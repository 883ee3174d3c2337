import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { ROUTE_ACCESS } from '../../src/api/access-routes.js';
import { openApiDocument, openApiPath } from '../../src/api/openapi.js';
import { DELIVERY_STATES } from '../../src/domain/delivery.js';
import { stubApi, type StubApi } from '../support/api-stub.js';
import { registeredRoutes } from '../support/express-routes.js';
import { listen, type Listening } from '../support/http.js';

interface Param {
  name: string;
  in: string;
  required: boolean;
  schema: Record<string, unknown>;
}
interface Op {
  operationId: string;
  parameters: Param[];
  security?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: unknown;
}
type Doc = {
  openapi: string;
  security: unknown;
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Op>>;
};

const doc = openApiDocument(10) as Doc;
let stub: StubApi;
let api: Listening;

beforeAll(async () => {
  stub = await stubApi();
  api = await listen(stub.app);
});
afterAll(async () => {
  await api.close();
});

const documented = (): string[] =>
  Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
const op = (method: string, path: string): Op => {
  const found = doc.paths[path]?.[method];
  if (!found) throw new Error(`${method} ${path} is not documented`);
  return found;
};

test('every route express registers is in the document, and nothing else is', () => {
  const routes = registeredRoutes(stub.app as unknown as Parameters<typeof registeredRoutes>[0]);
  expect(routes.length).toBeGreaterThan(20);
  expect(routes.map((r) => `${r.method} ${openApiPath(r.path).path}`).sort()).toEqual(documented());
});

test('OpenAPI 3.1 with a bearer scheme; health, signed links and webhooks are exempt, as access control has them', () => {
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.components.securitySchemes).toEqual({
    bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) as unknown,
  });
  expect(doc.security).toEqual([{ bearer: [] }]);
  const exempt = Object.entries(doc.paths)
    .flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, o]) => Array.isArray(o.security) && o.security.length === 0)
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    )
    .sort();
  const publicRows = [
    ...new Set(ROUTE_ACCESS.filter((r) => r.need === 'public').map((r) => `${r.method} ${openApiPath(r.path).path}`)),
  ].sort();
  expect(exempt).toEqual(publicRows);
  expect(exempt).toEqual(
    expect.arrayContaining([
      'GET /health',
      'GET /v1/openapi.json',
      'GET /v1/l/{token}',
      'POST /v1/webhooks/twilio/status',
      'POST /u/{deliveryId}',
    ]),
  );
});

test('parameters and bodies come from the schemas the routers validate with', () => {
  const deliveries = op('get', '/v1/campaigns/{id}/deliveries');
  const byName = Object.fromEntries(deliveries.parameters.map((p) => [p.name, p]));
  expect(byName.id).toMatchObject({ in: 'path', required: true, schema: { type: 'string', maxLength: 128 } });
  expect(byName.status?.schema).toMatchObject({ enum: [...DELIVERY_STATES] });
  expect(byName.limit).toMatchObject({
    in: 'query',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 500 },
  });
  expect(op('put', '/v1/profiles/{userId}').requestBody).toMatchObject({
    required: true,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          additionalProperties: false,
          properties: { phone: { pattern: expect.any(String) as unknown } },
        },
      },
    },
  });
  expect(op('post', '/v1/events').requestBody).toMatchObject({
    content: { 'application/json': { schema: { anyOf: [{ type: 'array', maxItems: 10 }, { type: 'object' }] } } },
  });
  expect(op('post', '/v1/webhooks/twilio/status').requestBody).toMatchObject({
    content: { 'application/x-www-form-urlencoded': {} },
  });
});

test('every operation answers its own statuses and the error bodies: 400 everywhere, 401/403/429 where a key is needed', () => {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, o] of Object.entries(ops)) {
      const statuses = Object.keys(o.responses);
      expect({ at: `${method} ${path}`, has400: statuses.includes('400') }).toEqual({
        at: `${method} ${path}`,
        has400: true,
      });
      const keyed = !(Array.isArray(o.security) && o.security.length === 0);
      if (keyed) expect(statuses).toEqual(expect.arrayContaining(['401', '403', '429']));
      expect(statuses.some((s) => s.startsWith('2') || s === '302')).toBe(true);
    }
  }
});

test('GET /v1/openapi.json serves the document without a key, as its description says', async () => {
  const res = await fetch(`${api.url}/v1/openapi.json`, { headers: { authorization: stub.bearer } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await res.json()).toEqual(doc);
  const anonymous = await fetch(`${api.url}/v1/openapi.json`);
  expect(anonymous.status).toBe(200);
  expect(await anonymous.json()).toEqual(doc);
  expect(doc.paths['/v1/openapi.json']?.get?.security).toEqual([]);
  expect((doc as unknown as { info: { description: string } }).info.description).toContain(
    'except health, this document,',
  );
});
