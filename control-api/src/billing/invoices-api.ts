// /api/v1/invoices (list, get, printable HTML and PDF, void) and /api/v1/subscribers/:id/statement
// and /refunds.
import { cents, KiungaError, pageResponseSchema } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../kernel/audit';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { requireFeature } from '../kernel/middleware/require-feature';
import { requirePermission } from '../kernel/middleware/require-permission';
import { registerApiOperations } from '../kernel/openapi';
import { pageQuerySchema } from '../kernel/pagination';
import { tenantDatabaseOf, tenantIdOf } from '../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../kernel/validation';
import { refundCredit, voidInvoice } from './adjustments-store';
import { settleSubscriberPayment } from './automation';
import { type InvoiceDocumentInput, renderInvoiceHtml, renderInvoicePdf } from './invoice-document';
import { settlementSchema } from './payments-api';
import { getInvoice, ispNameOf, listInvoices, subscriberContactOf, subscriberStatement } from './queries';

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

/** A refund above Ksh 10 million is a typing mistake. */
const REFUND_CENTS_MAX = 1_000_000_000;
const IDEMPOTENCY_KEY_LENGTH_MAX = 100;
const voidSchema = z.object({ reason: z.string().trim().min(3).max(200) });
const refundSchema = z.object({
  amountCents: z.number().int().min(1).max(REFUND_CENTS_MAX),
  method: z.enum(['cash', 'bank', 'mpesa']),
  reference: z.string().trim().min(1).max(100).optional(),
  /** Or the Idempotency-Key header. */
  idempotencyKey: z.string().min(8).max(IDEMPOTENCY_KEY_LENGTH_MAX).optional(),
});
const refundResponseSchema = z.object({
  id: z.string(),
  subscriberId: z.string(),
  amountCents: z.number().int(),
  method: z.enum(['cash', 'bank', 'mpesa']),
  reference: z.string(),
  at: z.number(),
  creditBalanceCents: z.number().int(),
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
    method: 'post',
    path: '/api/v1/invoices/{id}/void',
    summary:
      'Void an invoice issued in error: what it nets is reversed, money paid towards it becomes credit, the cycle is not billed again',
    tag: 'billing',
    permission: 'billing.write',
    body: voidSchema,
    response: invoiceSchema.extend({
      paidCents: z.number().int(),
      outstandingCents: z.number().int(),
      settlement: settlementSchema,
    }),
  },
  {
    method: 'post',
    path: '/api/v1/subscribers/{id}/refunds',
    summary:
      "Pay back part or all of a subscriber's credit balance (Idempotency-Key header or idempotencyKey)",
    tag: 'billing',
    permission: 'billing.write',
    body: refundSchema,
    response: refundResponseSchema,
    responseStatus: 201,
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

export function invoiceRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requireFeature(dependencies, 'pppoe'));

  routes.get('/', requirePermission('billing.read'), async (context) => {
    const query = parseQuery(context, listQuerySchema);
    return context.json(await listInvoices(tenantDatabaseOf(context, dependencies), query));
  });

  // One route for `inv_x`, `inv_x.html` and `inv_x.pdf`: invoice ids never contain a dot.
  routes.get('/:id', requirePermission('billing.read'), async (context) => {
    const [id = '', format = 'json'] = context.req.param('id').split('.', 2);
    const database = tenantDatabaseOf(context, dependencies);
    const invoice = await getInvoice(database, id);
    if (format === 'json') return context.json(invoice);
    const subscriber = await subscriberContactOf(database, invoice.subscriberId);
    const input: InvoiceDocumentInput = {
      ispName: await ispNameOf(dependencies.databases.platform, tenantIdOf(context)),
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

  routes.post('/:id/void', requirePermission('billing.write'), async (context) => {
    const { reason } = await parseJsonBody(context, voidSchema);
    const database = tenantDatabaseOf(context, dependencies);
    const { invoice, isDuplicate } = await voidInvoice(
      database,
      context.req.param('id'),
      dependencies.clock.now(),
    );
    // Voiding what was overdue may leave nothing overdue: service comes back at once.
    const settlement = await settleSubscriberPayment(dependencies, tenantIdOf(context), invoice.subscriberId);
    if (!isDuplicate) {
      await recordAudit(dependencies, context, {
        action: 'invoice.void',
        target: invoice.id,
        detail: { number: invoice.number, totalCents: invoice.totalCents, reason },
      });
    }
    return context.json({ ...invoice, settlement });
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
    async (context) =>
      context.json(
        await subscriberStatement(tenantDatabaseOf(context, dependencies), context.req.param('id')),
      ),
  );
  routes.post(
    '/:id/refunds',
    requireFeature(dependencies, 'pppoe'),
    requirePermission('billing.write'),
    async (context) => {
      const input = await parseJsonBody(context, refundSchema);
      const idempotencyKey = context.req.header('idempotency-key') ?? input.idempotencyKey;
      if (!idempotencyKey || idempotencyKey.length > IDEMPOTENCY_KEY_LENGTH_MAX) {
        throw new KiungaError(
          'validation_failed',
          'A refund needs an Idempotency-Key header (or idempotencyKey) of at most 100 characters.',
        );
      }
      const subscriberId = context.req.param('id');
      const { refund, creditBalanceCents, isDuplicate } = await refundCredit(
        tenantDatabaseOf(context, dependencies),
        {
          subscriberId,
          amountCents: cents(input.amountCents),
          method: input.method,
          reference: input.reference ?? null,
          idempotencyKey,
        },
        dependencies.clock.now(),
      );
      if (!isDuplicate) {
        await recordAudit(dependencies, context, {
          action: 'refund.record',
          target: refund.id,
          detail: { subscriberId, amountCents: refund.amountCents, method: refund.method },
        });
      }
      return context.json({ ...refund, creditBalanceCents }, isDuplicate ? 200 : 201);
    },
  );
  return routes;
}
