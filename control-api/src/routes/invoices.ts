// /api/v1/invoices (list, get, printable HTML and PDF) and /api/v1/subscribers/:id/statement.
import { pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { type InvoiceDocumentInput, renderInvoiceHtml, renderInvoicePdf } from '../billing/invoice-document';
import { getInvoice, listInvoices, subscriberStatement } from '../billing/queries';
import type { ApiDependencies, AppEnv } from '../dependencies';
import { requireFeature } from '../middleware/require-feature';
import { requirePermission } from '../middleware/require-permission';
import { pageQuerySchema } from '../pagination';
import { tenantIdOf, tenantShardOf } from '../tenant-access';
import { parseQuery } from '../validation';
import { registerApiOperations } from './openapi';

const invoiceStatusSchema = z.enum(['open', 'partially_paid', 'paid', 'void']);
const listQuerySchema = pageQuerySchema.extend({
  status: invoiceStatusSchema.optional(),
  subscriberId: z.string().max(64).optional(),
});
const lineSchema = z.object({
  kind: z.string(),
  description: z.string(),
  amountCents: z.number().int(),
  planId: z.string().nullable(),
  periodStartMs: z.number().nullable(),
  periodEndMs: z.number().nullable(),
});
const invoiceSchema = z.object({
  id: z.string(),
  number: z.string(),
  subscriberId: z.string(),
  accountNumber: z.string(),
  cycleKey: z.string(),
  periodStart: z.number(),
  periodEnd: z.number(),
  issuedAt: z.number(),
  dueAt: z.number(),
  totalCents: z.number().int(),
  status: invoiceStatusSchema,
  lines: z.array(lineSchema),
});
const statementSchema = z.object({
  subscriberId: z.string(),
  balanceCents: z.number().int(),
  outstandingCents: z.number().int(),
  creditBalanceCents: z.number().int(),
  entries: z.array(
    z.object({
      transferId: z.string(),
      kind: z.string(),
      amountCents: z.number().int(),
      reference: z.string(),
      invoiceId: z.string().nullable(),
      at: z.number(),
      balanceAfterCents: z.number().int(),
    }),
  ),
});

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/invoices',
    summary: 'List invoices, newest first (filter by status or subscriber)',
    tag: 'billing',
    permission: 'billing.read',
    query: listQuerySchema,
    response: pageResponseSchema(invoiceSchema),
  },
  {
    method: 'get',
    path: '/api/v1/invoices/{id}',
    summary: 'Get an invoice with what is paid and due; {id}.html and {id}.pdf print it',
    tag: 'billing',
    permission: 'billing.read',
    response: invoiceSchema.extend({ paidCents: z.number().int(), outstandingCents: z.number().int() }),
  },
  {
    method: 'get',
    path: '/api/v1/subscribers/{id}/statement',
    summary: "A subscriber's balance and ledger entries (positive = owes)",
    tag: 'billing',
    permission: 'billing.read',
    response: statementSchema,
  },
]);

function ispNameOf(dependencies: ApiDependencies, tenantId: string): string {
  const row = dependencies.platform.sqlite.prepare('SELECT name FROM tenants WHERE id = ?').get(tenantId) as
    | { name: string }
    | undefined;
  return row?.name ?? '';
}

export function invoiceRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requireFeature(dependencies, 'pppoe'));

  routes.get('/', requirePermission('billing.read'), (context) => {
    const query = parseQuery(context, listQuerySchema);
    return context.json(listInvoices(tenantShardOf(context, dependencies), query));
  });

  // One route for `inv_x`, `inv_x.html` and `inv_x.pdf`: invoice ids never contain a dot.
  routes.get('/:id', requirePermission('billing.read'), async (context) => {
    const [id = '', format = 'json'] = context.req.param('id').split('.', 2);
    const shard = tenantShardOf(context, dependencies);
    const invoice = getInvoice(shard, id);
    if (format === 'json') return context.json(invoice);
    const subscriber = shard
      .statement('SELECT full_name AS fullName, phone FROM subscribers WHERE id = ?')
      .get(invoice.subscriberId) as { fullName: string; phone: string | null } | undefined;
    const input: InvoiceDocumentInput = {
      ispName: ispNameOf(dependencies, tenantIdOf(context)),
      subscriber: {
        fullName: subscriber?.fullName ?? '',
        phone: subscriber?.phone ?? null,
        accountNumber: invoice.accountNumber,
      },
      invoice,
    };
    if (format === 'html') return context.html(renderInvoiceHtml(input));
    if (format === 'pdf') {
      const pdf = await renderInvoicePdf(input);
      return context.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${invoice.number}.pdf"`,
      });
    }
    return context.json({ error: { code: 'not_found', message: 'Use .html or .pdf.' } }, 404);
  });
  return routes;
}

/** Mounted beside the subscriber routes at /api/v1/subscribers. */
export function subscriberStatementRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(
    '/:id/statement',
    requireFeature(dependencies, 'pppoe'),
    requirePermission('billing.read'),
    (context) =>
      context.json(subscriberStatement(tenantShardOf(context, dependencies), context.req.param('id'))),
  );
  return routes;
}
