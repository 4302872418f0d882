// Whose accounts and roles a request may manage: its ISP's (staff, technicians) or the platform's
// (sub-admins). The scope comes from the principal, never from the request.
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import type { RouteGroup } from '../kernel/route';
import { tenantIdOf } from '../kernel/tenant-access';
import type { Permission, PrincipalKind } from './permissions';
import { ensureBuiltInRoles } from './roles/service';

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

/** Scopes whose built-in roles this process has seeded, per platform database ('' is the platform's). */
const ensuredScopes = new WeakMap<object, Set<string>>();

/**
 * Seeds the built-in roles of the principal's scope on first use: an ISP's (tenants created before
 * roles existed, demo seeds) or the platform's own.
 */
export function ensureTenantRoles(dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const tenantId = context.get('principal').tenantId;
    let ensured = ensuredScopes.get(dependencies.databases);
    if (!ensured) {
      ensured = new Set();
      ensuredScopes.set(dependencies.databases, ensured);
    }
    const scopeKey = tenantId ?? '';
    if (!ensured.has(scopeKey)) {
      await ensureBuiltInRoles(dependencies.databases.platform, tenantId, dependencies.clock.now());
      ensured.add(scopeKey);
    }
    await next();
  };
}

/**
 * The routes of a scope's accounts or roles, declared once per scope: one group for the ISP's, one
 * for the platform's, each mounted behind the seeding of its built-in roles.
 */
export function mountScopedGroup(
  dependencies: ApiDependencies,
  groups: Record<ScopeKind, RouteGroup>,
  scopeKind: ScopeKind,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', ensureTenantRoles(dependencies));
  routes.route('/', groups[scopeKind].mount(dependencies));
  return routes;
}
