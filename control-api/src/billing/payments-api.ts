// /api/v1/payments: list payments, record a cash or bank payment (idempotency key), assign an
// unmatched C2B payment to a subscriber. Money that lands settles the account at once.
import { cents, KiungaError } from '@kiunga/schemas';
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
import { settleSubscriberPayment } from './automation';
import { assignPayment, recordManualPayment } from './payments-store';
import { listPayments } from './queries';

/** Ksh 10 million in one counter payment is a typing mistake, not a payment. */
const MANUAL_PAYMENT_CENTS_MAX = 1_000_000_000;
const IDEMPOTENCY_KEY_LENGTH_MAX = 100;

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

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/payments',
    summary: 'List payments, newest first (unmatched ones wait to be assigned)',
    tag: 'billing',
    permission: 'billing.read',
    query: listQuerySchema,
    response: z.object({ items: z.array(paymentSchema), nextCursor: z.string().nullable() }),
  },
  {
    method: 'post',
    path: '/api/v1/payments',
    summary:
      'Record a cash or bank payment (Idempotency-Key header or idempotencyKey); reactivates when it covers what is overdue',
    tag: 'billing',
    permission: 'billing.write',
    body: recordPaymentSchema,
    response: paymentSchema.extend({ settlement: settlementSchema }),
    responseStatus: 201,
  },
  {
    method: 'post',
    path: '/api/v1/payments/{id}/assign',
    summary: 'Assign an unmatched C2B payment to a subscriber',
    tag: 'billing',
    permission: 'billing.write',
    body: assignSchema,
    response: paymentSchema.extend({ settlement: settlementSchema }),
  },
]);

export function paymentRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  // Listing is open to every tier: a hotspot-only ISP's portal sales are payments too (issue 12).
  // Recording and assigning settle subscriber accounts, which only PPPoE/static plans have.
  routes.use('/', async (context, next) =>
    context.req.method === 'GET' ? next() : requireFeature(dependencies, 'pppoe')(context, next),
  );
  routes.use('/:id/*', requireFeature(dependencies, 'pppoe'));

  routes.get('/', requirePermission('billing.read'), async (context) => {
    const query = parseQuery(context, listQuerySchema);
    return context.json(await listPayments(tenantDatabaseOf(context, dependencies), query));
  });

  routes.post('/', requirePermission('billing.write'), async (context) => {
    const input = await parseJsonBody(context, recordPaymentSchema);
    const idempotencyKey = context.req.header('idempotency-key') ?? input.idempotencyKey;
    if (!idempotencyKey || idempotencyKey.length > IDEMPOTENCY_KEY_LENGTH_MAX) {
      throw new KiungaError(
        'validation_failed',
        'A payment needs an Idempotency-Key header (or idempotencyKey) of at most 100 characters.',
      );
    }
    const database = tenantDatabaseOf(context, dependencies);
    const { payment, isDuplicate } = await recordManualPayment(
      database,
      {
        subscriberId: input.subscriberId,
        amountCents: cents(input.amountCents),
        method: input.method,
        reference: input.reference ?? null,
        idempotencyKey,
      },
      dependencies.clock.now(),
    );
    const settlement = await settleSubscriberPayment(dependencies, tenantIdOf(context), input.subscriberId);
    if (!isDuplicate) {
      await recordAudit(dependencies, context, {
        action: 'payment.record',
        target: payment.id,
        detail: { subscriberId: input.subscriberId, amountCents: input.amountCents, method: input.method },
      });
    }
    return context.json({ ...payment, settlement }, isDuplicate ? 200 : 201);
  });

  routes.post('/:id/assign', requirePermission('billing.write'), async (context) => {
    const { subscriberId } = await parseJsonBody(context, assignSchema);
    const database = tenantDatabaseOf(context, dependencies);
    const { payment, isDuplicate } = await assignPayment(
      database,
      context.req.param('id'),
      subscriberId,
      dependencies.clock.now(),
    );
    const settlement = await settleSubscriberPayment(dependencies, tenantIdOf(context), subscriberId);
    if (!isDuplicate) {
      await recordAudit(dependencies, context, {
        action: 'payment.assign',
        target: payment.id,
        detail: { subscriberId },
      });
    }
    return context.json({ ...payment, settlement });
  });
  return routes;
}
