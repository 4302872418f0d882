// Reseller consoles: /reseller (a reseller's own, branded as its ISP) and /isp/resellers (the ISP's page),
// both acting through /api/v1/resellers and /api/v1/commission-rules in-process.
import type { PlanOutput } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { type IspContext, ispPageKit, LOOKUP_LIMIT } from '../../console/isp-page';
import type { NavItem } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  callApi,
  can,
  consoleAccess,
  consoleErrorHandler,
  formFields,
  optionalText,
  redirectWithFlash,
  renderHtml,
  shillingsToCents,
  tenantShell,
  withFormErrors,
  withQuery,
} from '../../console/support';
import { ownAccountRoutes } from '../../identity/account/console';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import type { Page } from '../../kernel/pagination';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { readTenantProfile } from '../branding/service';
import type { StockPricingMode } from './core';
import { readResellerSettings } from './service';
import type { CommissionRow, StockPurchaseRow } from './store';
import {
  type CommissionRuleView,
  IspResellersPage,
  ResellerHomePage,
  type ResellerView,
  TopUpPage,
} from './views';

const RESELLER_NAV: NavItem[] = [
  { href: '/reseller', label: 'Wallet' },
  { href: '/reseller/account', label: 'My account' },
];

async function hotspotPlans(api: <Result>(path: string) => Promise<Result>): Promise<PlanOutput[]> {
  const plans = await api<Page<PlanOutput>>(withQuery('/api/v1/plans', { limit: LOOKUP_LIMIT }));
  return plans.items.filter((plan) => plan.kind === 'hotspot' && plan.isActive);
}

/** /reseller: only reseller accounts; staff are sent to their own console. */
export function resellerConsoleRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.onError(consoleErrorHandler(dependencies));
  routes.use('*', ...consoleAccess(dependencies, (principal) => principal.kind === 'reseller'));
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, RESELLER_NAV);
  const get =
    (context: Context<AppEnv>) =>
    <Result,>(path: string) =>
      callApi<Result>(context, fetchApp, 'GET', path);

  const home = async (context: Context<AppEnv>, newCodes?: { batchId: string; codes: string[] }) => {
    const id = context.get('principal').id;
    const api = get(context);
    const [reseller, plans, stock, commissions, subResellers, profile] = await Promise.all([
      api<ResellerView>(`/api/v1/resellers/${id}`),
      hotspotPlans(api),
      api<Page<StockPurchaseRow>>(`/api/v1/resellers/${id}/stock?limit=10`),
      api<{ items: CommissionRow[]; totals: { amountCents: number } }>(`/api/v1/resellers/${id}/commissions`),
      api<Page<ResellerView>>(`/api/v1/resellers?parentId=${id}`),
      readTenantProfile(dependencies.databases.platform, tenantIdOf(context)),
    ]);
    const settings = await readResellerSettings(tenantDatabaseOf(context, dependencies));
    const hasFeature = await tenantFeatures(dependencies.databases.platform, tenantIdOf(context));
    return (
      <ResellerHomePage
        shell={shell(context)}
        reseller={reseller}
        portalLink={`${dependencies.publicUrl}/portal/${profile.slug}?r=${reseller.code}`}
        plans={plans}
        stock={stock.items}
        commissions={commissions}
        subResellers={subResellers.items}
        canCreateSubResellers={reseller.depth < settings.depthMax}
        canSellBySms={hasFeature('sms')}
        newCodes={newCodes}
      />
    );
  };

  routes.get('/', async (context) => renderHtml(context, await home(context)));

  routes.post('/stock', (context) =>
    withFormErrors(context, '/reseller', async () => {
      const fields = await formFields(context);
      const bought = await callApi<{ batchId: string; codes: string[] }>(
        context,
        fetchApp,
        'POST',
        `/api/v1/resellers/${context.get('principal').id}/stock`,
        { planId: fields.planId ?? '', count: Number(fields.count ?? 0) },
      );
      return renderHtml(context, await home(context, bought), 201);
    }),
  );

  routes.post('/sell', (context) =>
    withFormErrors(context, '/reseller', async () => {
      const fields = await formFields(context);
      const sale = await callApi<{ code: string; phone: string }>(
        context,
        fetchApp,
        'POST',
        `/api/v1/resellers/${context.get('principal').id}/stock/sell`,
        { planId: fields.planId ?? '', phone: fields.phone ?? '' },
      );
      return redirectWithFlash(
        context,
        '/reseller',
        'ok',
        `Code ${sale.code} sent by SMS to +${sale.phone}.`,
      );
    }),
  );

  routes.post('/topups', (context) =>
    withFormErrors(context, '/reseller', async () => {
      const fields = await formFields(context);
      const started = await callApi<{ id: string }>(
        context,
        fetchApp,
        'POST',
        `/api/v1/resellers/${context.get('principal').id}/mpesa-topups`,
        { shillings: Number(fields.shillings ?? 0), phone: fields.phone ?? '' },
      );
      return context.redirect(`/reseller/topups/${encodeURIComponent(started.id)}`, 303);
    }),
  );

  routes.get('/topups/:purchaseId', async (context) => {
    const view = await get(context)<{
      status: 'pending' | 'paid' | 'failed';
      amountCents: number;
      error?: { message: string };
    }>(
      `/api/v1/resellers/${context.get('principal').id}/mpesa-topups/${encodeURIComponent(context.req.param('purchaseId'))}`,
    );
    return renderHtml(
      context,
      <TopUpPage
        shell={shell(context)}
        status={view.status}
        amountCents={view.amountCents}
        message={view.error?.message}
      />,
    );
  });

  routes.post('/sub-resellers', (context) =>
    withFormErrors(context, '/reseller', async () => {
      const fields = await formFields(context);
      const created = await callApi<{ code: string; temporaryPassword?: string }>(
        context,
        fetchApp,
        'POST',
        '/api/v1/resellers',
        { name: fields.name ?? '', email: fields.email ?? '', phone: fields.phone ?? '' },
      );
      return redirectWithFlash(
        context,
        '/reseller',
        'ok',
        `Sub-reseller added with code ${created.code}. Its temporary password: ${created.temporaryPassword ?? ''}`,
      );
    }),
  );

  routes.route('/', ownAccountRoutes(dependencies, fetchApp, { basePath: '/reseller/account', shell }));
  routes.all('*', (context) => context.redirect('/reseller', 303));
  return routes;
}

