// ISP console pages (/isp): dashboard, plans, vouchers, live sessions and branding; routers, people,
// administration, billing and the platform account pages are mounted from their own files.
// Every read and action goes through the REST API in-process (callApi) as the signed-in user.
import type { Branding, NasOutput, PlanOutput, SessionOutput, VoucherOutput } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { ispBillingRoutes } from '../billing/console';
import { readTenantProfile } from '../features/branding/service';
import { BrandingPage } from '../features/branding/views';
import { type DashboardFigure, DashboardPage } from '../features/dashboard/views';
import { ispNasRoutes } from '../features/nas/console';
import { ispMessagesRoutes } from '../features/notifications/console';
import { PlanEditPage, PlansPage } from '../features/plans/views';
import { SessionHistoryPage, SessionsPage } from '../features/sessions/views';
import { ispPeopleRoutes } from '../features/subscribers/console';
import { VoucherBatchPage, VouchersPage } from '../features/vouchers/views';
import { ispAccountRoutes } from '../identity/account/console';
import { ispApiKeyRoutes } from '../identity/api-keys/console';
import type { Permission } from '../identity/permissions';
import { ispRoleRoutes } from '../identity/roles/console';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import type { Page } from '../kernel/pagination';
import { ispMpesaRoutes } from '../mpesa/console';
import { ispPlatformAccountRoutes, platformBannerMiddleware } from '../platform-billing/isp-console';
import { ISP_NAV } from './isp-nav';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  can,
  consoleAccess,
  consoleErrorHandler,
  formFields,
  optionalCents,
  optionalNumber,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  tenantShell,
  withFormErrors,
  withQuery,
} from './support';

/** Lists behind dropdowns and name lookups (plans, routers): one API page is plenty for one ISP. */
const LOOKUP_LIMIT = 200;
/** Live sessions listed on the dashboard; the rest are one tap away. */
const DASHBOARD_SESSIONS = 5;
/** The data cap is typed in GB (binary, as MikroTik and most ISPs count): 1 GB = 1024³ bytes. */
const BYTES_PER_GIGABYTE = 1024 ** 3;
const VALIDITY_UNIT_SECONDS: Record<string, number> = { minutes: 60, hours: 3_600, days: 86_400 };

type IspContext = Context<AppEnv>;

