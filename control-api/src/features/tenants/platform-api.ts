// /api/v1/platform/...: the platform operator's API, for platform accounts only (ISP accounts
// and API keys get 403 whatever permission they hold).
import { Hono } from 'hono';
import { roleRoutes } from '../../identity/roles/api';
import { requirePlatformPrincipal } from '../../identity/scope';
import { userRoutes } from '../../identity/users/api';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { auditRoutes } from '../audit/api';
import { tenantRoutes } from './api';

export function platformRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requirePlatformPrincipal());
  routes.route('/tenants', tenantRoutes(dependencies));
  routes.route('/users', userRoutes(dependencies, 'platform'));
  routes.route('/roles', roleRoutes(dependencies, 'platform'));
  routes.route('/audit', auditRoutes(dependencies, 'platform'));
  return routes;
}
