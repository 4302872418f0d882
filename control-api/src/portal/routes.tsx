// /portal/<slug>: the captive portal (pages and the purchase API its page script uses). Public routes:
// the tenant comes from the slug. Daraja's callbacks are in callback-routes.ts.
import { errorCatalogue, KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { ispBranding } from '../features/branding/service';
import { chatPortalRoutes } from '../features/chat/portal-pages';
import { guestPassPortalRoutes } from '../features/guest-passes/portal-routes';
import { guestPassOfferOf } from '../features/guest-passes/portal-section';
import { readGuestPassSettings } from '../features/guest-passes/store';
import { myPurchasesPortalRoutes } from '../features/my-purchases/portal-routes';
import { hotspotDnsNamesOf } from '../features/nas/service';
import { buyerReferralCode, portalReferralOf, ReferralCodeNote } from '../features/referrals/portal-parts';
import { linkedReseller, RESELLER_TYPED_CODE_MAX } from '../features/resellers/sales';
import { errorMessage, type Language, t, tCount } from '../i18n';
import { requestLanguage } from '../i18n/request-language';
import { sourceAddressOf } from '../kernel/audit';
import type { ApiDependencies } from '../kernel/dependencies';
import { publicTenantBySlug } from '../kernel/tenant-access';
import { parseJsonBody, parseWith } from '../kernel/validation';
import { portalPayments } from '../mpesa/availability';
import { purchaseView, startPurchase } from '../mpesa/purchase-service';
import { getPurchase } from '../mpesa/purchases';
import { MessagePage, PortalHome, type PortalPlan, RouterLogin } from './page';
import { recoverVoucher } from './recovery';
import { readRouterContext } from './router-login';
import { describeVoucher } from './voucher-status';

function validityText(language: Language, seconds: number): string {
  if (seconds % 86_400 === 0) return tCount(language, 'portal.validity.days', seconds / 86_400);
  if (seconds % 3_600 === 0) return tCount(language, 'portal.validity.hours', seconds / 3_600);
  return tCount(language, 'portal.validity.minutes', Math.round(seconds / 60));
}

async function hotspotPlans(database: SqlDatabase, language: Language): Promise<PortalPlan[]> {
  const rows = await database.all<{
    id: string;
    name: string;
    priceCents: number;
    validitySeconds: number;
    deviceLimit: number;
  }>(
    `SELECT id, name, price_cents AS "priceCents", validity_seconds AS "validitySeconds",
            device_limit AS "deviceLimit"
       FROM plans WHERE kind = 'hotspot' AND is_active = 1 AND validity_seconds IS NOT NULL
      ORDER BY price_cents, id`,
  );
  return rows
    .filter((row) => row.priceCents % 100 === 0)
    .map((row) => ({
      id: row.id,
      name: row.name,
      priceShillings: row.priceCents / 100,
      validityText: validityText(language, row.validitySeconds),
      deviceLimit: row.deviceLimit,
    }));
}

/**
 * A refusal in the page's language: a catalogue error that kept its catalogue text is said from the
 * language catalogue; a message written for the case (already in the page's language) stays.
 */
function clientMessageOf(error: KiungaError, language: Language): string {
  return error.message === errorCatalogue[error.code].message
    ? errorMessage(language, error.code)
    : error.message;
}

const purchaseSchema = z.object({
  planId: z.string().min(1).max(64),
  phone: z.string().min(9).max(20),
  mac: z.string().max(64).optional(),
  /** A client's referral code (`?ref=` or typed; issue 13): kept when it is one of the ISP's. */
  referral: z.string().max(32).optional(),
  /** A reseller's code (issue 13): from its link `?r=<code>` or typed by the buyer. */
  reseller: z.string().max(RESELLER_TYPED_CODE_MAX).optional(),
});

export function portalRoutes(dependencies: ApiDependencies): Hono {
  // Behind a trusted reverse proxy the buyer's address is in X-Forwarded-For (KIUNGA_TRUSTED_PROXIES).
  const clientAddress = (context: Context): string => sourceAddressOf(context, dependencies) ?? 'unknown';
  const routes = new Hono();
  const tenantAndDatabase = async (slug: string) => {
    const tenant = await publicTenantBySlug(dependencies.databases.platform, slug);
    return { tenant, database: dependencies.databases.forTenant(tenant.id) };
  };
  // The login address is checked against this ISP's own routers on every page that may post to it.
  const routerContext = async (tenantId: string, values: Record<string, unknown>) =>
    readRouterContext(values, await hotspotDnsNamesOf(dependencies.databases.platform, tenantId));

  routes.get('/:slug', async (context) => {
    const { tenant, database } = await tenantAndDatabase(context.req.param('slug'));
    const page = await requestLanguage(context, database);
    return context.html(
      <PortalHome
        slug={tenant.slug}
        branding={await ispBranding(database, tenant.name)}
        page={page}
        plans={await hotspotPlans(database, page.language)}
        router={await routerContext(tenant.id, context.req.query())}
        payments={await portalPayments(dependencies, database, tenant.id)}
        guestPass={guestPassOfferOf(await readGuestPassSettings(database))}
        referral={await portalReferralOf(database, context.req.query('ref'))}
        reseller={await linkedReseller(database, context.req.query('r'))}
      />,
    );
  });

  routes.route('/', guestPassPortalRoutes(dependencies, { tenantAndDatabase, routerContext, clientAddress }));
  routes.route(
    '/',
    myPurchasesPortalRoutes(dependencies, { tenantAndDatabase, routerContext, clientAddress }),
  );
  routes.route('/', chatPortalRoutes(dependencies));

  routes.post('/:slug/api/purchases', async (context) => {
    const { tenant, database } = await tenantAndDatabase(context.req.param('slug'));
    const input = await parseJsonBody(context, purchaseSchema);
    const { language } = await requestLanguage(context, database);
    return context.json(
      await startPurchase(dependencies, tenant, database, input, clientAddress(context), language),
      202,
    );
  });

  routes.get('/:slug/api/purchases/:id', async (context) => {
    const { database } = await tenantAndDatabase(context.req.param('slug'));
    const { language } = await requestLanguage(context, database);
    const purchase = await getPurchase(database, context.req.param('id'));
    return context.json(await purchaseView(database, purchase, language));
  });

  // The same purchase without JavaScript: a form post, then a page that refreshes itself.
  routes.post('/:slug/buy', async (context) => {
    const { tenant, database } = await tenantAndDatabase(context.req.param('slug'));
    const form = await context.req.parseBody();
    const router = await routerContext(tenant.id, form);
    const branding = await ispBranding(database, tenant.name);
    const page = await requestLanguage(context, database);
    try {
      const input = parseWith(purchaseSchema, {
        planId: form['planId'],
        phone: form['phone'],
        mac: router.mac ?? undefined,
        referral:
          typeof form['referral'] === 'string' && form['referral'] !== '' ? form['referral'] : undefined,
        reseller:
          typeof form['reseller'] === 'string' && form['reseller'] !== '' ? form['reseller'] : undefined,
      });
      const view = await startPurchase(
        dependencies,
        tenant,
        database,
        input,
        clientAddress(context),
        page.language,
      );
      const query = new URLSearchParams(
        Object.entries(form).filter(([, v]) => typeof v === 'string') as [string, string][],
      );
      return context.redirect(`/portal/${tenant.slug}/purchases/${view.id}?${query.toString()}`, 303);
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      return context.html(
        <PortalHome
          slug={tenant.slug}
          branding={branding}
          page={page}
          plans={await hotspotPlans(database, page.language)}
          router={router}
          payments={await portalPayments(dependencies, database, tenant.id)}
          reseller={await linkedReseller(database, String(form['reseller'] ?? ''))}
          error={clientMessageOf(error, page.language)}
        />,
        error.httpStatus as 400,
      );
    }
  });

  routes.get('/:slug/purchases/:id', async (context) => {
    const { tenant, database } = await tenantAndDatabase(context.req.param('slug'));
    const purchase = await getPurchase(database, context.req.param('id'));
    const page = await requestLanguage(context, database);
    const { language } = page;
    const view = await purchaseView(database, purchase, language);
    const router = await routerContext(tenant.id, context.req.query());
    const branding = await ispBranding(database, tenant.name);
    if (view.status === 'pending') {
      return context.html(
        <MessagePage
          branding={branding}
          page={page}
          slug={tenant.slug}
          title={t(language, 'portal.purchase.waitingTitle')}
          kind="note"
          refreshSeconds={3}
          message={t(language, 'portal.purchase.waitingMessage')}
        />,
      );
    }
    if (view.status === 'failed') {
      return context.html(
        <MessagePage
          branding={branding}
          page={page}
          slug={tenant.slug}
          title={t(language, 'portal.purchase.failedTitle')}
          kind="error"
          message={view.error?.message ?? ''}
        />,
      );
    }
    return context.html(
      <MessagePage
        branding={branding}
        page={page}
        slug={tenant.slug}
        title={t(language, 'portal.purchase.paidTitle')}
        kind="ok"
        message={t(language, 'portal.purchase.paidMessage', { code: view.voucherCode ?? '' })}
      >
        <RouterLogin router={router} code={view.voucherCode ?? ''} language={language} />
        <ReferralCodeNote
          code={await buyerReferralCode(database, purchase.phone)}
          portalUrl={`${dependencies.publicUrl}/portal/${tenant.slug}`}
          language={language}
        />
      </MessagePage>,
    );
  });

  routes.post('/:slug/voucher', async (context) => {
    const { tenant, database } = await tenantAndDatabase(context.req.param('slug'));
    const form = await context.req.parseBody();
    const router = await routerContext(tenant.id, form);
    const code = String(form['code'] ?? '')
      .trim()
      .toUpperCase()
      .slice(0, 40);
    const branding = await ispBranding(database, tenant.name);
    const page = await requestLanguage(context, database);
    const { language } = page;
    const status = await describeVoucher(dependencies, tenant.id, database, code, language);
    const title = t(language, 'portal.voucher.title');
    if (!status.canConnect) {
      return context.html(
        <MessagePage
          branding={branding}
          page={page}
          slug={tenant.slug}
          title={title}
          kind="error"
          message={status.message}
        />,
        200,
      );
    }
    return context.html(
      <MessagePage
        branding={branding}
        page={page}
        slug={tenant.slug}
        title={title}
        kind="ok"
        message={status.message}
      >
        <RouterLogin router={router} code={code} language={language} />
      </MessagePage>,
    );
  });

  // Proof of payment, not just a phone number: the M-Pesa receipt from the payer's SMS (recovery.ts).
  routes.post('/:slug/recover', async (context) => {
    const { tenant, database } = await tenantAndDatabase(context.req.param('slug'));
    const form = await context.req.parseBody();
    const language = await requestLanguage(context, database);
    const result = await recoverVoucher(
      dependencies,
      tenant.id,
      database,
      {
        phone: String(form['phone'] ?? ''),
        receipt: String(form['receipt'] ?? ''),
        address: clientAddress(context),
      },
      language.language,
    );
    const branding = await ispBranding(database, tenant.name);
    const page = (kind: 'ok' | 'error', message: string, children?: Child) => (
      <MessagePage
        branding={branding}
        page={language}
        slug={tenant.slug}
        title={t(language.language, 'portal.recover.title')}
        kind={kind}
        message={message}
      >
        {children}
      </MessagePage>
    );
    if (result.kind === 'limited') return context.html(page('error', result.message), 429);
    if (result.kind === 'refused') return context.html(page('error', result.message));
    return context.html(
      page(
        'ok',
        t(language.language, 'portal.recover.found', { code: result.code }),
        <RouterLogin
          router={await routerContext(tenant.id, form)}
          code={result.code}
          language={language.language}
        />,
      ),
    );
  });

  return routes;
}