/** Plan form fields into the API's plan input; kind decides which terms are sent. */
function planInputOf(fields: Record<string, string>, isUpdate: boolean) {
  const kind = fields.kind;
  const isHotspot = kind === 'hotspot';
  const validityValue = optionalNumber(fields, 'validityValue');
  const unitSeconds = VALIDITY_UNIT_SECONDS[fields.validityUnit ?? 'hours'] ?? 3_600;
  const clear = isUpdate ? null : undefined;
  const dataCapGigabytes = optionalNumber(fields, 'dataCapGigabytes');
  return {
    name: fields.name?.trim() ?? '',
    kind,
    priceCents: optionalCents(fields, 'price') ?? 0,
    deviceLimit: optionalNumber(fields, 'deviceLimit') ?? 1,
    rateUpKbps: optionalNumber(fields, 'rateUpKbps'),
    rateDownKbps: optionalNumber(fields, 'rateDownKbps'),
    validitySeconds:
      isHotspot && validityValue !== undefined ? Math.round(validityValue * unitSeconds) : clear,
    billingCycleMonths: isHotspot ? clear : (optionalNumber(fields, 'billingCycleMonths') ?? 1),
    ipPool: isHotspot ? clear : (optionalText(fields, 'ipPool') ?? clear),
    burstUpKbps: optionalNumber(fields, 'burstUpKbps') ?? clear,
    burstDownKbps: optionalNumber(fields, 'burstDownKbps') ?? clear,
    burstThresholdUpKbps: optionalNumber(fields, 'burstThresholdUpKbps') ?? clear,
    burstThresholdDownKbps: optionalNumber(fields, 'burstThresholdDownKbps') ?? clear,
    burstTimeSeconds: optionalNumber(fields, 'burstTimeSeconds') ?? clear,
    dataCapBytes: dataCapGigabytes === undefined ? clear : Math.round(dataCapGigabytes * BYTES_PER_GIGABYTE),
    ...(isUpdate ? { isActive: fields.isActive === 'true' } : {}),
  };
}

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
  const api = <Result,>(
    context: IspContext,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ) => callApi<Result>(context, fetchApp, method, path, body);
  const shell = (context: IspContext) => tenantShell(context, dependencies, ISP_NAV);
  const allPlans = async (context: IspContext) =>
    (await api<Page<PlanOutput>>(context, 'GET', withQuery('/api/v1/plans', { limit: LOOKUP_LIMIT }))).items;

  /** "12" or "200+" from one API page, or null when the feature or permission is missing. */
  const countOf = async (context: IspContext, permission: Permission, path: string) => {
    if (!can(context, permission)) return null;
    try {
      const page = await api<Page<unknown>>(context, 'GET', path);
      return page.nextCursor ? `${page.items.length}+` : String(page.items.length);
    } catch {
      return null;
    }
  };

  routes.get('/', async (context) => {
    const figures: Array<Omit<DashboardFigure, 'value'> & { value: string | null }> = [
      {
        label: 'Online now',
        href: '/isp/sessions',
        value: await countOf(context, 'sessions.read', `/api/v1/sessions?limit=${LOOKUP_LIMIT}`),
      },
      {
        label: 'Active subscribers',
        href: '/isp/subscribers?status=active',
        value: await countOf(
          context,
          'subscribers.read',
          `/api/v1/subscribers?status=active&limit=${LOOKUP_LIMIT}`,
        ),
      },
      {
        label: 'Unused vouchers',
        href: '/isp/vouchers?status=unused',
        value: await countOf(
          context,
          'vouchers.read',
          `/api/v1/vouchers?status=unused&limit=${LOOKUP_LIMIT}`,
        ),
      },
      {
        label: 'Plans',
        href: '/isp/plans',
        value: await countOf(context, 'plans.read', `/api/v1/plans?limit=${LOOKUP_LIMIT}`),
      },
      {
        label: 'Routers',
        href: '/isp/nas',
        value: await countOf(context, 'nas.read', `/api/v1/nas?limit=${LOOKUP_LIMIT}`),
      },
    ];
    const shown = figures.filter((figure): figure is DashboardFigure => figure.value !== null);
    const sessions = can(context, 'sessions.read')
      ? (await api<Page<SessionOutput>>(context, 'GET', `/api/v1/sessions?limit=${DASHBOARD_SESSIONS}`)).items
      : null;
    return renderHtml(context, <DashboardPage shell={shell(context)} figures={shown} sessions={sessions} />);
  });

  routes.get('/plans', async (context) => {
    assertPermission(context, 'plans.read');
    const query = pageQuery(context, []);
    const page = await callApiPage<PlanOutput>(context, fetchApp, '/api/v1/plans', query);
    return renderHtml(
      context,
      <PlansPage
        shell={shell(context)}
        plans={page.items}
        nextCursor={page.nextCursor}
        query={query}
        canWrite={can(context, 'plans.write')}
        draft={takeDraft(context)}
      />,
    );
  });

  routes.post('/plans', (context) =>
    withFormErrors(context, '/isp/plans', async () => {
      const plan = await api<PlanOutput>(
        context,
        'POST',
        '/api/v1/plans',
        planInputOf(await formFields(context), false),
      );
      return redirectWithFlash(context, '/isp/plans', 'ok', `Plan “${plan.name}” created.`);
    }),
  );

  routes.get('/plans/:id', async (context) => {
    const plan = await api<PlanOutput>(
      context,
      'GET',
      `/api/v1/plans/${encodeURIComponent(context.req.param('id'))}`,
    );
    return renderHtml(
      context,
      <PlanEditPage shell={shell(context)} plan={plan} draft={takeDraft(context)} />,
    );
  });

  routes.post('/plans/:id', (context) => {
    const path = `/isp/plans/${encodeURIComponent(context.req.param('id'))}`;
    return withFormErrors(context, path, async () => {
      const input = planInputOf(await formFields(context), true);
      const plan = await api<PlanOutput>(context, 'PATCH', `/api/v1${path.slice(4)}`, input);
      return redirectWithFlash(context, '/isp/plans', 'ok', `Plan “${plan.name}” saved.`);
    });
  });

  routes.get('/vouchers', async (context) => {
    assertPermission(context, 'vouchers.read');
    const query = pageQuery(context, ['q', 'status']);
    const [page, plans] = await Promise.all([
      callApiPage<VoucherOutput>(context, fetchApp, '/api/v1/vouchers', query),
      allPlans(context),
    ]);
    return renderHtml(
      context,
      <VouchersPage
        shell={shell(context)}
        vouchers={page.items}
        planNames={new Map(plans.map((plan) => [plan.id, plan.name]))}
        hotspotPlans={plans.filter((plan) => plan.kind === 'hotspot' && plan.isActive)}
        nextCursor={page.nextCursor}
        query={query}
        canWrite={can(context, 'vouchers.write')}
      />,
    );
  });

  routes.post('/vouchers', (context) =>
    withFormErrors(context, '/isp/vouchers', async () => {
      const fields = await formFields(context);
      const batch = await api<{ batchId: string; codes: string[] }>(context, 'POST', '/api/v1/vouchers', {
        planId: fields.planId ?? '',
        count: optionalNumber(fields, 'count') ?? 0,
        ...(optionalNumber(fields, 'length') === undefined
          ? {}
          : { length: optionalNumber(fields, 'length') }),
        prefix: fields.prefix?.trim() ?? '',
      });
      return redirectWithFlash(
        context,
        `/isp/vouchers/batches/${encodeURIComponent(batch.batchId)}`,
        'ok',
        `Generated ${batch.codes.length} vouchers.`,
      );
    }),
  );

  routes.get('/vouchers/batches/:batchId', async (context) => {
    const batchId = context.req.param('batchId');
    const page = await api<Page<VoucherOutput>>(
      context,
      'GET',
      withQuery('/api/v1/vouchers', { batchId, limit: LOOKUP_LIMIT }),
    );
    const first = page.items[0];
    const plan = first
      ? await api<PlanOutput>(context, 'GET', `/api/v1/plans/${encodeURIComponent(first.planId)}`)
      : null;
    const vouchers = [...page.items].sort((a, b) => a.code.localeCompare(b.code));
    return renderHtml(
      context,
      <VoucherBatchPage
        shell={shell(context)}
        batchId={batchId}
        planName={plan?.name ?? ''}
        vouchers={vouchers}
      />,
    );
  });

  routes.post('/vouchers/:id/revoke', (context) =>
    withFormErrors(context, '/isp/vouchers', async () => {
      const voucher = await api<VoucherOutput & { disconnected: { sessions: number } }>(
        context,
        'POST',
        `/api/v1/vouchers/${encodeURIComponent(context.req.param('id'))}/revoke`,
      );
      const note =
        voucher.disconnected.sessions > 0 ? ` ${voucher.disconnected.sessions} session(s) disconnected.` : '';
      return redirectWithFlash(context, '/isp/vouchers', 'ok', `Voucher ${voucher.code} revoked.${note}`);
    }),
  );

  routes.get('/sessions', async (context) => {
    assertPermission(context, 'sessions.read');
    const query = pageQuery(context, []);
    const page = await callApiPage<SessionOutput>(context, fetchApp, '/api/v1/sessions', query);
    const devices = can(context, 'nas.read')
      ? (await api<Page<NasOutput>>(context, 'GET', `/api/v1/nas?limit=${LOOKUP_LIMIT}`)).items
      : [];
    return renderHtml(
      context,
      <SessionsPage
        shell={shell(context)}
        sessions={page.items}
        nasNames={new Map(devices.map((nas) => [nas.id, nas.name]))}
        nextCursor={page.nextCursor}
        query={query}
        canDisconnect={can(context, 'sessions.disconnect')}
        isLive={query.cursor === undefined}
      />,
    );
  });

  routes.get('/sessions/history', async (context) => {
    assertPermission(context, 'sessions.read');
    const query = pageQuery(context, []);
    const [page, devices] = await Promise.all([
      callApiPage<SessionOutput>(context, fetchApp, '/api/v1/sessions/history', query),
      can(context, 'nas.read')
        ? api<Page<NasOutput>>(context, 'GET', `/api/v1/nas?limit=${LOOKUP_LIMIT}`).then((nas) => nas.items)
        : Promise.resolve([]),
    ]);
    return renderHtml(
      context,
      <SessionHistoryPage
        shell={shell(context)}
        sessions={page.items}
        nasNames={new Map(devices.map((nas) => [nas.id, nas.name]))}
        nextCursor={page.nextCursor}
        query={query}
      />,
    );
  });

  routes.post('/sessions/:id/disconnect', (context) =>
    withFormErrors(context, '/isp/sessions', async () => {
      const result = await api<{ outcome: 'ack' | 'nak' | 'timeout' }>(
        context,
        'POST',
        `/api/v1/sessions/${encodeURIComponent(context.req.param('id'))}/disconnect`,
      );
      if (result.outcome === 'ack')
        return redirectWithFlash(context, '/isp/sessions', 'ok', 'Disconnected: the router confirmed.');
      const why = result.outcome === 'nak' ? 'the router refused (NAK)' : 'the router did not answer';
      return redirectWithFlash(context, '/isp/sessions', 'error', `Not disconnected: ${why}.`);
    }),
  );

  routes.get('/branding', async (context) => {
    assertPermission(context, 'branding.write');
    const branding = await api<Branding>(context, 'GET', '/api/v1/branding');
    const profile = await readTenantProfile(
      dependencies.databases.platform,
      context.get('principal').tenantId ?? '',
    );
    return renderHtml(
      context,
      <BrandingPage shell={shell(context)} branding={branding} ispName={profile.name} />,
    );
  });

  routes.post('/branding', (context) =>
    withFormErrors(context, '/isp/branding', async () => {
      const body = await context.req.parseBody();
      const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
      const file = body.logoFile;
      let logo: string | null | undefined;
      if (file instanceof File && file.size > 0) {
        const base64 = Buffer.from(await file.arrayBuffer()).toString('base64');
        logo = `data:${file.type};base64,${base64}`;
      } else if (text('logoUrl')) logo = text('logoUrl');
      else if (text('removeLogo') === 'true') logo = null;
      await api<Branding>(context, 'PATCH', '/api/v1/branding', {
        displayName: text('displayName') || null,
        primaryColor: text('primaryColor'),
        accentColor: text('accentColor'),
        ...(logo === undefined ? {} : { logo }),
      });
      return redirectWithFlash(context, '/isp/branding', 'ok', 'Branding saved.');
    }),
  );

  routes.route('/', ispPeopleRoutes(dependencies, fetchApp));
  routes.route('/', ispNasRoutes(dependencies, fetchApp));
  routes.route('/', ispApiKeyRoutes(dependencies, fetchApp));
  routes.route('/', ispRoleRoutes(dependencies, fetchApp));
  routes.route('/', ispAccountRoutes(dependencies, fetchApp));
  routes.route('/', ispBillingRoutes(dependencies, fetchApp));
  routes.route('/', ispMessagesRoutes(dependencies, fetchApp));
  routes.route('/', ispMpesaRoutes(dependencies, fetchApp));
  routes.route('/', ispPlatformAccountRoutes(dependencies, fetchApp));
  routes.all('*', (context) => context.redirect('/isp', 303));
  return routes;
}
