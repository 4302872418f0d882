// Per-ISP API keys for integrations (/api/v1/api-keys, api_keys.manage): the key is shown once
// at creation; its permissions must be a subset of its creator's.
import { KiungaError, pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { decodeCursor, pageOf, pageQuerySchema } from '../../kernel/pagination';
import { tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { isIspPermission, permissionsNotHeld } from '../permissions';
import { parsePermissionList } from '../principals';
import { newApiKey } from './service';

/** Live keys per ISP: one per integration is plenty; the cap bounds what a leak could mint. */
export const API_KEYS_PER_TENANT_MAX = 50;

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

interface ApiKeyRow {
  id: string;
  name: string;
  permissions: string;
  createdBy: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const KEY_COLUMNS = `id, name, permissions, created_by AS "createdBy", created_at AS "createdAt",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

function toRecord(row: ApiKeyRow) {
  return { ...row, permissions: parsePermissionList(row.permissions, 'isp') };
}

export function apiKeyRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const platform = dependencies.databases.platform;
  routes.use('*', requirePermission('api_keys.manage'));

  routes.get('/', async (context) => {
    const tenantId = tenantIdOf(context);
    const query = parseQuery(context, pageQuerySchema);
    const rows = await platform.all<ApiKeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
      [tenantId, decodeCursor(query.cursor) ?? '', query.limit + 1],
    );
    return context.json(pageOf(rows.map(toRecord), query.limit, (key) => key.id));
  });

  routes.post('/', async (context) => {
    const tenantId = tenantIdOf(context);
    const body = await parseJsonBody(context, createApiKeySchema);
    const unknown = body.permissions.filter((name) => !isIspPermission(name));
    if (unknown.length > 0)
      throw new KiungaError('validation_failed', `permissions: unknown: ${unknown.join(', ')}.`);
    const missing = permissionsNotHeld(body.permissions, context.get('principal').permissions);
    if (missing.length > 0)
      throw new KiungaError('forbidden', `A key cannot have permissions you lack: ${missing.join(', ')}.`);
    const { id, secretHash, key } = newApiKey();
    const permissions = [...new Set(body.permissions)].sort();
    // One transaction: the count of live keys holds for the insert.
    const row = await platform.transaction(async (transaction) => {
      const live = await transaction.get<{ count: number }>(
        'SELECT count(*) AS count FROM api_keys WHERE tenant_id = ? AND revoked_at IS NULL',
        [tenantId],
      );
      if ((live?.count ?? 0) >= API_KEYS_PER_TENANT_MAX)
        throw new KiungaError(
          'conflict',
          `At most ${API_KEYS_PER_TENANT_MAX} live API keys; revoke one first.`,
        );
      await transaction.run(
        `INSERT INTO api_keys (id, tenant_id, name, secret_hash, permissions, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          tenantId,
          body.name,
          secretHash,
          JSON.stringify(permissions),
          context.get('principal').id,
          dependencies.clock.now(),
        ],
      );
      return transaction.get<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ?`, [id]);
    });
    if (!row) throw new Error('the API key vanished inside its transaction');
    await recordAudit(dependencies, context, {
      action: 'api_key.create',
      target: id,
      detail: { name: body.name, permissions },
    });
    return context.json({ ...toRecord(row), key }, 201);
  });

  routes.delete('/:id', async (context) => {
    const tenantId = tenantIdOf(context);
    const row = await platform.get<ApiKeyRow>(
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = ? AND tenant_id = ?`,
      [context.req.param('id'), tenantId],
    );
    if (!row) throw new KiungaError('not_found', 'No such API key.');
    if (row.revokedAt === null) {
      await platform.run('UPDATE api_keys SET revoked_at = ? WHERE id = ?', [
        dependencies.clock.now(),
        row.id,
      ]);
      await recordAudit(dependencies, context, {
        action: 'api_key.revoke',
        target: row.id,
        detail: { name: row.name },
      });
    }
    return context.body(null, 204);
  });
  return routes;
}