/** /isp/resellers: mount on the ISP console's routes. */
export function ispResellerRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);

  routes.get('/resellers', async (context) => {
    assertPermission(context, 'resellers.read');
    const [resellers, rules, plans, settings] = await Promise.all([
      api<Page<ResellerView>>(context, 'GET', withQuery('/api/v1/resellers', { limit: LOOKUP_LIMIT })),
      api<{ items: CommissionRuleView[] }>(context, 'GET', '/api/v1/commission-rules'),
      hotspotPlans((path) => api(context, 'GET', path)),
      api<{ depthMax: number; stockPricing: StockPricingMode }>(context, 'GET', '/api/v1/settings/resellers'),
    ]);
    return renderHtml(
      context,
      <IspResellersPage
        shell={shell(context)}
        resellers={resellers.items}
        rules={rules.items}
        plans={plans}
        planNames={new Map(plans.map((plan) => [plan.id, plan.name]))}
        canWrite={can(context, 'resellers.write')}
        canRecordMoney={can(context, 'resellers.money')}
        settings={settings}
        canEditSettings={can(context, 'settings.write')}
      />,
    );
  });

  routes.post('/resellers', (context) =>
    withFormErrors(context, '/isp/resellers', async () => {
      const fields = await formFields(context);
      const password = optionalText(fields, 'password');
      const created = await api<{ name: string; code: string; temporaryPassword?: string }>(
        context,
        'POST',
        '/api/v1/resellers',
        {
          name: fields.name ?? '',
          email: fields.email ?? '',
          phone: fields.phone ?? '',
          ...(password === undefined ? {} : { password }),
        },
      );
      const temporary = created.temporaryPassword ? ` Temporary password: ${created.temporaryPassword}` : '';
      return redirectWithFlash(
        context,
        '/isp/resellers',
        'ok',
        `${created.name} created with code ${created.code}.${temporary}`,
      );
    }),
  );

  const moneyAction = (kind: 'topups' | 'payouts') => (context: IspContext) =>
    withFormErrors(context, '/isp/resellers', async () => {
      const fields = await formFields(context);
      const amountCents = shillingsToCents(fields.shillings, 'Amount');
      const body =
        kind === 'topups'
          ? { amountCents, reference: fields.reference ?? '' }
          : { amountCents, method: fields.method ?? 'cash', reference: fields.reference ?? '' };
      await api(
        context,
        'POST',
        `/api/v1/resellers/${encodeURIComponent(context.req.param('id') ?? '')}/${kind}`,
        body,
      );
      return redirectWithFlash(
        context,
        '/isp/resellers',
        'ok',
        kind === 'topups' ? 'Top-up recorded.' : 'Payout recorded.',
      );
    });
  routes.post('/resellers/:id/topups', moneyAction('topups'));
  routes.post('/resellers/:id/payouts', moneyAction('payouts'));

  routes.post('/resellers/settings', (context) =>
    withFormErrors(context, '/isp/resellers', async () => {
      const fields = await formFields(context);
      await api(context, 'PUT', '/api/v1/settings/resellers', {
        depthMax: Number(fields.depthMax ?? 0),
        stockPricing: fields.stockPricing ?? '',
      });
      return redirectWithFlash(context, '/isp/resellers', 'ok', 'Reseller settings saved.');
    }),
  );

  routes.post('/resellers/:id/move', (context) =>
    withFormErrors(context, '/isp/resellers', async () => {
      const fields = await formFields(context);
      const moved = await api<{ name: string; depth: number }>(
        context,
        'POST',
        `/api/v1/resellers/${encodeURIComponent(context.req.param('id') ?? '')}/move`,
        { parentId: optionalText(fields, 'parentId') ?? null },
      );
      return redirectWithFlash(
        context,
        '/isp/resellers',
        'ok',
        `${moved.name} moved to level ${moved.depth}.`,
      );
    }),
  );

  routes.post('/resellers/rules', (context) =>
    withFormErrors(context, '/isp/resellers', async () => {
      const fields = await formFields(context);
      const percent = optionalText(fields, 'percent');
      const fixed = optionalText(fields, 'fixedShillings');
      await api(context, 'POST', '/api/v1/commission-rules', {
        planId: optionalText(fields, 'planId') ?? null,
        level: Number(fields.level ?? 0),
        ...(fixed === undefined
          ? { percentBasisPoints: Math.round(Number(percent ?? 0) * 100) }
          : { fixedCents: shillingsToCents(fixed, 'Fixed amount') }),
      });
      return redirectWithFlash(context, '/isp/resellers', 'ok', 'Commission rule saved.');
    }),
  );
  return routes;
}
