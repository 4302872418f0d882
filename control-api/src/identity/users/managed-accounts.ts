// Accounts a superior manages within its scope (ISP staff and technicians, or platform sub-admins):
// list, create, change, delete and reset the password, never beyond the actor's own permissions,
// each change written to the audit log.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { decodeCursor, type Page, pageOf } from '../../kernel/pagination';
import { generateTemporaryPassword } from '../passwords';
import { permissionsNotHeld } from '../permissions';
import { revokeAllSessionsOf } from '../refresh-tokens';
import { findRole } from '../roles/service';
import type { AccountScope } from '../scope';
import { createAccount, EMAIL_TAKEN_MESSAGE, resetPasswordOf } from './service';
import {
  deleteUser,
  findUserOfTenant,
  isEmailTaken,
  listUsersOfTenant,
  type UserRecord,
  updateUser,
} from './store';

type ManagedKind = 'isp_staff' | 'technician' | 'platform_staff';

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

export async function listManagedUsers(
  dependencies: ApiDependencies,
  scope: AccountScope,
  query: {
    kind?: ManagedKind | undefined;
    status?: 'active' | 'disabled' | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<Page<UserRecord>> {
  const kinds = query.kind
    ? [query.kind].filter((kind) => scope.managedKinds.includes(kind))
    : scope.managedKinds;
  if (kinds.length === 0) return pageOf<UserRecord>([], query.limit, (user) => user.id);
  const rows = await listUsersOfTenant(dependencies.databases.platform, {
    tenantId: scope.tenantId,
    kinds,
    status: query.status,
    afterId: decodeCursor(query.cursor) ?? '',
    limit: query.limit,
  });
  return pageOf(rows, query.limit, (user) => user.id);
}

/** A new account of the scope with a role; without a password, a temporary one is in the answer only. */
export async function createManagedUser(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  scope: AccountScope,
  input: {
    email: string;
    password?: string | undefined;
    displayName: string;
    kind: ManagedKind;
    roleId: string;
  },
): Promise<UserRecord & { temporaryPassword?: string }> {
  const platform = dependencies.databases.platform;
  if (!scope.managedKinds.includes(input.kind))
    throw new KiungaError('validation_failed', `kind: must be one of ${scope.managedKinds.join(', ')}.`);
  const role = await assertAssignableRole(context, dependencies, scope, input.roleId);
  // A taken email is refused before the (deliberately slow) password hashing.
  if (await isEmailTaken(platform, input.email)) throw new KiungaError('conflict', EMAIL_TAKEN_MESSAGE);
  const temporaryPassword = input.password ? undefined : generateTemporaryPassword();
  const id = await createAccount(
    platform,
    {
      email: input.email,
      password: input.password ?? temporaryPassword ?? '',
      displayName: input.displayName,
      kind: input.kind,
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
    detail: { email: input.email, kind: input.kind, role: role.name },
  });
  const user = await findScopedUser(dependencies, scope, id);
  return { ...user, ...(temporaryPassword ? { temporaryPassword } : {}) };
}

/** Changes name, role or status of an account the actor does not rank below; disabling ends its sessions. */
export async function updateManagedUser(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  scope: AccountScope,
  userId: string,
  change: {
    displayName?: string | undefined;
    roleId?: string | undefined;
    status?: 'active' | 'disabled' | undefined;
  },
): Promise<UserRecord> {
  const user = await findScopedUser(dependencies, scope, userId);
  await assertNotSuperior(context, dependencies, scope, user);
  if (change.roleId !== undefined) await assertAssignableRole(context, dependencies, scope, change.roleId);
  await updateUser(dependencies.databases.platform, user.id, change, dependencies.clock.now());
  if (change.status === 'disabled') await revokeAllSessionsOf(dependencies, user.id);
  await recordAudit(dependencies, context, { action: 'user.update', target: user.id, detail: change });
  return findScopedUser(dependencies, scope, user.id);
}

export async function deleteManagedUser(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  scope: AccountScope,
  userId: string,
): Promise<void> {
  const user = await findScopedUser(dependencies, scope, userId);
  await assertNotSuperior(context, dependencies, scope, user);
  if (user.id === context.get('principal').id)
    throw new KiungaError('conflict', 'You cannot delete yourself.');
  await deleteUser(dependencies.databases.platform, user.id);
  await recordAudit(dependencies, context, {
    action: 'user.delete',
    target: user.id,
    detail: { email: user.email },
  });
}

export async function resetManagedUserPassword(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  scope: AccountScope,
  userId: string,
  password: string | undefined,
): Promise<{ id: string; temporaryPassword?: string }> {
  const user = await findScopedUser(dependencies, scope, userId);
  await assertNotSuperior(context, dependencies, scope, user);
  const result = await resetPasswordOf(dependencies, user.id, password);
  await recordAudit(dependencies, context, { action: 'user.password_reset', target: user.id });
  return { id: user.id, ...result };
}
