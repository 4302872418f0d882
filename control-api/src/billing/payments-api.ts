// /api/v1/payments: list payments, record a cash or bank payment (idempotency key), assign an
// unmatched C2B payment to a subscriber. Money that lands settles the account at once.
import { z } from 'zod';
import type { ApiDependencies } from '../kernel/dependencies';
import { pageQuerySchema } from '../kernel/pagination';
import { routeGroup } from '../kernel/route';
import { tenantDatabaseOf } from '../kernel/tenant-access';
import { listPayments } from './queries';
import { assignUnmatchedPayment, IDEMPOTENCY_KEY_LENGTH_MAX, recordCounterPayment } from './service';

/** Ksh 10 million in one counter payment is a typing mistake, not a payment. */
const MANUAL_PAYMENT_CENTS_MAX = 1_000_000_000;

const listQuerySchema = pageQuerySchema.extend({
  status: z.enum(['matched', 'unmatched']).optional(),
  subscriberId: z.string().max(64).optional(),
});
const recordPaymentSchema = z.object({
  subscriberId: z.string().min(1).max(64),
  amountCents: z.number().int().min(1).max(MANUAL_PAYMENT_CENTS_MAX),
  method: z.enum(['cash', 'bank', 'mpesa']),
  reference: z.string().trim().min(1).max(100).optional(),
  /** Or the Idempotency-Key header. */
  idempotencyKey: z.string().min(8).max(IDEMPOTENCY_KEY_LENGTH_MAX).optional(),
});
const assignSchema = z.object({ subscriberId: z.string().min(1).max(64) });
const paymentSchema = z.object({
  id: z.string(),
  provider: z.string(),
  providerTransactionId: z.string(),
  amountCents: z.number().int(),
  phone: z.string().nullable(),
  accountReference: z.string().nullable(),
  matchedKind: z.string().nullable(),
  matchedId: z.string().nullable(),
  status: z.enum(['matched', 'unmatched']),
  receivedAt: z.number(),
});
export const settlementSchema = z.object({
  reactivated: z.boolean(),
  disconnected: z.object({ sessions: z.number().int(), acknowledged: z.number().int() }),
});

const payments = routeGroup({ basePath: '/api/v1/payments', tag: 'billing' });

payments.declare({
  method: 'get',
  path: '/',
  summary: 'List payments, newest first (unmatched ones wait to be assigned)',
  permission: 'billing.read',
  // Open to every tier: a hotspot-only ISP's portal sales are payments too (issue 12). Recording and
  // assigning settle subscriber accounts, which only PPPoE/static plans have.
  query: listQuerySchema,
  response: z.object({ items: z.array(paymentSchema), nextCursor: z.string().nullable() }),
  handler: async ({ query, dependencies }, context) =>
    context.json(await listPayments(tenantDatabaseOf(context, dependencies), query)),
});

payments.declare({
  method: 'post',
  path: '/',
  summary:
    'Record a cash or bank payment (Idempotency-Key header or idempotencyKey); reactivates when it covers what is overdue',
  permission: 'billing.write',
  feature: 'pppoe',
  body: recordPaymentSchema,
  response: paymentSchema.extend({ settlement: settlementSchema }),
  responseStatus: 201,
  handler: async ({ body, dependencies }, context) => {
    const idempotencyKey = context.req.header('idempotency-key') ?? body.idempotencyKey;
    const { payment, isDuplicate } = await recordCounterPayment(dependencies, context, {
      ...body,
      idempotencyKey,
    });
    // A repeated key answers the payment recorded the first time, 200 instead of 201.
    return context.json(payment, isDuplicate ? 200 : 201);
  },
});

payments.declare({
  method: 'post',
  path: '/:id/assign',
  summary: 'Assign an unmatched C2B payment to a subscriber',
  permission: 'billing.write',
  feature: 'pppoe',
  params: z.object({ id: z.string() }),
  body: assignSchema,
  response: paymentSchema.extend({ settlement: settlementSchema }),
  handler: async ({ params, body, dependencies }, context) =>
    context.json(await assignUnmatchedPayment(dependencies, context, params.id, body.subscriberId)),
});

export const paymentRoutes = (dependencies: ApiDependencies) => payments.mount(dependencies);
