// GET /api/v1/openapi.json: the OpenAPI 3.1 document, built from the same zod schemas routes parse with.
// The registry lives in kernel/openapi.ts; kernel/openapi.test.ts checks that each mounted /api/v1 route
// appears in the document.
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from './dependencies';
import { buildOpenApiDocument, registerApiOperations } from './openapi';

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
    isSignedIn: true,
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
