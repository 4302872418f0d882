// ISP console pages about vouchers (/isp/vouchers): list and generate a batch, the printable batch
// page, revoke — all through /api/v1/vouchers (and /api/v1/plans for plan names) in-process.
import type { PlanOutput, VoucherOutput } from '@kiunga/schemas';
import { Hono } from 'hono';
import { type IspContext, ispPageKit, LOOKUP_LIMIT } from '../../console/isp-page';
import {
  type AppFetch,
  assertPermission,
  callApiPage,
  can,
  formFields,
  optionalNumber,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
  withQuery,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { Page } from '../../kernel/pagination';
import { VoucherBatchPage, VouchersPage } from './views';

export function ispVoucherRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);
  const allPlans = async (context: IspContext) =>
    (await api<Page<PlanOutput>>(context, 'GET', withQuery('/api/v1/plans', { limit: LOOKUP_LIMIT }))).items;

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

  return routes;
}
