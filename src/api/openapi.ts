import { Router } from 'express';
import { z } from 'zod';
import { Id } from '../domain/event.js';
import { ErrorBody } from './openapi-responses.js';
import { operations, type Answer, type Operation } from './openapi-operations.js';

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas the routers validate
 * with (`z.toJSONSchema`), served at `GET /v1/openapi.json`.
 */

type Json = Record<string, unknown>;

/** JSON Schema of what a client sends (`io: 'input'`: before coercions and transforms). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** `/v1/campaigns/:id` → `/v1/campaigns/{id}` and its parameter names. */
export function openApiPath(expressPath: string): { path: string; names: string[] } {
  const names: string[] = [];
  const path = expressPath.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => {
    names.push(name);
    return `{${name}}`;
  });
  return { path, names };
}

function parameters(op: Operation, names: string[]): Json[] {
  const path = names.map((name) => ({ name, in: 'path', required: true, schema: schemaOf(op.params?.[name] ?? Id) }));
  if (!op.query) return path;
  const q = schemaOf(op.query) as { properties?: Record<string, Json>; required?: string[] };
  const query = Object.entries(q.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: q.required?.includes(name) ?? false,
    schema,
  }));
  return [...path, ...query];
}

function response(a: Answer): Json {
  const content: Json = {};
  if (a.json) content['application/json'] = { schema: schemaOf(a.json, 'output') };
  if (a.type) content[a.type] = { schema: { type: 'string' } };
  return {
    description: a.description,
    ...(Object.keys(content).length > 0 ? { content } : {}),
    ...(a.links ? { links: a.links } : {}),
  };
}

/** Answers every operation can give besides its own: the input guard's 400, access and rate limits. */
function commonAnswers(op: Operation): Record<number, Answer> {
  const guard = {
    400: { description: 'rejected input (operator or prototype keys, repeated parameters)', json: ErrorBody },
    431: { description: 'request line or headers too large (refused by the HTTP server)' },
  };
  if (op.public) return guard;
  return {
    ...guard,
    401: { description: 'no valid API key', json: ErrorBody },
    403: { description: "the key's role may not do this", json: ErrorBody },
    429: { description: 'rate limited (Retry-After)', json: ErrorBody },
  };
}

function operationObject(op: Operation, names: string[]): Json {
  const answers = { ...commonAnswers(op), ...op.answers };
  const body = op.body && {
    required: op.body.required ?? false,
    content: {
      [op.body.form ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: schemaOf(op.body.schema) },
    },
  };
  return {
    operationId: op.operationId,
    summary: op.summary,
    parameters: parameters(op, names),
    ...(body ? { requestBody: body } : {}),
    responses: Object.fromEntries(Object.entries(answers).map(([status, a]) => [status, response(a)])),
    ...(op.public ? { security: [] } : {}),
  };
}

/** The document for an API whose event batches hold at most `maxBatch` events. */
export function openApiDocument(maxBatch: number): Json {
  const paths: Record<string, Json> = {};
  for (const op of operations(maxBatch)) {
    const { path, names } = openApiPath(op.path);
    paths[path] = { ...paths[path], [op.method]: operationObject(op, names) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tideflow',
      version: '0.1.0',
      description:
        'Rule-driven marketing automation: events, profiles, segments, campaigns, outcomes and reports. ' +
        'Every endpoint needs `Authorization: Bearer <key>` except health, this document, signed links and provider webhooks.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key from `tideflow keys create`' },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

/** `GET /v1/openapi.json`: the document, built once. */
export function openApiRouter(maxBatch: number): Router {
  const router = Router();
  const document = JSON.stringify(openApiDocument(maxBatch));
  router.get('/v1/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });
  return router;
}
