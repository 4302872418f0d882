// The ISP console (/isp): who may enter, the platform-account banner, error pages, and each
// feature's pages (features/<name>/console.tsx and the billing, M-Pesa and identity consoles).
import { Hono } from 'hono';
import { ispBillingRoutes } from '../billing/console';
import { ispBrandingRoutes } from '../features/branding/console';
import { ispDashboardRoutes } from '../features/dashboard/console';
import { ispNasRoutes } from '../features/nas/console';
import { ispMessagesRoutes } from '../features/notifications/console';
import { ispPlanRoutes } from '../features/plans/console';
import { ispSessionRoutes } from '../features/sessions/console';
import { ispPeopleRoutes } from '../features/subscribers/console';
import { ispVoucherRoutes } from '../features/vouchers/console';
import { ispAdminRoutes } from '../identity/isp-admin-console';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { ispMpesaRoutes } from '../mpesa/console';
import { ispPlatformAccountRoutes, platformBannerMiddleware } from '../platform-billing/isp-console';
import { type AppFetch, consoleAccess, consoleErrorHandler } from './support';

export function ispConsoleRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.onError(consoleErrorHandler(dependencies));
  routes.use(
    '*',
    ...consoleAccess(
      dependencies,
      (principal) => principal.kind === 'isp_owner' || principal.kind === 'isp_staff',
    ),
    platformBannerMiddleware(dependencies, fetchApp),
  );
  routes.route('/', ispDashboardRoutes(dependencies, fetchApp));
  routes.route('/', ispPlanRoutes(dependencies, fetchApp));
  routes.route('/', ispVoucherRoutes(dependencies, fetchApp));
  routes.route('/', ispSessionRoutes(dependencies, fetchApp));
  routes.route('/', ispBrandingRoutes(dependencies, fetchApp));
  routes.route('/', ispPeopleRoutes(dependencies, fetchApp));
  routes.route('/', ispNasRoutes(dependencies, fetchApp));
  routes.route('/', ispAdminRoutes(dependencies, fetchApp));
  routes.route('/', ispBillingRoutes(dependencies, fetchApp));
  routes.route('/', ispMessagesRoutes(dependencies, fetchApp));
  routes.route('/', ispMpesaRoutes(dependencies, fetchApp));
  routes.route('/', ispPlatformAccountRoutes(dependencies, fetchApp));
  routes.all('*', (context) => context.redirect('/isp', 303));
  return routes;
}
