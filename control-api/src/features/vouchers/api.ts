// /api/v1/vouchers: batch generation, search, revoke, CSV export and print sheets (HTML/PDF).
import {
  createVoucherBatchInputSchema,
  listVouchersQuerySchema,
  pageResponseSchema,
  voucherBatchOutputSchema,
  voucherExportQuerySchema,
  voucherOutputSchema,
  voucherPrintQuerySchema,
} from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requireFeature } from '../../kernel/middleware/require-feature';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import {
  createVoucherBatch,
  findVoucherBatch,
  getVoucher,
  listVouchers,
  revokeVoucherAndDisconnect,
  voucherSheetOf,
  vouchersForExport,
  vouchersToCsv,
} from './service';
import { renderVoucherSheetHtml, renderVoucherSheetPdf } from './voucher-sheet';

const listQuerySchema = listVouchersQuerySchema.extend(pageQuerySchema.shape);
const revokeOutputSchema = voucherOutputSchema.extend({
  disconnected: z.object({ sessions: z.number().int(), acknowledged: z.number().int() }),
});

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/vouchers',
    summary: 'List vouchers (q = code prefix; status, planId, batchId)',
    tag: 'vouchers',
    permission: 'vouchers.read',
    query: listQuerySchema,
    response: pageResponseSchema(voucherOutputSchema),
  },
  {
    method: 'post',
    path: '/api/v1/vouchers',
    summary: 'Create a batch of vouchers on a hotspot plan; answers its codes',
    tag: 'vouchers',
    permission: 'vouchers.write',
    body: createVoucherBatchInputSchema,
    response: voucherBatchOutputSchema,
    responseStatus: 201,
  },
  {
    method: 'get',
    path: '/api/v1/vouchers/export.csv',
    summary: 'CSV of vouchers (by batch, plan, status)',
    tag: 'vouchers',
    permission: 'vouchers.read',
    query: voucherExportQuerySchema,
    responseContentType: 'text/csv',
  },
  {
    method: 'get',
    path: '/api/v1/vouchers/print',
    summary: 'Print sheet of a batch: A4 grid of cards (format=html|pdf)',
    tag: 'vouchers',
    permission: 'vouchers.read',
    query: voucherPrintQuerySchema,
    responseContentType: 'text/html',
  },
  {
    method: 'get',
    path: '/api/v1/vouchers/{id}',
    summary: 'Get a voucher',
    tag: 'vouchers',
    permission: 'vouchers.read',
    response: voucherOutputSchema,
  },
  {
    method: 'post',
    path: '/api/v1/vouchers/{id}/revoke',
    summary: 'Revoke a voucher and disconnect its live sessions',
    tag: 'vouchers',
    permission: 'vouchers.write',
    response: revokeOutputSchema,
  },
]);

export function voucherRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { clock } = dependencies;
  routes.use('*', requireFeature(dependencies, 'hotspot'));

  routes.get('/', requirePermission('vouchers.read'), async (context) => {
    const { limit, cursor, ...filter } = parseQuery(context, listQuerySchema);
    return context.json(
      await listVouchers(tenantDatabaseOf(context, dependencies), filter, { limit, cursor }),
    );
  });

  routes.post('/', requirePermission('vouchers.write'), async (context) => {
    const input = await parseJsonBody(context, createVoucherBatchInputSchema);
    const principal = context.get('principal');
    const batch = await createVoucherBatch(tenantDatabaseOf(context, dependencies), input, {
      nowMs: clock.now(),
      createdBy: principal.id,
    });
    await recordAudit(dependencies, context, {
      action: 'voucher_batch.create',
      target: batch.batchId,
      detail: { planId: input.planId, count: input.count, length: input.length, prefix: input.prefix },
    });
    return context.json(batch, 201);
  });

  routes.get('/export.csv', requirePermission('vouchers.read'), async (context) => {
    const filter = parseQuery(context, voucherExportQuerySchema);
    const database = tenantDatabaseOf(context, dependencies);
    if (filter.batchId) await findVoucherBatch(database, filter.batchId);
    const csv = vouchersToCsv(await vouchersForExport(database, filter));
    const name = filter.batchId ? `vouchers-${filter.batchId}.csv` : 'vouchers.csv';
    return context.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
    });
  });

  routes.get('/print', requirePermission('vouchers.read'), async (context) => {
    const { batchId, format } = parseQuery(context, voucherPrintQuerySchema);
    const database = tenantDatabaseOf(context, dependencies);
    const sheet = await voucherSheetOf(
      database,
      dependencies.databases.platform,
      tenantIdOf(context),
      batchId,
    );
    if (format === 'html') return context.html(renderVoucherSheetHtml(sheet));
    const pdf = await renderVoucherSheetPdf(sheet);
    return context.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="vouchers-${batchId}.pdf"`,
    });
  });

  routes.get('/:id', requirePermission('vouchers.read'), async (context) =>
    context.json(await getVoucher(tenantDatabaseOf(context, dependencies), context.req.param('id'))),
  );

  routes.post('/:id/revoke', requirePermission('vouchers.write'), async (context) => {
    const revoked = await revokeVoucherAndDisconnect(
      tenantDatabaseOf(context, dependencies),
      dependencies.aaa,
      tenantIdOf(context),
      context.req.param('id'),
    );
    await recordAudit(dependencies, context, {
      action: 'voucher.revoke',
      target: revoked.id,
      detail: { disconnected: revoked.disconnected },
    });
    return context.json(revoked);
  });

  return routes;
}
