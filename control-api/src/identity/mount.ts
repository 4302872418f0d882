// Where identity's routes are mounted: public self-registration beside sign-in, and on the
// authenticated /api/v1 sub-app the platform operator's API and an ISP's users, roles, audit and keys.
import type { Hono } from 'hono';
import { auditRoutes } from '../features/audit/api';
import { platformRoutes } from '../features/tenants/platform-api';
import { registrationRoutes } from '../features/tenants/registration-api';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { apiKeyRoutes } from './api-keys/api';
import { roleRoutes } from './roles/api';
import { userRoutes } from './users/api';

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
