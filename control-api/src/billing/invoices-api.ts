// /api/v1/invoices (list, get, printable HTML and PDF, void) and /api/v1/subscribers/:id/statement
// and /refunds.
import { KiungaError, pageResponseSchema } from '@kiunga/schemas';
import { z } from 'zod';
import type { ApiDependencies } from '../kernel/dependencies';
import { pageQuerySchema } from '../kernel/pagination';
import { routeGroup } from '../kernel/route';
import { tenantDatabaseOf } from '../kernel/tenant-access';
import { renderInvoiceHtml, renderInvoicePdf } from './invoice-document';
import { settlementSchema } from './payments-api';
import { getInvoice, listInvoices, subscriberStatement } from './queries';
import {
  IDEMPOTENCY_KEY_LENGTH_MAX,
  invoiceDocumentOf,
  refundSubscriberCredit,
  voidIssuedInvoice,
} from './service';

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

const invoices = routeGroup({ basePath: '/api/v1/invoices', tag: 'billing' });
const idParams = z.object({ id: z.string() });

invoices.declare({
  method: 'get',
  path: '/',
  summary: 'List invoices, newest first (filter by status or subscriber)',
  permission: 'billing.read',
  feature: 'pppoe',
  query: listQuerySchema,
  response: pageResponseSchema(invoiceSchema),
  handler: async ({ query, dependencies }, context) =>
    context.json(await listInvoices(tenantDatabaseOf(context, dependencies), query)),
});

// One route for `inv_x`, `inv_x.html` and `inv_x.pdf`: invoice ids never contain a dot.
invoices.declare({
  method: 'get',
  path: '/:id',
  summary: 'Get an invoice with what is paid and due; {id}.html and {id}.pdf print it',
  permission: 'billing.read',
  feature: 'pppoe',
  params: idParams,
  response: invoiceSchema.extend({ paidCents: z.number().int(), outstandingCents: z.number().int() }),
  handler: async ({ params, dependencies }, context) => {
    const [id = '', format = 'json'] = params.id.split('.', 2);
    const invoice = await getInvoice(tenantDatabaseOf(context, dependencies), id);
    if (format === 'json') return context.json(invoice);
    if (format === 'html')
      return context.html(renderInvoiceHtml(await invoiceDocumentOf(dependencies, context, invoice)));
    if (format === 'pdf') {
      const pdf = await renderInvoicePdf(await invoiceDocumentOf(dependencies, context, invoice));
      return context.body(new Uint8Array(pdf), 200, {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${invoice.number}.pdf"`,
      });
    }
    throw new KiungaError('not_found', 'Use .html or .pdf.');
  },
});

invoices.declare({
  method: 'post',
  path: '/:id/void',
  summary:
    'Void an invoice issued in error: what it nets is reversed, money paid towards it becomes credit, the cycle is not billed again',
  permission: 'billing.write',
  feature: 'pppoe',
  params: idParams,
  body: voidSchema,
  response: invoiceSchema.extend({
    paidCents: z.number().int(),
    outstandingCents: z.number().int(),
    settlement: settlementSchema,
  }),
  handler: async ({ params, body, dependencies }, context) =>
    context.json(await voidIssuedInvoice(dependencies, context, params.id, body.reason)),
});

export const invoiceRoutes = (dependencies: ApiDependencies) => invoices.mount(dependencies);

/** Mounted beside the subscriber routes at /api/v1/subscribers. */
const statements = routeGroup({ basePath: '/api/v1/subscribers', tag: 'billing' });

statements.declare({
  method: 'get',
  path: '/:id/statement',
  summary: "A subscriber's balance and ledger entries (positive = owes)",
  permission: 'billing.read',
  feature: 'pppoe',
  params: idParams,
  response: statementSchema,
  handler: async ({ params, dependencies }, context) =>
    context.json(await subscriberStatement(tenantDatabaseOf(context, dependencies), params.id)),
});

statements.declare({
  method: 'post',
  path: '/:id/refunds',
  summary: "Pay back part or all of a subscriber's credit balance (Idempotency-Key header or idempotencyKey)",
  permission: 'billing.write',
  feature: 'pppoe',
  params: idParams,
  body: refundSchema,
  response: refundResponseSchema,
  responseStatus: 201,
  handler: async ({ params, body, dependencies }, context) => {
    const idempotencyKey = context.req.header('idempotency-key') ?? body.idempotencyKey;
    const { refund, isDuplicate } = await refundSubscriberCredit(dependencies, context, params.id, {
      ...body,
      idempotencyKey,
    });
    // A repeated key answers the refund made the first time, 200 instead of 201.
    return context.json(refund, isDuplicate ? 200 : 201);
  },
});

export const subscriberStatementRoutes = (dependencies: ApiDependencies) => statements.mount(dependencies);
