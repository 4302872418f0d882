// ISP console pages about plans (/isp/plans): list and create, edit — all through /api/v1/plans in-process.
import type { PlanOutput } from '@kiunga/schemas';
import { Hono } from 'hono';
import { ispPageKit } from '../../console/isp-page';
import {
  type AppFetch,
  assertPermission,
  callApiPage,
  can,
  formFields,
  optionalCents,
  optionalNumber,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { PlanEditPage, PlansPage } from './views';

/** The data cap is typed in GB (binary, as MikroTik and most ISPs count): 1 GB = 1024³ bytes. */
const BYTES_PER_GIGABYTE = 1024 ** 3;
const VALIDITY_UNIT_SECONDS: Record<string, number> = { minutes: 60, hours: 3_600, days: 86_400 };

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

export function ispPlanRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);

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

  return routes;
}
