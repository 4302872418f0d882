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
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import {
  createStaffVoucherBatch,
  getVoucher,
  listVouchers,
  revokeVoucherAndDisconnect,
  voucherCsvExport,
  voucherSheetOf,
} from './service';
import { voucherSheetResponse } from './voucher-sheet';

const listQuerySchema = listVouchersQuerySchema.extend(pageQuerySchema.shape);
const revokeOutputSchema = voucherOutputSchema.extend({
  disconnected: z.object({ sessions: z.number().int(), acknowledged: z.number().int() }),
});

const vouchers = routeGroup({ basePath: '/api/v1/vouchers', tag: 'vouchers' });

vouchers.declare({
  method: 'get',
  path: '/',
  summary: 'List vouchers (q = code prefix; status, planId, batchId)',
  permission: 'vouchers.read',
  feature: 'hotspot',
  query: listQuerySchema,
  response: pageResponseSchema(voucherOutputSchema),
  handler: async ({ query: { limit, cursor, ...filter }, dependencies, respond }, context) =>
    respond(await listVouchers(tenantDatabaseOf(context, dependencies), filter, { limit, cursor })),
});

vouchers.declare({
  method: 'post',
  path: '/',
  summary: 'Create a batch of vouchers on a hotspot plan; answers its codes',
  permission: 'vouchers.write',
  feature: 'hotspot',
  body: createVoucherBatchInputSchema,
  response: voucherBatchOutputSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await createStaffVoucherBatch(tenantDatabaseOf(context, dependencies), body, {
        nowMs: dependencies.clock.now(),
        createdBy: context.get('principal').id,
        audit: auditorOf(dependencies, context),
      }),
    ),
});

vouchers.declare({
  method: 'get',
  path: '/export.csv',
  summary: 'CSV of vouchers (by batch, plan, status)',
  permission: 'vouchers.read',
  feature: 'hotspot',
  query: voucherExportQuerySchema,
  responseContentType: 'text/csv',
  handler: async ({ query, dependencies }, context) => {
    const { fileName, csv } = await voucherCsvExport(tenantDatabaseOf(context, dependencies), query);
    return context.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName}"`,
    });
  },
});

vouchers.declare({
  method: 'get',
  path: '/print',
  summary: 'Print sheet of a batch: A4 grid of cards (format=html|pdf)',
  permission: 'vouchers.read',
  feature: 'hotspot',
  query: voucherPrintQuerySchema,
  responseContentType: 'text/html',
  handler: async ({ query: { batchId, format }, dependencies }, context) => {
    const sheet = await voucherSheetOf(
      tenantDatabaseOf(context, dependencies),
      dependencies.databases.platform,
      tenantIdOf(context),
      batchId,
    );
    return voucherSheetResponse(context, sheet, format, batchId);
  },
});

vouchers.declare({
  method: 'get',
  path: '/:id',
  summary: 'Get a voucher',
  permission: 'vouchers.read',
  feature: 'hotspot',
  params: idParamsSchema,
  response: voucherOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await getVoucher(tenantDatabaseOf(context, dependencies), params.id)),
});

vouchers.declare({
  method: 'post',
  path: '/:id/revoke',
  summary: 'Revoke a voucher and disconnect its live sessions',
  permission: 'vouchers.write',
  feature: 'hotspot',
  params: idParamsSchema,
  response: revokeOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await revokeVoucherAndDisconnect(
        tenantDatabaseOf(context, dependencies),
        dependencies.aaa,
        tenantIdOf(context),
        params.id,
        auditorOf(dependencies, context),
      ),
    ),
});

export const voucherRoutes = (dependencies: ApiDependencies) => vouchers.mount(dependencies);
