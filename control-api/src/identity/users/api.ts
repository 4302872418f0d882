// Accounts managed by a superior: ISP staff and technicians (/api/v1/users, staff.manage) and
// platform sub-admins (/api/v1/platform/users, platform_users.manage). Same code, two scopes.
import { pageResponseSchema } from '@kiunga/schemas';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { type RouteGroup, routeGroup } from '../../kernel/route';
import { emailSchema, newPasswordSchema } from '../passwords';
import { accountScopeOf, mountScopedGroup, type ScopeKind } from '../scope';
import {
  createManagedUser,
  deleteManagedUser,
  findScopedUser,
  listManagedUsers,
  resetManagedUserPassword,
  updateManagedUser,
} from './managed-accounts';

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

/** The same six routes for an ISP's staff and the platform's sub-admins, each under its own path and permission. */
function declareUserRoutes(scopeKind: ScopeKind): RouteGroup {
  const users = routeGroup({
    basePath: scopeKind === 'isp' ? '/api/v1/users' : '/api/v1/platform/users',
    tag: scopeKind === 'isp' ? 'users' : 'platform',
  });
  const permission = scopeKind === 'isp' ? 'staff.manage' : 'platform_users.manage';
  const who = scopeKind === 'isp' ? 'staff and technician accounts' : 'platform sub-admin accounts';
  const params = z.object({ id: z.string() });
  // An account outside the scope answers 404 before a body is validated (users.test.ts pins it).
  const findTargetUser = (
    { params, dependencies }: { params: { id: string }; dependencies: ApiDependencies },
    context: Context<AppEnv>,
  ) => findScopedUser(dependencies, accountScopeOf(context, scopeKind), params.id);

  users.declare({
    method: 'get',
    path: '/',
    summary: `List ${who}`,
    permission,
    query: listUsersQuerySchema,
    response: pageResponseSchema(userOutputSchema),
    handler: async ({ query, dependencies, respond }, context) =>
      respond(await listManagedUsers(dependencies, accountScopeOf(context, scopeKind), query)),
  });

  users.declare({
    method: 'post',
    path: '/',
    summary: `Create one of the ${who} with a role; without a password, a temporary one is returned once (to be changed at first sign-in)`,
    permission,
    body: createUserSchema,
    response: userOutputSchema.extend({ temporaryPassword: z.string().optional() }),
    responseStatus: 201,
    handler: async ({ body, dependencies, respond }, context) =>
      respond(await createManagedUser(dependencies, context, accountScopeOf(context, scopeKind), body)),
  });

  users.declare({
    method: 'get',
    path: '/:id',
    summary: 'Get an account',
    permission,
    params,
    response: userOutputSchema,
    handler: async ({ params, dependencies, respond }, context) =>
      respond(await findScopedUser(dependencies, accountScopeOf(context, scopeKind), params.id)),
  });

  users.declare({
    method: 'patch',
    path: '/:id',
    summary: 'Change the name, role or status (disable ends its sessions)',
    permission,
    params,
    checkTarget: findTargetUser,
    body: updateUserSchema,
    response: userOutputSchema,
    handler: async ({ params, body, dependencies, respond }, context) =>
      respond(
        await updateManagedUser(dependencies, context, accountScopeOf(context, scopeKind), params.id, body),
      ),
  });

  users.declare({
    method: 'delete',
    path: '/:id',
    summary: 'Delete an account',
    permission,
    params,
    responseStatus: 204,
    handler: async ({ params, dependencies }, context) => {
      await deleteManagedUser(dependencies, context, accountScopeOf(context, scopeKind), params.id);
      return context.body(null, 204);
    },
  });

  users.declare({
    method: 'post',
    path: '/:id/reset-password',
    summary:
      'Reset the password (chosen, or a temporary one returned once); its sessions end and the user must change it at first sign-in',
    permission,
    params,
    checkTarget: findTargetUser,
    body: resetPasswordSchema,
    response: passwordResetOutputSchema,
    handler: async ({ params, body, dependencies, respond }, context) =>
      respond(
        await resetManagedUserPassword(
          dependencies,
          context,
          accountScopeOf(context, scopeKind),
          params.id,
          body.password,
        ),
      ),
  });
  return users;
}

const userGroups: Record<ScopeKind, RouteGroup> = {
  isp: declareUserRoutes('isp'),
  platform: declareUserRoutes('platform'),
};

/** The scope's managed accounts, its built-in roles seeded on first use. */
export const userRoutes = (dependencies: ApiDependencies, scopeKind: ScopeKind): Hono<AppEnv> =>
  mountScopedGroup(dependencies, userGroups, scopeKind);
