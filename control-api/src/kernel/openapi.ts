// The OpenAPI 3.1 registry: every /api/v1 operation is described here, from the same zod schemas the
// routes parse with (by kernel/route.ts's declarations, or registerApiOperations() in older route files).
// GET /api/v1/openapi.json (routes/openapi.ts) serves buildOpenApiDocument().
import { errorResponseSchema } from '@kiunga/schemas';
import { z } from 'zod';

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
  /** True for routes any signed-in account may call whatever its permissions (documented as x-signed-in). */
  isSignedIn?: boolean;
  /** The tier feature the route needs (hotspot, pppoe, sms); documented as x-feature. */
  feature?: string;
  /** Path parameters; without it each {name} in the path is documented as a string. */
  params?: z.ZodType;
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

/** The JSON Schema of what a client sends (`input`, the default) or receives (`output`). */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(operation: ApiOperation): unknown[] {
  const declared = operation.params
    ? ((jsonSchemaOf(operation.params) as { properties?: Record<string, unknown> }).properties ?? {})
    : {};
  const path = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: declared[match[1] ?? ''] ?? { type: 'string' },
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
        ? { 'application/json': { schema: jsonSchemaOf(operation.response, 'output') } }
        : { 'application/json': { schema: {} } }
      : { [contentType]: { schema: { type: 'string' } } };
  const error = {
    description: 'Error',
    content: { 'application/json': { schema: jsonSchemaOf(errorResponseSchema, 'output') } },
  };
  return {
    summary: operation.summary,
    tags: [operation.tag],
    ...(operation.permission ? { 'x-permission': operation.permission } : {}),
    ...(operation.isSignedIn ? { 'x-signed-in': true } : {}),
    ...(operation.feature ? { 'x-feature': operation.feature } : {}),
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
