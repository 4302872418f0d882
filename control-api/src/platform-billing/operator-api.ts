// /api/v1/platform/billing: the platform's finance view — ISPs' balances, bank payments recorded and
// reconciled by reference, unmatched payments, and a billing run on demand.
import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import { z } from 'zod';
import { requirePlatformPrincipal } from '../identity/scope';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { routeGroup } from '../kernel/route';
import { PLATFORM_BILLING_PAGE_MAX } from './api';
import { accountView, billableTenants, findTenant, listPayments } from './index';
import { matchPaymentToTenant, recordBankPayment, runPlatformBillingNow } from './service';

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

const PERMISSION = 'platform_billing.manage' as const;
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

const operatorBilling = routeGroup({ basePath: '/api/v1/platform/billing', tag: 'platform-billing' });

operatorBilling.declare({
  method: 'get',
  path: '/tenants',
  summary: "ISPs' platform accounts: tier, state, balance owed and bank reference",
  permission: PERMISSION,
  response: z.object({ items: z.array(tenantAccountSchema) }),
  handler: async ({ dependencies }, context) => {
    const items = [];
    for (const tenant of await billableTenants(dependencies.databases.platform))
      items.push(await accountView(dependencies, tenant));
    return context.json({ items });
  },
});

operatorBilling.declare({
  method: 'get',
  path: '/tenants/:id',
  summary: "One ISP's platform account",
  permission: PERMISSION,
  params: z.object({ id: z.string() }),
  response: tenantAccountSchema,
  handler: async ({ params, dependencies }, context) => {
    const tenant = await findTenant(dependencies.databases.platform, params.id);
    if (!tenant) throw new KiungaError('tenant_not_found');
    return context.json(await accountView(dependencies, tenant));
  },
});

// Idempotent by the bank's transaction id: recording the same line twice answers the first record.
operatorBilling.declare({
  method: 'post',
  path: '/bank-payments',
  summary:
    "Record a bank transfer by the ISP's reference (idempotent by bankTransactionId); unknown references wait unmatched",
  permission: PERMISSION,
  body: bankPaymentSchema,
  response: platformPaymentSchema.extend({ isNew: z.boolean() }),
  responseStatus: 201,
  handler: async ({ body, dependencies }, context) => {
    const payment = await recordBankPayment(dependencies, context, body);
    return context.json(payment, payment.isNew ? 201 : 200);
  },
});

operatorBilling.declare({
  method: 'get',
  path: '/payments',
  summary: 'Payments to the platform, newest first (filter unmatched to reconcile)',
  permission: PERMISSION,
  query: paymentsQuerySchema,
  response: z.object({ items: z.array(platformPaymentSchema) }),
  handler: async ({ query, dependencies }, context) =>
    context.json({
      items: await listPayments(dependencies.databases.platform, { status: query.status }, query.limit),
    }),
});

operatorBilling.declare({
  method: 'post',
  path: '/payments/:id/match',
  summary: 'Match an unmatched payment to an ISP and credit it',
  permission: PERMISSION,
  params: z.object({ id: z.string() }),
  body: matchSchema,
  response: platformPaymentSchema,
  handler: async ({ params, body, dependencies }, context) =>
    context.json(await matchPaymentToTenant(dependencies, context, params.id, body.tenantId)),
});

operatorBilling.declare({
  method: 'post',
  path: '/run',
  summary: 'Run platform billing now (charges, tier review, states); safe to repeat',
  permission: PERMISSION,
  handler: async ({ dependencies }, context) =>
    context.json(await runPlatformBillingNow(dependencies, context)),
});

/** Platform accounts only (ISP accounts and API keys get 403 whatever they hold), then the permission. */
export function platformBillingOperatorRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requirePlatformPrincipal());
  routes.route('/', operatorBilling.mount(dependencies));
  return routes;
}
