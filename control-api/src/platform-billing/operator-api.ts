// /api/v1/platform/billing: the platform's finance view — ISPs' balances, bank payments recorded and
// reconciled by reference, unmatched payments, and a billing run on demand.
import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { requirePlatformPrincipal } from '../identity/scope';
import { recordAudit } from '../kernel/audit';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { requirePermission } from '../kernel/middleware/require-permission';
import { registerApiOperations } from '../kernel/openapi';
import { parseJsonBody, parseQuery } from '../kernel/validation';
import { PLATFORM_BILLING_PAGE_MAX } from './api';
import {
  acceptPayment,
  accountView,
  afterPaymentCredited,
  billableTenants,
  findAccountByReference,
  findPayment,
  findPaymentById,
  findTenant,
  listPayments,
  matchPayment,
  normaliseReference,
  runPlatformBilling,
} from './index';

const bankPaymentSchema = z.object({
  reference: z.string().trim().min(3).max(64),
  amountCents: z.number().int().positive().max(1_000_000_000),
  bankTransactionId: z.string().trim().min(1).max(100),
  /** When the bank says the money arrived; defaults to now. */
  receivedAt: z.number().int().positive().optional(),
});
const paymentsQuerySchema = z.object({
  status: z.enum(['matched', 'unmatched']).optional(),
  limit: z.coerce.number().int().min(1).max(PLATFORM_BILLING_PAGE_MAX).default(50),
});
const matchSchema = z.object({ tenantId: z.string().min(1) });

const PERMISSION = 'platform_billing.manage';
const platformPaymentSchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  provider: z.string(),
  providerTransactionId: z.string(),
  amountCents: z.number().int(),
  paidCurrency: z.string(),
  paidAmountMinor: z.number().int(),
  exchangeRateKesCents: z.number().int().nullable(),
  reference: z.string().nullable(),
  status: z.enum(['matched', 'unmatched']),
  receivedAt: z.number(),
});
const tenantAccountSchema = z.object({
  tenantId: z.string(),
  slug: z.string(),
  name: z.string(),
  tier: z.string(),
  state: z.enum(['trial', 'active', 'grace', 'restricted']),
  balanceCents: z.number().int(),
  bankReference: z.string(),
});

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/platform/billing/tenants',
    summary: "ISPs' platform accounts: tier, state, balance owed and bank reference",
    tag: 'platform-billing',
    permission: PERMISSION,
    response: z.object({ items: z.array(tenantAccountSchema) }),
  },
  {
    method: 'get',
    path: '/api/v1/platform/billing/tenants/{id}',
    summary: "One ISP's platform account",
    tag: 'platform-billing',
    permission: PERMISSION,
    response: tenantAccountSchema,
  },
  {
    method: 'post',
    path: '/api/v1/platform/billing/bank-payments',
    summary:
      "Record a bank transfer by the ISP's reference (idempotent by bankTransactionId); unknown references wait unmatched",
    tag: 'platform-billing',
    permission: PERMISSION,
    body: bankPaymentSchema,
    response: platformPaymentSchema.extend({ isNew: z.boolean() }),
    responseStatus: 201,
  },
  {
    method: 'get',
    path: '/api/v1/platform/billing/payments',
    summary: 'Payments to the platform, newest first (filter unmatched to reconcile)',
    tag: 'platform-billing',
    permission: PERMISSION,
    query: paymentsQuerySchema,
    response: z.object({ items: z.array(platformPaymentSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/platform/billing/payments/{id}/match',
    summary: 'Match an unmatched payment to an ISP and credit it',
    tag: 'platform-billing',
    permission: PERMISSION,
    body: matchSchema,
    response: platformPaymentSchema,
  },
  {
    method: 'post',
    path: '/api/v1/platform/billing/run',
    summary: 'Run platform billing now (charges, tier review, states); safe to repeat',
    tag: 'platform-billing',
    permission: PERMISSION,
  },
]);

export function platformBillingOperatorRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requirePlatformPrincipal(), requirePermission('platform_billing.manage'));
  const platform = dependencies.databases.platform;

  routes.get('/tenants', async (context) => {
    const items = [];
    for (const tenant of await billableTenants(platform)) items.push(await accountView(dependencies, tenant));
    return context.json({ items });
  });

  routes.get('/tenants/:id', async (context) => {
    const tenant = await findTenant(platform, context.req.param('id'));
    if (!tenant) throw new KiungaError('tenant_not_found');
    return context.json(await accountView(dependencies, tenant));
  });

  // Idempotent by the bank's transaction id: recording the same line twice answers the first record.
  routes.post('/bank-payments', async (context) => {
    const body = await parseJsonBody(context, bankPaymentSchema);
    const existing = await findPayment(platform, 'bank', body.bankTransactionId);
    if (existing) {
      if (existing.amountCents !== body.amountCents)
        throw new KiungaError('conflict', 'This bank transaction was recorded with a different amount.');
      return context.json({ ...existing, isNew: false }, 200);
    }
    const account = await findAccountByReference(platform, body.reference);
    const { payment, isNew } = await acceptPayment(dependencies, {
      tenantId: account?.tenantId ?? null,
      provider: 'bank',
      providerTransactionId: body.bankTransactionId,
      amountCents: body.amountCents,
      paidCurrency: 'KES',
      paidAmountMinor: body.amountCents,
      exchangeRateKesCents: null,
      reference: normaliseReference(body.reference),
      receivedAtMs: body.receivedAt ?? dependencies.clock.now(),
      recordedBy: context.get('principal').id,
    });
    await recordAudit(dependencies, context, {
      action: 'platform_billing.bank_payment',
      target: payment.id,
      detail: body,
    });
    return context.json({ ...payment, isNew }, isNew ? 201 : 200);
  });

  routes.get('/payments', async (context) => {
    const query = parseQuery(context, paymentsQuerySchema);
    return context.json({ items: await listPayments(platform, { status: query.status }, query.limit) });
  });

  routes.post('/payments/:id/match', async (context) => {
    const body = await parseJsonBody(context, matchSchema);
    if (!(await findTenant(platform, body.tenantId))) throw new KiungaError('tenant_not_found');
    const paymentId = context.req.param('id');
    if (!(await matchPayment(platform, paymentId, body.tenantId, dependencies.clock.now())))
      throw new KiungaError('conflict', 'No unmatched payment with this id.');
    const payment = await findPaymentById(platform, paymentId);
    if (!payment) throw new KiungaError('not_found', 'No such payment.');
    await afterPaymentCredited(dependencies, payment);
    await recordAudit(dependencies, context, {
      action: 'platform_billing.match_payment',
      target: paymentId,
      detail: body,
    });
    return context.json(payment);
  });

  routes.post('/run', async (context) => {
    const result = await runPlatformBilling(dependencies);
    await recordAudit(dependencies, context, { action: 'platform_billing.run', detail: result });
    return context.json(result);
  });
  return routes;
}
