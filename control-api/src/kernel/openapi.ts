// GET /api/v1/openapi.json: the OpenAPI 3.1 document, built from the same zod schemas routes parse with.
// Every route file describes its operations with registerApiOperations(); routes/openapi.test.ts checks
// that each mounted /api/v1 route appears in the document.
import { errorResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './dependencies';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiOperation {
  method: HttpMethod;
  /** Full path in OpenAPI form, e.g. /api/v1/plans/{id}. */
  path: string;
  summary: string;
  tag: string;
  /** The permission a principal needs (documented; enforcement is the route's). */
  permission?: string;
  /** True for routes that need no Bearer token. */
  isPublic?: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  /** 200 unless said otherwise. */
  responseStatus?: number;
  /** application/json unless said otherwise (CSV, HTML, PDF, RouterOS script). */
  responseContentType?: string;
}

/** Keyed by method + path: registering the same operation twice (tests build many apps) is harmless. */
const operations = new Map<string, ApiOperation>();

export function registerApiOperations(list: ApiOperation[]): void {
  for (const operation of list) operations.set(`${operation.method} ${operation.path}`, operation);
}

type JsonSchema = Record<string, unknown>;

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function outputSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function parametersOf(operation: ApiOperation): unknown[] {
  const path = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (!operation.query) return path;
  const query = jsonSchemaOf(operation.query) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  const required = new Set(query.required ?? []);
  const queryParameters = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
  }));
  return [...path, ...queryParameters];
}

function operationObject(operation: ApiOperation): Record<string, unknown> {
  const status = String(operation.responseStatus ?? 200);
  const contentType = operation.responseContentType ?? 'application/json';
  const responseContent =
    contentType === 'application/json'
      ? operation.response
        ? { 'application/json': { schema: outputSchemaOf(operation.response) } }
        : { 'application/json': { schema: {} } }
      : { [contentType]: { schema: { type: 'string' } } };
  const error = {
    description: 'Error',
    content: { 'application/json': { schema: outputSchemaOf(errorResponseSchema) } },
  };
  return {
    summary: operation.summary,
    tags: [operation.tag],
    ...(operation.permission ? { 'x-permission': operation.permission } : {}),
    ...(operation.isPublic ? { security: [] } : {}),
    parameters: parametersOf(operation),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(operation.body) } },
          },
        }
      : {}),
    responses: { [status]: { description: 'Success', content: responseContent }, default: error },
  };
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const sorted = [...operations.values()].sort((a, b) => a.path.localeCompare(b.path));
  for (const operation of sorted) {
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = operationObject(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kiunga control API',
      version: '1.0.0',
      description:
        'ISP billing and RADIUS platform. ISP routes take the tenant from the token; lists take ?limit=&cursor= and answer {items, nextCursor}; errors are {"error":{"code","message"}}.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/openapi.json',
    summary: 'This OpenAPI document',
    tag: 'meta',
    isPublic: true,
  },
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'Who is calling: kind, id, email, tenant and permissions of the token, key or session',
    tag: 'meta',
    response: z.object({
      kind: z.string(),
      id: z.string(),
      email: z.string().nullable(),
      tenantId: z.string().nullable(),
      permissions: z.array(z.string()),
    }),
  },
]);

/** Mounted before authentication: the document is public. */
export function openApiRoutes(): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  let cached: Record<string, unknown> | null = null;
  routes.get('/openapi.json', (context) => {
    cached ??= buildOpenApiDocument();
    return context.json(cached);
  });
  return routes;
}
