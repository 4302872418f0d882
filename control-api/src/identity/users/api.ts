// Accounts managed by a superior: ISP staff and technicians (/api/v1/users, staff.manage) and
// platform sub-admins (/api/v1/platform/users, platform_users.manage). Same code, two scopes.
import { KiungaError, newId, pageResponseSchema, UniqueViolationError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { equals, whereAll } from '../../kernel/listing';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { decodeCursor, pageOf, pageQuerySchema } from '../../kernel/pagination';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { emailSchema, generateTemporaryPassword, hashPassword, newPasswordSchema } from '../passwords';
import { permissionsNotHeld } from '../permissions';
import { revokeAllSessionsOf } from '../refresh-tokens';
import { findRole } from '../roles/service';
import { type AccountScope, accountScopeOf, ensureTenantRoles, type ScopeKind } from '../scope';

export const createUserSchema = z.object({
  email: emailSchema,
  /** Omit to get a one-time temporary password in the answer. */
  password: newPasswordSchema.optional(),
  displayName: z.string().trim().max(120).default(''),
  kind: z.enum(['isp_staff', 'technician', 'platform_staff']),
  roleId: z.string().min(1).max(64),
});

export const updateUserSchema = z
  .object({
    displayName: z.string().trim().max(120).optional(),
    roleId: z.string().min(1).max(64).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'nothing to change');

export const resetPasswordSchema = z.object({ password: newPasswordSchema.optional() });

export const listUsersQuerySchema = pageQuerySchema.extend({
  kind: z.enum(['isp_staff', 'technician', 'platform_staff']).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

const userOutputSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  kind: z.string(),
  tenantId: z.string().nullable(),
  roleId: z.string().nullable(),
  status: z.string(),
  totpEnabled: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
const passwordResetOutputSchema = z.object({ id: z.string(), temporaryPassword: z.string().optional() });

for (const scope of ['isp', 'platform'] as const) {
  const base = scope === 'isp' ? '/api/v1/users' : '/api/v1/platform/users';
  const tag = scope === 'isp' ? 'users' : 'platform';
  const permission = scope === 'isp' ? 'staff.manage' : 'platform_users.manage';
  const who = scope === 'isp' ? 'staff and technician accounts' : 'platform sub-admin accounts';
  registerApiOperations([
    {
      method: 'get',
      path: base,
      summary: `List ${who}`,
      tag,
      permission,
      query: listUsersQuerySchema,
      response: pageResponseSchema(userOutputSchema),
    },
    {
      method: 'post',
      path: base,
      summary: `Create one of the ${who} with a role; without a password, a temporary one is returned once (to be changed at first sign-in)`,
      tag,
      permission,
      body: createUserSchema,
      response: userOutputSchema.extend({ temporaryPassword: z.string().optional() }),
      responseStatus: 201,
    },
    {
      method: 'get',
      path: `${base}/{id}`,
      summary: 'Get an account',
      tag,
      permission,
      response: userOutputSchema,
    },
    {
      method: 'patch',
      path: `${base}/{id}`,
      summary: 'Change the name, role or status (disable ends its sessions)',
      tag,
      permission,
      body: updateUserSchema,
      response: userOutputSchema,
    },
    {
      method: 'delete',
      path: `${base}/{id}`,
      summary: 'Delete an account',
      tag,
      permission,
      responseStatus: 204,
    },
    {
      method: 'post',
      path: `${base}/{id}/reset-password`,
      summary:
        'Reset the password (chosen, or a temporary one returned once); its sessions end and the user must change it at first sign-in',
      tag,
      permission,
      body: resetPasswordSchema,
      response: passwordResetOutputSchema,
    },
  ]);
}

export interface UserRecord {
  id: string;
  email: string;
  displayName: string;
  kind: string;
  tenantId: string | null;
  roleId: string | null;
  status: string;
  totpEnabled: boolean;
  createdAt: number;
  updatedAt: number;
}

const USER_COLUMNS = `id, email, display_name AS "displayName", kind, tenant_id AS "tenantId", role_id AS "roleId",
  status, CASE WHEN totp_enabled_at IS NOT NULL THEN 1 ELSE 0 END AS "totpEnabled", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

function toRecord(row: UserRecord): UserRecord {
  return { ...row, totpEnabled: Boolean(row.totpEnabled) };
}

/** A managed account of this scope, or 404 (another tenant's id looks like no id at all). */
export async function findScopedUser(
  dependencies: ApiDependencies,
  scope: AccountScope,
  userId: string,
): Promise<UserRecord> {
  const row = await dependencies.databases.platform.get<UserRecord>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = ? AND tenant_id IS NOT DISTINCT FROM ?`,
    [userId, scope.tenantId],
  );
  if (!row || !scope.managedKinds.includes(row.kind as never))
    throw new KiungaError('not_found', 'No such user.');
  return toRecord(row);
}

/** The role must be of this scope and grant nothing the actor lacks (no privilege escalation). */
async function assertAssignableRole(
  context: Context<AppEnv>,
  dependencies: ApiDependencies,
  scope: AccountScope,
  roleId: string,
) {
  const role = await findRole(dependencies.databases.platform, scope.tenantId, roleId);
  if (!role) throw new KiungaError('validation_failed', 'roleId: no such role.');
  const missing = permissionsNotHeld(role.permissions, context.get('principal').permissions);
  if (missing.length > 0)
    throw new KiungaError(
      'forbidden',
      `You cannot assign a role with permissions you lack: ${missing.join(', ')}.`,
    );
  return role;
}

/** Acting on an account whose role outranks yours is refused. */
async function assertNotSuperior(
  context: Context<AppEnv>,
  dependencies: ApiDependencies,
  scope: AccountScope,
  user: UserRecord,
) {
  const role = user.roleId
    ? await findRole(dependencies.databases.platform, scope.tenantId, user.roleId)
    : undefined;
  const missing = permissionsNotHeld(role?.permissions ?? [], context.get('principal').permissions);
  if (missing.length > 0) throw new KiungaError('forbidden', 'This account has permissions you lack.');
}

/**
 * Sets a password chosen or generated by a superior and ends every session of the account; the
 * superior knows it, so the user must pick their own at the next sign-in.
 */
export async function resetPasswordOf(
  dependencies: ApiDependencies,
  userId: string,
  password: string | undefined,
): Promise<{ temporaryPassword?: string }> {
  const temporaryPassword = password ? undefined : generateTemporaryPassword();
  const passwordHash = await hashPassword(password ?? temporaryPassword ?? '');
  await dependencies.databases.platform.run(
    'UPDATE users SET password_hash = ?, must_change_password = 1, updated_at = ? WHERE id = ?',
    [passwordHash, dependencies.clock.now(), userId],
  );
  await revokeAllSessionsOf(dependencies, userId);
  return temporaryPassword ? { temporaryPassword } : {};
}

export function userRoutes(dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const platform = dependencies.databases.platform;
  const permission = scopeKind === 'isp' ? 'staff.manage' : 'platform_users.manage';
  routes.use('*', requirePermission(permission), ensureTenantRoles(dependencies));

  routes.get('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const query = parseQuery(context, listUsersQuerySchema);
    const kinds = query.kind
      ? [query.kind].filter((kind) => scope.managedKinds.includes(kind))
      : scope.managedKinds;
    if (kinds.length === 0) return context.json(pageOf<UserRecord>([], query.limit, (user) => user.id));
    const where = whereAll([
      { sql: 'tenant_id IS NOT DISTINCT FROM ?', params: [scope.tenantId] },
      { sql: `kind IN (${kinds.map(() => '?').join(', ')})`, params: kinds },
      equals('status', query.status),
      { sql: 'id > ?', params: [decodeCursor(query.cursor) ?? ''] },
    ]);
    const rows = await platform.all<UserRecord>(
      `SELECT ${USER_COLUMNS} FROM users${where.sql} ORDER BY id LIMIT ?`,
      [...where.params, query.limit + 1],
    );
    return context.json(pageOf(rows.map(toRecord), query.limit, (user) => user.id));
  });

  routes.post('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const body = await parseJsonBody(context, createUserSchema);
    if (!scope.managedKinds.includes(body.kind))
      throw new KiungaError('validation_failed', `kind: must be one of ${scope.managedKinds.join(', ')}.`);
    const role = await assertAssignableRole(context, dependencies, scope, body.roleId);
    if (await platform.get('SELECT 1 AS found FROM users WHERE email = ?', [body.email]))
      throw new KiungaError('conflict', 'An account with this email already exists.');
    const temporaryPassword = body.password ? undefined : generateTemporaryPassword();
    const passwordHash = await hashPassword(body.password ?? temporaryPassword ?? '');
    const id = newId('user');
    const nowMs = dependencies.clock.now();
    await platform
      .run(
        `INSERT INTO users (id, email, password_hash, display_name, kind, tenant_id, role_id, status,
                          must_change_password, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
        [
          id,
          body.email,
          passwordHash,
          body.displayName,
          body.kind,
          scope.tenantId,
          role.id,
          // A generated password passed through the creator's hands: the user picks their own.
          temporaryPassword ? 1 : 0,
          nowMs,
          nowMs,
        ],
      )
      .catch((error: unknown) => {
        // Another request took the email between the check and the insert.
        if (error instanceof UniqueViolationError)
          throw new KiungaError('conflict', 'An account with this email already exists.');
        throw error;
      });
    await recordAudit(dependencies, context, {
      action: 'user.create',
      target: id,
      detail: { email: body.email, kind: body.kind, role: role.name },
    });
    const user = await findScopedUser(dependencies, scope, id);
    return context.json({ ...user, ...(temporaryPassword ? { temporaryPassword } : {}) }, 201);
  });

  routes.get('/:id', async (context) =>
    context.json(
      await findScopedUser(dependencies, accountScopeOf(context, scopeKind), context.req.param('id')),
    ),
  );

  routes.patch('/:id', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const user = await findScopedUser(dependencies, scope, context.req.param('id'));
    const body = await parseJsonBody(context, updateUserSchema);
    await assertNotSuperior(context, dependencies, scope, user);
    if (body.roleId !== undefined) await assertAssignableRole(context, dependencies, scope, body.roleId);
    await platform.run(
      `UPDATE users SET display_name = coalesce(CAST(? AS TEXT), display_name),
              role_id = coalesce(CAST(? AS TEXT), role_id), status = coalesce(CAST(? AS TEXT), status),
              updated_at = ? WHERE id = ?`,
      [body.displayName ?? null, body.roleId ?? null, body.status ?? null, dependencies.clock.now(), user.id],
    );
    if (body.status === 'disabled') await revokeAllSessionsOf(dependencies, user.id);
    await recordAudit(dependencies, context, { action: 'user.update', target: user.id, detail: body });
    return context.json(await findScopedUser(dependencies, scope, user.id));
  });

  routes.delete('/:id', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const user = await findScopedUser(dependencies, scope, context.req.param('id'));
    await assertNotSuperior(context, dependencies, scope, user);
    if (user.id === context.get('principal').id)
      throw new KiungaError('conflict', 'You cannot delete yourself.');
    await platform.run('DELETE FROM users WHERE id = ?', [user.id]);
    await recordAudit(dependencies, context, {
      action: 'user.delete',
      target: user.id,
      detail: { email: user.email },
    });
    return context.body(null, 204);
  });

  routes.post('/:id/reset-password', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const user = await findScopedUser(dependencies, scope, context.req.param('id'));
    const body = await parseJsonBody(context, resetPasswordSchema);
    await assertNotSuperior(context, dependencies, scope, user);
    const result = await resetPasswordOf(dependencies, user.id, body.password);
    await recordAudit(dependencies, context, { action: 'user.password_reset', target: user.id });
    return context.json({ id: user.id, ...result });
  });
  return routes;
}
