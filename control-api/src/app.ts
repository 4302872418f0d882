// The Hono application: health, metrics, the REST API under /api/v1, and the consoles.
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { contextStorage } from 'hono/context-storage';
import { subscriberPaymentHook } from './billing/automation';
import { invoiceRoutes, subscriberStatementRoutes } from './billing/invoices-api';
import { paymentRoutes } from './billing/payments-api';
import { billingSettingsRoutes } from './billing/settings-api';
import { mountConsoles } from './console/mount';
import { accountingCallbackRoutes, accountingRoutes, exportRoutes } from './features/accounting-sync/api';
import { platformAnalyticsRoutes } from './features/analytics/api';
import { brandingRoutes } from './features/branding/api';
import { chatRoutes } from './features/chat/api';
import { cpeRoutes, genieAcsSettingsRoutes } from './features/cpes/api';
import { diagnosticsRoutes } from './features/diagnostics/api';
import { domainSettingsRoutes, tlsAskRoutes } from './features/domains/api';
import { routeByHost } from './features/domains/host-routing';
import { guestPassSettingsRoutes } from './features/guest-passes/api';
import { monitoringSettingsRoutes, nasHealthRoutes } from './features/monitoring/api';
import { platformLiveRoutes } from './features/monitoring/platform-live-api';
import { nasRoutes } from './features/nas/api';
import { notificationRoutes } from './features/notifications/api';
import { planRoutes } from './features/plans/api';
import { referralReportRoutes, referralSettingsRoutes } from './features/referrals/api';
import { reportRoutes } from './features/reports/api';
import { commissionRuleRoutes, resellerRoutes, resellerSettingsRoutes } from './features/resellers/api';
import { sessionRoutes } from './features/sessions/api';
import { settingsRoutes } from './features/settings/api';
import { pendingSignupApiGate, signupApiRoutes } from './features/signup/api';
import { signupPages } from './features/signup/console';
import { smsCampaignRoutes } from './features/sms-campaigns/api';
import { smsCallbackRoutes } from './features/sms-campaigns/callbacks-api';
import { subscriberRoutes } from './features/subscribers/api';
import { ispSupportRoutes, platformSupportRoutes } from './features/support/api';
import { subscriberTrialRoutes, trialSettingsRoutes } from './features/trials/api';
import { usageRoutes } from './features/usage/api';
import { voucherRoutes } from './features/vouchers/api';
import { webhookRoutes } from './features/webhooks/api';
import { mountIdentityRoutes } from './identity/mount';
import { passwordResetRoutes } from './identity/password-reset/api';
import { passwordResetPages } from './identity/password-reset/console';
import { authRoutes } from './identity/sign-in/api';
import { apiDocsRoutes } from './kernel/api-docs-routes';
import type { ApiDependencies, AppEnv } from './kernel/dependencies';
import { apiErrorHandler } from './kernel/errors';
import { checkHealth } from './kernel/health';
import { metricsRoutes } from './kernel/metrics';
import { authenticate } from './kernel/middleware/authenticate';
import { CALLBACK_PATH_PREFIX, limitRequestBodies } from './kernel/middleware/body-limits';
import { requireSameOrigin } from './kernel/middleware/require-same-origin';
import { securityHeaders } from './kernel/middleware/security-headers';
import { openApiRoutes } from './kernel/openapi-routes';
import { mpesaCallbackRoutes } from './mpesa/callback-api';
import { requirePlatformAccountWritable } from './platform-billing/access';
import { platformBillingCallbackRoutes, platformBillingRoutes } from './platform-billing/api';
import { platformBillingOperatorRoutes } from './platform-billing/operator-api';
import { portalRoutes } from './portal/routes';
import { selfServiceRoutes } from './self-service/console';

/** Re-exported: the WebSocket upgrade gate and older tests import it from here. */
export { apiErrorHandler } from './kernel/errors';

export interface ControlApiOptions extends ApiDependencies {
  /** Extra Prometheus text from this process (the control API's own registry). */
  ownMetricsText?: () => Promise<string>;
}

