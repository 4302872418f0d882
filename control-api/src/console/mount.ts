// Mounts the web consoles on the app: /login and /logout, /password, /platform, /isp, /tech and /reseller.
import type { Hono } from 'hono';
import { resellerConsoleRoutes } from '../features/resellers/console';
import { techPanelRoutes } from '../features/tech-panel/console';
import { platformConsoleRoutes } from '../features/tenants/console';
import { PASSWORD_CHANGE_PATH } from '../identity/console-sessions';
import { pageRoutes } from '../identity/sign-in/console';
import { requiredPasswordChangeRoutes } from '../identity/sign-in/password-console';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { ispConsoleRoutes } from './isp';

/** The consoles act through `app`'s own REST API in-process, so they share its rules, audit and CoA. */
export function mountConsoles(app: Hono<AppEnv>, dependencies: ApiDependencies): void {
  const fetchApp = (request: Request, env: unknown) => app.fetch(request, env);
  app.route('/', pageRoutes(dependencies));
  app.route(PASSWORD_CHANGE_PATH, requiredPasswordChangeRoutes(dependencies, fetchApp));
  app.route('/platform', platformConsoleRoutes(dependencies, fetchApp));
  app.route('/isp', ispConsoleRoutes(dependencies, fetchApp));
  app.route('/tech', techPanelRoutes(dependencies, fetchApp));
  app.route('/reseller', resellerConsoleRoutes(dependencies, fetchApp));
}
