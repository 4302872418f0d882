// Whose accounts and roles a request may manage: its ISP's (staff, technicians) or the platform's
// (sub-admins). The scope comes from the principal, never from the request.
import { KiungaError } from '@kiunga/schemas';
import type { Context, MiddlewareHandler } from 'hono';
import type { ApiDependencies, AppEnv } from '../dependencies';
import type { Permission, PrincipalKind } from '../permissions';
import { tenantIdOf } from '../tenant-access';
import { ensureBuiltInRoles } from './roles';

export type ScopeKind = 'isp' | 'platform';

export interface AccountScope {
  kind: ScopeKind;
  /** The ISP, or null for the platform. */
  tenantId: string | null;
  /** Kinds of account this scope creates and manages (never owners or the super admin). */
  managedKinds: readonly PrincipalKind[];
  /** The permission needed to manage accounts and roles of this scope. */
  managePermission: Permission;
}

export function accountScopeOf(context: Context<AppEnv>, kind: ScopeKind): AccountScope {
  if (kind === 'platform') {
    if (context.get('principal').tenantId !== null)
      throw new KiungaError('forbidden', 'This is a platform resource; sign in with a platform account.');
    return {
      kind,
      tenantId: null,
      managedKinds: ['platform_staff'],
      managePermission: 'platform_users.manage',
    };
  }
  return {
    kind,
    tenantId: tenantIdOf(context),
    managedKinds: ['isp_staff', 'technician'],
    managePermission: 'staff.manage',
  };
}

/** Only platform accounts (super admin, sub-admins) pass; ISP accounts and API keys get 403. */
export function requirePlatformPrincipal(): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    accountScopeOf(context, 'platform');
    await next();
  };
}

const ensuredTenants = new WeakMap<object, Set<string>>();

/** Seeds the ISP's built-in roles on first use (tenants created before roles existed, demo seeds). */
export function ensureTenantRoles(dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const tenantId = context.get('principal').tenantId;
    if (tenantId !== null) {
      let ensured = ensuredTenants.get(dependencies.platform);
      if (!ensured) {
        ensured = new Set();
        ensuredTenants.set(dependencies.platform, ensured);
      }
      if (!ensured.has(tenantId)) {
        ensureBuiltInRoles(dependencies.platform, tenantId, dependencies.clock.now());
        ensured.add(tenantId);
      }
    }
    await next();
  };
}