export function createApp(given: ControlApiOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // An ISP's verified domain is served its own pages (features/domains); before all else.
  app.use('*', routeByHost(given, app));
  // Pages and lists go out gzipped to phones on slow links (bodies under 1 KiB are left alone).
  app.use('*', compress());
  // Pages render their inline scripts with this response's CSP nonce (views/inline-script.tsx).
  app.use('*', contextStorage());
  app.use('*', securityHeaders(given));
  // A cross-site request is refused before its body is read; any other body is read within its limit.
  app.use('*', requireSameOrigin(given, { exemptPathPrefixes: [CALLBACK_PATH_PREFIX] }));
  app.use('*', limitRequestBodies());
  // A payment that lands on a subscriber settles the account (and reactivates) at once.
  const options: ControlApiOptions = {
    ...given,
    onSubscriberPayment: given.onSubscriberPayment ?? subscriberPaymentHook(given),
  };

  app.get('/healthz', async (context) => {
    const { report, isHealthy } = await checkHealth(options);
    return context.json(report, isHealthy ? 200 : 503);
  });

  app.route('/metrics', metricsRoutes(options));
  app.route('/tls', tlsAskRoutes(options));

  // Open routes first; everything else under /api/v1 needs a principal.
  app.route('/portal', portalRoutes(options));
  app.route('/account', selfServiceRoutes(options));
  // Before the ISP callbacks: their /:tenantId/:token/stk would otherwise take 'platform' as a tenant id.
  app.route('/callbacks/mm/platform', platformBillingCallbackRoutes(options));
  app.route('/callbacks/mm', mpesaCallbackRoutes(options));
  app.route('/callbacks/accounting', accountingCallbackRoutes(options));
  app.route('/api/v1/auth/password-reset', passwordResetRoutes(options));
  app.route('/callbacks/sms', smsCallbackRoutes(options));
  app.route('/api/v1/auth', authRoutes(options));
  app.route('/', passwordResetPages(options));
  app.route('/', signupPages(options));
  app.route('/api/v1', openApiRoutes());
  app.route('/api/docs', apiDocsRoutes());
  const api = new Hono<AppEnv>();
  api.use('*', authenticate(options));
  api.use('*', requirePlatformAccountWritable(options));
  api.use('*', pendingSignupApiGate(options));
  mountIdentityRoutes(app, api, options);
  api.get('/me', (context) => {
    const principal = context.get('principal');
    return context.json({ ...principal, permissions: [...principal.permissions].sort() });
  });
  // ISP resources: the tenant comes from the principal (tenant-access.ts), never from input.
  api.route('/nas', nasRoutes(options));
  api.route('/nas', nasHealthRoutes(options));
  api.route('/plans', planRoutes(options));
  api.route('/vouchers', voucherRoutes(options));
  api.route('/subscribers', subscriberRoutes(options));
  api.route('/subscribers', subscriberStatementRoutes(options));
  api.route('/subscribers', subscriberTrialRoutes(options));
  api.route('/invoices', invoiceRoutes(options));
  api.route('/payments', paymentRoutes(options));
  api.route('/billing', billingSettingsRoutes(options));
  api.route('/sessions', sessionRoutes(options));
  api.route('/branding', brandingRoutes(options));
  api.route('/settings/monitoring', monitoringSettingsRoutes(options));
  api.route('/settings/genieacs', genieAcsSettingsRoutes(options));
  api.route('/settings/guest-passes', guestPassSettingsRoutes(options));
  api.route('/settings/referrals', referralSettingsRoutes(options));
  api.route('/settings/trials', trialSettingsRoutes(options));
  api.route('/settings/resellers', resellerSettingsRoutes(options));
  api.route('/settings/domain', domainSettingsRoutes(options));
  api.route('/settings', settingsRoutes(options));
  api.route('/notifications', notificationRoutes(options));
  api.route('/reports/referrals', referralReportRoutes(options));
  api.route('/reports', reportRoutes(options));
  api.route('/diagnostics', diagnosticsRoutes(options));
  api.route('/sms', smsCampaignRoutes(options));
  api.route('/usage', usageRoutes(options));
  api.route('/accounting', accountingRoutes(options));
  api.route('/exports', exportRoutes(options));
  api.route('/webhooks', webhookRoutes(options));
  api.route('/cpes', cpeRoutes(options));
  api.route('/support', ispSupportRoutes(options));
  api.route('/chat/conversations', chatRoutes(options));
  api.route('/resellers', resellerRoutes(options));
  api.route('/commission-rules', commissionRuleRoutes(options));
  api.route('/platform-billing', platformBillingRoutes(options));
  api.route('/signup', signupApiRoutes(options));
  api.route('/platform/billing', platformBillingOperatorRoutes(options));
  api.route('/platform/analytics', platformAnalyticsRoutes(options));
  api.route('/platform/live', platformLiveRoutes(options));
  api.route('/platform/support', platformSupportRoutes(options));
  app.route('/api/v1', api);
  mountConsoles(app, options);

  app.notFound((context) =>
    context.json(
      { error: { code: 'not_found', message: `No route for ${context.req.method} ${context.req.path}.` } },
      404,
    ),
  );

  app.onError(apiErrorHandler(options.logger));

  return app;
}
