// /api/v1/accounting: connect QuickBooks Online or Xero (OAuth 2.0), see the connections and the sync
// log, run a sync now, disconnect; /api/v1/exports/<ledger|invoices|payments>.csv for any other package.
// The vendor's redirect back lands on /callbacks/accounting/<vendor> (callbackRoutes below).

import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { timeRangeOf } from '../../kernel/time-range';
import {
  claimSync,
  completeConnect,
  connectBodySchemas,
  connectionViews,
  disconnect,
  EXPORT_KINDS,
  exportCsv,
  startConnect,
  vendorName,
} from './service';
import { listSyncLog } from './store';

const accounting = routeGroup({ basePath: '/api/v1/accounting', tag: 'accounting' });
const exportsGroup = routeGroup({ basePath: '/api/v1/exports', tag: 'accounting' });

const vendorParams = z.object({ vendor: z.enum(['quickbooks', 'xero']) });

/** A page of the sync log: a month of a large ISP is a few thousand entries. */
const SYNC_LOG_PAGE_MAX = 200;

const syncLogEntrySchema = z.object({
  key: z.string(),
  kind: z.string(),
  status: z.enum(['ok', 'failed', 'retry', 'blocked']),
  vendorId: z.string().nullable(),
  attempts: z.number(),
  generation: z.number(),
  nextAttemptAt: z.string().nullable(),
  error: z.object({ failure: z.string(), message: z.string(), vendorCode: z.string().nullable() }).nullable(),
  updatedAt: z.string(),
});

accounting.declare({
  method: 'get',
  path: '/connections',
  summary:
    'QuickBooks Online and Xero: offered by the platform or not, and the ISP connection (never its tokens)',
  permission: 'billing.read',
  feature: 'pppoe',
  response: z.object({ items: z.array(z.unknown()) }),
  handler: async ({ dependencies, respond }, context) =>
    respond({ items: await connectionViews(dependencies, tenantIdOf(context)) }),
});

for (const vendor of ['quickbooks', 'xero'] as const) {
  accounting.declare({
    method: 'post',
    path: `/${vendor}/connect`,
    summary: `Begin connecting ${vendorName(vendor)}: the URL to send the owner's browser to (OAuth 2.0 consent)`,
    permission: 'billing.write',
    feature: 'pppoe',
    body: connectBodySchemas[vendor],
    response: z.object({ authorizeUrl: z.string() }),
    handler: async ({ body, dependencies, respond }, context) => {
      const answer = await startConnect(dependencies, tenantIdOf(context), vendor, body);
      await auditorOf(dependencies, context)({ action: 'accounting.connect_started', target: vendor });
      return respond(answer);
    },
  });
}

accounting.declare({
  method: 'post',
  path: '/:vendor/sync',
  summary:
    'Sync now: every invoice, payment, void and refund since the connection start; a rerun creates nothing twice',
  permission: 'billing.write',
  feature: 'pppoe',
  params: vendorParams,
  responseStatus: 202,
  response: z.object({ started: z.boolean() }),
  handler: async ({ params, dependencies, respond }, context) => {
    const tenantId = tenantIdOf(context);
    const execute = await claimSync(dependencies, tenantId, params.vendor);
    if (execute === null)
      throw new KiungaError('conflict', 'A sync is running already; its report shows here when it ends.');
    await auditorOf(dependencies, context)({ action: 'accounting.sync_requested', target: params.vendor });
    // The run may take minutes (a vendor call per record); its report lands on GET /connections.
    execute().catch((error: unknown) =>
      dependencies.logger.error({ err: error, tenantId }, 'accounting sync failed'),
    );
    return respond({ started: true });
  },
});

accounting.declare({
  method: 'get',
  path: '/:vendor/sync-log',
  summary: 'The sync log, newest first: each record with its status and, when refused, the vendor error',
  permission: 'billing.read',
  feature: 'pppoe',
  params: vendorParams,
  query: z.object({
    status: z.enum(['ok', 'failed', 'retry', 'blocked']).optional(),
    limit: z.coerce.number().int().min(1).max(SYNC_LOG_PAGE_MAX).default(50),
    cursor: z.string().max(200).optional(),
  }),
  response: z.object({ items: z.array(syncLogEntrySchema), nextCursor: z.string().nullable() }),
  handler: async ({ params, query, dependencies, respond }, context) => {
    const page = await listSyncLog(tenantDatabaseOf(context, dependencies), params.vendor, query);
    return respond({
      items: page.items.map((entry) => ({
        key: entry.key,
        kind: entry.kind,
        status: entry.status,
        vendorId: entry.vendorId,
        attempts: entry.attempts,
        generation: entry.generation,
        nextAttemptAt: entry.nextAttemptAtMs === null ? null : new Date(entry.nextAttemptAtMs).toISOString(),
        error: entry.error,
        updatedAt: new Date(entry.updatedAtMs).toISOString(),
      })),
      nextCursor: page.nextCursor,
    });
  },
});

accounting.declare({
  method: 'delete',
  path: '/:vendor',
  summary:
    'Disconnect: the tokens are deleted; the sync log stays, so a reconnect to the same company creates nothing twice',
  permission: 'billing.write',
  feature: 'pppoe',
  params: vendorParams,
  responseStatus: 204,
  handler: async ({ params, dependencies }, context) => {
    await disconnect(dependencies, tenantIdOf(context), params.vendor);
    await auditorOf(dependencies, context)({ action: 'accounting.disconnected', target: params.vendor });
    return context.body(null, 204);
  },
});

for (const kind of EXPORT_KINDS) {
  exportsGroup.declare({
    method: 'get',
    path: `/${kind}.csv`,
    summary: `The ${kind} of a period as CSV (RFC 4180; layout in features/accounting-sync/README.md); from/to are dates (EAT) or instants`,
    permission: 'reports.read',
    query: z.object({ from: z.string(), to: z.string() }).transform(timeRangeOf),
    handler: async ({ query, dependencies }, context) => {
      const csv = await exportCsv(tenantDatabaseOf(context, dependencies), kind, {
        startMs: query.fromMs,
        endMs: query.toMs,
      });
      return context.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${kind}.csv"`,
      });
    },
  });
}

export const accountingRoutes = (dependencies: ApiDependencies) => accounting.mount(dependencies);
export const exportRoutes = (dependencies: ApiDependencies) => exportsGroup.mount(dependencies);

/**
 * GET /callbacks/accounting/<vendor>: the vendor sends the owner's browser back here with a code and
 * our state; the state (single use, 15 minutes) names the ISP. Answers with a redirect to the console
 * page with the outcome in words.
 */
export function accountingCallbackRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:vendor', async (context) => {
    const vendor = vendorParams.safeParse({ vendor: context.req.param('vendor') });
    if (!vendor.success) return context.notFound();
    const query = new URL(context.req.url).searchParams;
    const outcome = await completeConnect(dependencies, vendor.data.vendor, query);
    const target = new URL('/isp/accounting', dependencies.publicUrl);
    target.searchParams.set(
      outcome.ok ? 'connected' : 'failed',
      outcome.ok ? vendor.data.vendor : outcome.message,
    );
    return context.redirect(`${target.pathname}${target.search}`, 303);
  });
  return routes;
}
