// /api/v1/platform/...: the platform operator's API, for platform accounts only (ISP accounts
// and API keys get 403 whatever permission they hold).
import { Hono } from 'hono';
import { apiKeyRoutes } from '../../identity/api-keys/api';
import { roleRoutes } from '../../identity/roles/api';
import { requirePlatformPrincipal } from '../../identity/scope';
import { userRoutes } from '../../identity/users/api';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { auditRoutes } from '../audit/api';
import { tenantRoutes } from './api';
import { registrationRoutes } from './registration-api';

export function platformRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requirePlatformPrincipal());
  routes.route('/tenants', tenantRoutes(dependencies));
  routes.route('/users', userRoutes(dependencies, 'platform'));
  routes.route('/roles', roleRoutes(dependencies, 'platform'));
  routes.route('/audit', auditRoutes(dependencies, 'platform'));
  return routes;
}

/**
 * Mounts identity and platform routes: public registration on `app`, the rest on the
 * authenticated `/api/v1` sub-app. Built-in roles are seeded on first use (identity/scope.ts).
 */
export function mountIdentityRoutes(
  app: Hono<AppEnv>,
  api: Hono<AppEnv>,
  dependencies: ApiDependencies,
): void {
  app.route('/api/v1/registration', registrationRoutes(dependencies));
  api.route('/platform', platformRoutes(dependencies));
  api.route('/users', userRoutes(dependencies, 'isp'));
  api.route('/roles', roleRoutes(dependencies, 'isp'));
  api.route('/audit', auditRoutes(dependencies, 'isp'));
  api.route('/api-keys', apiKeyRoutes(dependencies));
}
