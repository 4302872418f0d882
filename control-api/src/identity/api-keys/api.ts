// Per-ISP API keys for integrations (/api/v1/api-keys, api_keys.manage): the key is shown once
// at creation; its permissions must be a subset of its creator's.
import { pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { createApiKey, listApiKeys, revokeApiKey } from './service';

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1).max(80),
  permissions: z.array(z.string().max(64)).min(1).max(64),
});

const apiKeyOutputSchema = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(z.string()),
  createdBy: z.string().nullable(),
  createdAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
});

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/api-keys',
    summary: "The ISP's API keys (never their secrets)",
    tag: 'api-keys',
    permission: 'api_keys.manage',
    query: pageQuerySchema,
    response: pageResponseSchema(apiKeyOutputSchema),
  },
  {
    method: 'post',
    path: '/api/v1/api-keys',
    summary: 'Create an API key with a subset of your permissions; the key is returned only here',
    tag: 'api-keys',
    permission: 'api_keys.manage',
    body: createApiKeySchema,
    response: apiKeyOutputSchema.extend({ key: z.string() }),
    responseStatus: 201,
  },
  {
    method: 'delete',
    path: '/api/v1/api-keys/{id}',
    summary: 'Revoke an API key (it stops working at once)',
    tag: 'api-keys',
    permission: 'api_keys.manage',
    responseStatus: 204,
  },
]);

export function apiKeyRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requirePermission('api_keys.manage'));

  routes.get('/', async (context) => {
    const query = parseQuery(context, pageQuerySchema);
    return context.json(await listApiKeys(dependencies, tenantIdOf(context), query));
  });

  routes.post('/', async (context) => {
    const body = await parseJsonBody(context, createApiKeySchema);
    return context.json(await createApiKey(dependencies, context, tenantIdOf(context), body), 201);
  });

  routes.delete('/:id', async (context) => {
    await revokeApiKey(dependencies, context, tenantIdOf(context), context.req.param('id'));
    return context.body(null, 204);
  });
  return routes;
}
