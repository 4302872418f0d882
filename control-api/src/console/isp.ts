// The ISP console (/isp): who may enter, the platform-account banner, error pages, and each
// feature's pages (features/<name>/console.tsx and the billing, M-Pesa and identity consoles).
import { Hono } from 'hono';
import { ispBillingRoutes } from '../billing/console';
import { ispAccountingRoutes } from '../features/accounting-sync/console';
import { auditPageRoutes } from '../features/audit/console';
import { ispBrandingRoutes } from '../features/branding/console';
import { ispChatRoutes } from '../features/chat/console';
import { cpePageRoutes } from '../features/cpes/console';
import { ispDashboardRoutes } from '../features/dashboard/console';
import { diagnosticsPageRoutes } from '../features/diagnostics/console';
import { ispDomainRoutes } from '../features/domains/console';
import { ispGuestPassRoutes } from '../features/guest-passes/console';
import { ispNasHealthRoutes } from '../features/monitoring/console';
import { ispNasRoutes } from '../features/nas/console';
import { ispMessagesRoutes } from '../features/notifications/console';
import { ispPlanRoutes } from '../features/plans/console';
import { ispReferralRoutes } from '../features/referrals/console';
import { ispReportRoutes } from '../features/reports/console';
import { ispResellerRoutes } from '../features/resellers/console';
import { ispSessionRoutes } from '../features/sessions/console';
import { pendingSignupGate } from '../features/signup/console';
import { ispSmsRoutes } from '../features/sms-campaigns/console';
import { subscriberPageRoutes } from '../features/subscribers/console';
import { ispSupportPageRoutes } from '../features/support/console';
import { ispTrialRoutes } from '../features/trials/console';
import { ispVoucherUsageRoutes } from '../features/usage/console';
import { ispVoucherRoutes } from '../features/vouchers/console';
import { ispWebhookRoutes } from '../features/webhooks/console';
import { ispAccountRoutes } from '../identity/account/console';
import { ispApiKeyRoutes } from '../identity/api-keys/console';
import { ispRoleRoutes } from '../identity/roles/console';
import { staffPageRoutes } from '../identity/users/console';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { ispMpesaRoutes } from '../mpesa/console';
import { ispPlatformAccountRoutes, platformBannerMiddleware } from '../platform-billing/isp-console';
import { ispPageKit } from './isp-page';
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
    pendingSignupGate(dependencies),
    platformBannerMiddleware(dependencies, fetchApp),
  );
  routes.route('/', ispDashboardRoutes(dependencies, fetchApp));
  routes.route('/', ispPlanRoutes(dependencies, fetchApp));
  routes.route('/', ispVoucherRoutes(dependencies, fetchApp));
  routes.route('/', ispVoucherUsageRoutes(dependencies, fetchApp));
  routes.route('/', ispSessionRoutes(dependencies, fetchApp));
  routes.route('/', ispBrandingRoutes(dependencies, fetchApp));
  const { shell } = ispPageKit(dependencies, fetchApp);
  routes.route('/', subscriberPageRoutes(dependencies, fetchApp));
  routes.route('/', staffPageRoutes(fetchApp, shell));
  routes.route('/', diagnosticsPageRoutes(fetchApp, { consolePath: '/isp', shell }));
  routes.route('/', cpePageRoutes(fetchApp, { consolePath: '/isp', shell }));
  routes.route('/', ispSupportPageRoutes(fetchApp, shell));
  routes.route('/', ispChatRoutes(fetchApp, shell));
  routes.route(
    '/',
    auditPageRoutes(fetchApp, {
      path: '/isp/audit',
      apiPrefix: '/api/v1',
      permission: 'audit.read',
      accountsPermission: 'staff.manage',
      shell,
    }),
  );
  routes.route('/', ispNasRoutes(dependencies, fetchApp));
  routes.route('/', ispNasHealthRoutes(dependencies, fetchApp));
  routes.route('/', ispApiKeyRoutes(dependencies, fetchApp));
  routes.route('/', ispWebhookRoutes(dependencies, fetchApp));
  routes.route('/', ispRoleRoutes(dependencies, fetchApp));
  routes.route('/', ispAccountRoutes(dependencies, fetchApp));
  routes.route('/', ispBillingRoutes(dependencies, fetchApp));
  routes.route('/', ispMessagesRoutes(dependencies, fetchApp));
  routes.route('/', ispSmsRoutes(dependencies, fetchApp));
  routes.route('/', ispReportRoutes(dependencies, fetchApp));
  routes.route('/', ispAccountingRoutes(dependencies, fetchApp));
  routes.route('/', ispResellerRoutes(dependencies, fetchApp));
  routes.route('/', ispMpesaRoutes(dependencies, fetchApp));
  routes.route('/', ispGuestPassRoutes(dependencies, fetchApp));
  routes.route('/', ispReferralRoutes(dependencies, fetchApp));
  routes.route('/', ispTrialRoutes(dependencies, fetchApp));
  routes.route('/', ispDomainRoutes(dependencies, fetchApp));
  routes.route('/', ispPlatformAccountRoutes(dependencies, fetchApp));
  routes.all('*', (context) => context.redirect('/isp', 303));
  return routes;
}
