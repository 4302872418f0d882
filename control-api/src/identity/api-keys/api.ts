// Per-ISP API keys for integrations (/api/v1/api-keys, api_keys.manage): the key is shown once
// at creation; its permissions must be a subset of its creator's.
import { pageResponseSchema } from '@kiunga/schemas';
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { tenantIdOf } from '../../kernel/tenant-access';
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

const apiKeys = routeGroup({ basePath: '/api/v1/api-keys', tag: 'api-keys' });

apiKeys.declare({
  method: 'get',
  path: '/',
  summary: "The ISP's API keys (never their secrets)",
  permission: 'api_keys.manage',
  query: pageQuerySchema,
  response: pageResponseSchema(apiKeyOutputSchema),
  handler: async ({ query, dependencies, respond }, context) =>
    respond(await listApiKeys(dependencies, tenantIdOf(context), query)),
});

apiKeys.declare({
  method: 'post',
  path: '/',
  summary: 'Create an API key with a subset of your permissions; the key is returned only here',
  permission: 'api_keys.manage',
  body: createApiKeySchema,
  response: apiKeyOutputSchema.extend({ key: z.string() }),
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await createApiKey(dependencies, context, tenantIdOf(context), body)),
});

apiKeys.declare({
  method: 'delete',
  path: '/:id',
  summary: 'Revoke an API key (it stops working at once)',
  permission: 'api_keys.manage',
  params: z.object({ id: z.string() }),
  responseStatus: 204,
  handler: async ({ params, dependencies }, context) => {
    await revokeApiKey(dependencies, context, tenantIdOf(context), params.id);
    return context.body(null, 204);
  },
});

export const apiKeyRoutes = (dependencies: ApiDependencies) => apiKeys.mount(dependencies);
