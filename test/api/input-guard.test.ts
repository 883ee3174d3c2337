import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { openApiPath } from '../../src/api/openapi.js';
import { operations, type Operation } from '../../src/api/openapi-operations.js';
import { bodyIssues, hostileKey, queryInt } from '../../src/api/input-guard.js';
import { Instant } from '../../src/domain/event.js';
import { stubApi } from '../support/api-stub.js';
import { listen, type Listening } from '../support/http.js';

/**
 * Operator-query injection is refused before any store is reached: every port of this app throws,
 * so a request that got past the guard and the routers' schemas would answer 500, not 400.
 */
let api: Listening;
let bearer: string;
let reported: string[];

beforeAll(async () => {
  const stub = await stubApi();
  ({ bearer, reported } = stub);
  api = await listen(stub.app);
});
afterAll(async () => {
  await api.close();
});

const OPS = operations(10).filter((op) => op.path !== '/health' && op.path !== '/v1/openapi.json');
const HOSTILE_SEGMENTS = ['$where', '$ne', '__proto__', 'constructor', 'prototype'];
const HOSTILE_QUERIES = [
  'x[$ne]=1',
  '$where=1',
  'a.$gt=1',
  '__proto__[polluted]=1',
  'constructor=1',
  'now[a]=1',
  'limit=1&limit=2',
];
// Parsed from text: in an object literal `__proto__` would set the prototype instead of a key.
const HOSTILE_BODIES: unknown[] = [
  '{"$where":"sleep(1000)"}',
  '{"phone":{"$gt":""}}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"events":[{"id":"e1","userId":{"$ne":null}}]}',
  '[{"id":"e1","props":{"nested":{"deeper":{"$regex":".*"}}}}]',
].map((text) => JSON.parse(text) as unknown);

function urlOf(op: Operation, segment?: string): string {
  const { names } = openApiPath(op.path);
  let path = op.path;
  for (const name of names) path = path.replace(`:${name}`, encodeURIComponent(segment ?? 'u1'));
  return `${api.url}${path}`;
}

async function call(op: Operation, url: string, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { authorization: bearer };
  const init: RequestInit = { method: op.method.toUpperCase(), redirect: 'manual', headers };
  if (body !== undefined && op.body?.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = formOf(body);
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(url, init);
  return { status: res.status, text: await res.text() };
}

/** A form body carrying the same keys (`a[$gt]=` for nested ones, as PHP-style forms write them). */
function formOf(body: unknown): string {
  const pairs: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, key ? `${key}[${k}]` : k);
    else pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
  };
  walk(Array.isArray(body) ? body[0] : body, '');
  return pairs.join('&');
}

const withParams = OPS.filter((op) => openApiPath(op.path).names.length > 0);
test.each(withParams.flatMap((op) => HOSTILE_SEGMENTS.map((s) => [`${op.method} ${op.path}`, s, op] as const)))(
  '%s with path parameter %s: 400',
  async (_name, segment, op) => {
    const res = await call(op, urlOf(op, segment), op.body ? {} : undefined);
    expect({ status: res.status, text: res.text }).toMatchObject({ status: 400 });
    expect(res.text).toContain('not accepted in a path');
  },
);

test.each(OPS.flatMap((op) => HOSTILE_QUERIES.map((q) => [`${op.method} ${op.path}`, q, op] as const)))(
  '%s with query %s: 400',
  async (_name, query, op) => {
    const res = await call(op, `${urlOf(op)}?${query}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ issues: [{ path: expect.stringMatching(/^query\./) as unknown }] });
  },
);

const withBody = OPS.filter((op) => op.body);
test.each(withBody.flatMap((op) => HOSTILE_BODIES.map((b, i) => [`${op.method} ${op.path}`, i, op, b] as const)))(
  '%s with hostile body #%d: 400 (403 where a signature over the raw body comes first)',
  async (_name, _i, op, body) => {
    const res = await call(op, urlOf(op), body);
    if (op.body?.signed) return void expect(res.status).toBe(403);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ issues: [{ path: expect.stringMatching(/^body/) as unknown }] });
  },
);

test('a JSON body nested thousands deep is a 400, not a stack overflow', async () => {
  const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
  for (const op of withBody.filter((o) => !o.body?.form && !o.body?.signed)) {
    expect((await call(op, urlOf(op), deep)).status).toBe(400);
  }
});

test('nothing hostile reached a store (no 500 was reported)', () => {
  expect(reported).toEqual([]);
});

test('the guard names what it refuses and lets plain keys through', () => {
  expect(
    ['$set', 'a[$ne]', 'a.$gt', '__proto__', 'x.constructor', 'prototype'].map((k) => hostileKey(k) !== undefined),
  ).toEqual([true, true, true, true, true, true]);
  expect(['userId', 'risk_tolerance', 'List-Unsubscribe', 'a$b', 'proto'].map(hostileKey)).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  expect(bodyIssues(JSON.parse('{"attributes":{"ok":1,"__proto__":{"admin":true}}}'))).toEqual([
    { path: 'body.attributes.__proto__', message: expect.stringContaining('__proto__') as unknown },
  ]);
  expect(bodyIssues({ a: [{ b: 'plain' }], c: null })).toEqual([]);
});

test('integer query parameters are digits only; instants lie in 1970–2199 (both found by the fuzzer)', () => {
  const q = queryInt(0, 100, 7);
  expect(['', ' 5', '1e1', '0x10', '-1', '101'].map((v) => q.safeParse(v).success)).toEqual([
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
  expect([q.parse('5'), q.parse(undefined)]).toEqual([5, 7]);
  expect(
    ['0020-02-29T00:00:00Z', '9999-12-31T23:59:59Z', '1969-12-31T23:59:59Z'].map((s) => Instant.safeParse(s).success),
  ).toEqual([false, false, false]);
  expect(Instant.parse('2026-11-20T10:00:00+08:00')).toEqual(new Date('2026-11-20T02:00:00Z'));
});

test('a path that exists under other methods is 405 with Allow, an unknown path 404', async () => {
  const patch = await fetch(`${api.url}/v1/segments`, { method: 'PATCH', headers: { authorization: bearer } });
  expect([patch.status, patch.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  const del = await fetch(`${api.url}/v1/profiles/u1`, { method: 'DELETE', headers: { authorization: bearer } });
  expect([del.status, del.headers.get('allow')]).toEqual([405, 'GET, PUT, HEAD']);
  expect((await fetch(`${api.url}/v1/nothing`, { headers: { authorization: bearer } })).status).toBe(404);
});
