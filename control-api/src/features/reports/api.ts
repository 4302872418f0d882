// /api/v1/reports/sales|activity|network: an ISP's sales, activity and network over a date range as
// JSON {rows, totals}, CSV or a printable PDF. No tier feature check: every ISP sees its own sales.
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantIdOf } from '../../kernel/tenant-access';
import { reportQuerySchema } from './core';
import { buildReport, REPORT_KINDS, type ReportKind, reportCsv, reportNamesOf, reportPdf } from './service';

const reports = routeGroup({ basePath: '/api/v1/reports', tag: 'reports' });

const SUMMARIES: Record<ReportKind, string> = {
  sales:
    'Sales per local day, plan and channel (portal STK, paybill, voucher sheets, by hand) with counts and amounts',
  activity: 'Logins, unique devices, peak concurrent sessions and rejects by reason, per local day',
  network: 'Traffic, sessions and uptime per router',
};

/** Rows and totals; the columns of each report are described in features/reports/core/README.md. */
const reportResponseSchema = z.object({ rows: z.array(z.unknown()), totals: z.unknown() });

for (const kind of REPORT_KINDS) {
  reports.declare({
    method: 'get',
    path: `/${kind}`,
    summary: `${SUMMARIES[kind]}; format=json|csv|pdf`,
    permission: 'reports.read',
    query: reportQuerySchema,
    response: reportResponseSchema,
    handler: async ({ query, dependencies, respond }, context) => {
      const tenantId = tenantIdOf(context);
      const report = await buildReport(dependencies, tenantId, kind, query.range);
      if (query.format === 'json') return respond(report);
      const names = await reportNamesOf(dependencies, tenantId);
      const fileName = `${kind}-report.${query.format}`;
      const disposition = `attachment; filename="${fileName}"`;
      if (query.format === 'csv') {
        return context.body(reportCsv(kind, report, names), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': disposition,
        });
      }
      const pdf = await reportPdf(kind, report, names, query.range);
      return context.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': disposition,
      });
    },
  });
}

export const reportRoutes = (dependencies: ApiDependencies) => reports.mount(dependencies);
