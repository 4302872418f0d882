// Accounts managed by a superior: ISP staff and technicians (/api/v1/users, staff.manage) and
// platform sub-admins (/api/v1/platform/users, platform_users.manage). Same code, two scopes.
import { KiungaError, pageResponseSchema } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { decodeCursor, pageOf, pageQuerySchema } from '../../kernel/pagination';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { emailSchema, generateTemporaryPassword, newPasswordSchema } from '../passwords';
import { permissionsNotHeld } from '../permissions';
import { revokeAllSessionsOf } from '../refresh-tokens';
import { findRole } from '../roles/service';
import { type AccountScope, accountScopeOf, ensureTenantRoles, type ScopeKind } from '../scope';
import { createAccount, EMAIL_TAKEN_MESSAGE, resetPasswordOf } from './service';
import {
  deleteUser,
  findUserOfTenant,
  isEmailTaken,
  listUsersOfTenant,
  type UserRecord,
  updateUser,
} from './store';

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

/** A managed account of this scope, or 404 (another tenant's id looks like no id at all). */
export async function findScopedUser(
  dependencies: ApiDependencies,
  scope: AccountScope,
  userId: string,
): Promise<UserRecord> {
  const user = await findUserOfTenant(dependencies.databases.platform, scope.tenantId, userId);
  if (!user || !scope.managedKinds.includes(user.kind as never))
    throw new KiungaError('not_found', 'No such user.');
  return user;
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
    const rows = await listUsersOfTenant(platform, {
      tenantId: scope.tenantId,
      kinds,
      status: query.status,
      afterId: decodeCursor(query.cursor) ?? '',
      limit: query.limit,
    });
    return context.json(pageOf(rows, query.limit, (user) => user.id));
  });

  routes.post('/', async (context) => {
    const scope = accountScopeOf(context, scopeKind);
    const body = await parseJsonBody(context, createUserSchema);
    if (!scope.managedKinds.includes(body.kind))
      throw new KiungaError('validation_failed', `kind: must be one of ${scope.managedKinds.join(', ')}.`);
    const role = await assertAssignableRole(context, dependencies, scope, body.roleId);
    // A taken email is refused before the (deliberately slow) password hashing.
    if (await isEmailTaken(platform, body.email)) throw new KiungaError('conflict', EMAIL_TAKEN_MESSAGE);
    const temporaryPassword = body.password ? undefined : generateTemporaryPassword();
    const id = await createAccount(
      platform,
      {
        email: body.email,
        password: body.password ?? temporaryPassword ?? '',
        displayName: body.displayName,
        kind: body.kind,
        tenantId: scope.tenantId,
        roleId: role.id,
        // A generated password passed through the creator's hands: the user picks their own.
        mustChangePassword: temporaryPassword !== undefined,
      },
      dependencies.clock.now(),
    );
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
    await updateUser(platform, user.id, body, dependencies.clock.now());
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
    await deleteUser(platform, user.id);
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
