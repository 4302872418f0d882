// ISP console: the owner's Platform account page (/isp/platform-account) and the banner every ISP page
// shows while the Kiunga subscription is in grace or restricted (read-only).

import { formatKsh } from '@kiunga/schemas';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { formatDateTime } from '../console/components';
import { ISP_NAV } from '../console/isp-nav';
import type { PlatformBanner } from '../console/layout';
import {
  type AppFetch,
  callApi,
  formFields,
  optionalText,
  redirectWithFlash,
  renderHtml,
  setPlatformBanner,
  shillingsToCents,
  tenantShell,
  withFormErrors,
} from '../console/support';
import { pageLanguageOf, t } from '../i18n';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { liveAccountStatus } from './index';
import {
  type PaymentReceipt,
  PaymentReceiptPage,
  PlatformAccountPage,
  type PlatformAccountStatus,
  type PlatformPaymentSummary,
} from './isp-views';
import { rememberOwnerLanguage } from './receipt';

const PAGE_PATH = '/isp/platform-account';
/** Payments listed (newest first) with their receipts: a year of monthly fees and the registration. */
const PAYMENTS_SHOWN = 20;

type OwnerContext = Context<AppEnv>;

/** The owner's status read for this request's banner, reused by the Platform account page. */
const statusOfRequest = new WeakMap<Request, PlatformAccountStatus>();

function ownerBanner(status: PlatformAccountStatus): PlatformBanner | null {
  const owed = formatKsh(Math.max(status.balanceCents, 0));
  if (status.state === 'grace')
    return {
      kind: 'grace',
      text: `Your Kiunga subscription is overdue (${owed}). Pay by ${formatDateTime(status.graceEndsAt)} to keep making changes; your clients keep their service.`,
      actionHref: PAGE_PATH,
      actionLabel: 'Pay now',
    };
  if (status.state === 'restricted')
    return {
      kind: 'restricted',
      text: `This console is read-only until your Kiunga subscription is paid (${owed}). Your clients keep their service.`,
      actionHref: PAGE_PATH,
      actionLabel: 'Pay now to make changes again',
    };
  return null;
}

/**
 * Reads the platform account once per ISP page and leaves the banner for the page's shell. The owner reads
 * it through the API; the API is the owner's alone, so for staff the state comes from the same derivation
 * the API's read-only guard uses, and they are told to ask the owner.
 */
export function platformBannerMiddleware(
  dependencies: ApiDependencies,
  fetchApp: AppFetch,
): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const principal = context.get('principal');
    if (context.req.method === 'GET' && principal.tenantId !== null) {
      if (principal.kind === 'isp_owner') {
        try {
          const status = await callApi<PlatformAccountStatus>(
            context,
            fetchApp,
            'GET',
            '/api/v1/platform-billing',
          );
          statusOfRequest.set(context.req.raw, status);
          setPlatformBanner(context, ownerBanner(status));
        } catch (error) {
          // A banner is advice: the page still shows without it.
          dependencies.logger.warn({ err: error }, 'platform account status unavailable for the banner');
        }
      } else {
        const status = await liveAccountStatus(dependencies, principal.tenantId, dependencies.clock.now());
        if (status?.state === 'grace' || status?.state === 'restricted') {
          setPlatformBanner(context, {
            kind: status.state,
            text:
              status.state === 'grace'
                ? "The ISP's Kiunga subscription is overdue: ask the account owner to pay before the console becomes read-only."
                : "This console is read-only until the ISP's Kiunga subscription is paid: ask the account owner to pay.",
            actionHref: null,
            actionLabel: '',
          });
        }
      }
    }
    await next();
  };
}

export function ispPlatformAccountRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const api = <Result,>(context: OwnerContext, method: 'GET' | 'POST', path: string, body?: unknown) =>
    callApi<Result>(context, fetchApp, method, path, body);
  const amountOf = (fields: Record<string, string>) => {
    const typed = optionalText(fields, 'amount');
    return typed === undefined ? {} : { amountCents: shillingsToCents(typed, 'Amount') };
  };

  /**
   * The payment pages' language, as the front door's (`?lang=`, the `lang` cookie, Accept-Language, English):
   * a new owner pays the registration in the language they signed up in. Remembered for the mailed receipt.
   */
  const ownerPageLanguage = async (context: OwnerContext) => {
    const page = pageLanguageOf(context, null);
    const { kind, tenantId } = context.get('principal');
    if (kind === 'isp_owner' && tenantId !== null)
      await rememberOwnerLanguage(
        dependencies.databases.platform,
        tenantId,
        page.language,
        dependencies.clock.now(),
      );
    return page;
  };

  routes.get('/platform-account', async (context) => {
    const page = await ownerPageLanguage(context);
    const [status, payments] = await Promise.all([
      statusOfRequest.get(context.req.raw) ??
        api<PlatformAccountStatus>(context, 'GET', '/api/v1/platform-billing'),
      api<{ items: PlatformPaymentSummary[] }>(
        context,
        'GET',
        `/api/v1/platform-billing/payments?limit=${PAYMENTS_SHOWN}`,
      ),
    ]);
    return renderHtml(
      context,
      <PlatformAccountPage
        shell={tenantShell(context, dependencies, ISP_NAV)}
        status={status}
        payments={payments.items}
        page={page}
      />,
    );
  });

  routes.get('/platform-account/receipts/:id', async (context) => {
    const page = await ownerPageLanguage(context);
    const receipt = await api<PaymentReceipt>(
      context,
      'GET',
      `/api/v1/platform-billing/payments/${encodeURIComponent(context.req.param('id'))}`,
    );
    return renderHtml(
      context,
      <PaymentReceiptPage
        shell={tenantShell(context, dependencies, ISP_NAV)}
        receipt={receipt}
        page={page}
      />,
    );
  });

  routes.post('/platform-account/mpesa', (context) =>
    withFormErrors(
      context,
      PAGE_PATH,
      async () => {
        const { language } = await ownerPageLanguage(context);
        const fields = await formFields(context);
        const phone = optionalText(fields, 'phone');
        const intent = await api<{ amountCents: number }>(context, 'POST', '/api/v1/platform-billing/mpesa', {
          ...(phone ? { phone } : {}),
          ...amountOf(fields),
        });
        return redirectWithFlash(
          context,
          PAGE_PATH,
          'ok',
          t(language, 'platformPay.mpesa.sent', { amount: formatKsh(intent.amountCents) }),
        );
      },
      [502, 503],
    ),
  );

  routes.post('/platform-account/paypal', (context) =>
    withFormErrors(
      context,
      PAGE_PATH,
      async () => {
        await ownerPageLanguage(context);
        const order = await api<{ approveUrl: string }>(
          context,
          'POST',
          '/api/v1/platform-billing/paypal/orders',
          amountOf(await formFields(context)),
        );
        // PayPal's approval page; PayPal sends the browser back to the API's return URL, which captures.
        return context.redirect(order.approveUrl, 303);
      },
      [502, 503],
    ),
  );

  routes.post('/platform-account/tier', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const { language } = await ownerPageLanguage(context);
      await api(context, 'POST', '/api/v1/platform-billing/tier', { tier: 'tier2' });
      return redirectWithFlash(context, PAGE_PATH, 'ok', t(language, 'platformPay.tier.done'));
    }),
  );
  return routes;
}
