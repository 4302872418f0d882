// /api/v1/platform-billing: the ISP owner's view of what it owes Kiunga and the ways to pay it, and
// /callbacks/mm/platform/<token>/stk where Daraja reports the platform's STK results.
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { STK_CALLBACK_ACCEPTED } from '../integrations/mpesa/index';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { routeGroup } from '../kernel/route';
import { isPlatformCallbackTokenValid } from '../mpesa/callback-addresses';
import {
  type CallbackEnv,
  callbackErrorHandler,
  readCallbackBody,
  tooLargeAnswer,
} from '../mpesa/callback-api';
import {
  applyPlatformStkCallback,
  capturePlatformPayPalOrder,
  findIntent,
  findPaymentById,
  intentView,
  ispStatusView,
  listCharges,
  listNotices,
  listPayments,
  setCallbackOutcome,
  storeCallback,
} from './index';
import {
  chooseTierAsOwner,
  ownerTenant,
  PAYMENT_MINIMUM_CENTS,
  startOwnerMpesaPayment,
  startOwnerPayPalOrder,
} from './service';

/** Lists are short (a charge or two a month); one page of this many is years of history. */
export const PLATFORM_BILLING_PAGE_MAX = 200;

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(PLATFORM_BILLING_PAGE_MAX).default(50),
});
const amountSchema = z.number().int().min(PAYMENT_MINIMUM_CENTS).max(25_000_000).optional();
const mpesaBodySchema = z.object({
  phone: z.string().trim().min(9).max(20).optional(),
  amountCents: amountSchema,
});
const paypalBodySchema = z.object({ amountCents: amountSchema });
const tierBodySchema = z.object({
  tier: z.enum(['tier1', 'tier2']),
  featureChoice: z.enum(['hotspot', 'pppoe']).optional(),
});

const noticeSchema = z.object({
  id: z.string(),
  kind: z.string(),
  message: z.string(),
  createdAt: z.number(),
  readAt: z.number().nullable(),
});
const intentSchema = z.object({
  id: z.string(),
  provider: z.string(),
  status: z.string(),
  amountCents: z.number().int(),
  paidCurrency: z.string(),
  paidAmountMinor: z.number().int(),
  exchangeRateKesCents: z.number().int().nullable(),
  providerReference: z.string().nullable(),
  failureMessage: z.string().nullable(),
  paymentId: z.string().nullable(),
  createdAt: z.number(),
});
const accountStatusSchema = z.object({
  tenantId: z.string(),
  tier: z.string(),
  featureChoice: z.string().nullable(),
  optedTier2: z.boolean(),
  state: z.enum(['trial', 'active', 'grace', 'restricted']),
  consoleAccess: z.enum(['full', 'read_only']),
  trialEndsAt: z.number().nullable(),
  balanceCents: z.number().int(),
  graceEndsAt: z.number().nullable(),
  nextChangeAt: z.number().nullable(),
  bankReference: z.string(),
  notices: z.array(noticeSchema),
});
const platformBilling = routeGroup({ basePath: '/api/v1/platform-billing', tag: 'platform-billing' });

/**
 * Any signed-in account of the ISP may call, but only its owner is served (ownerTenant: 403 for
 * anyone else, before the query or body is read); the summaries say so.
 */
const OWNER_ONLY = {
  permission: 'signed-in',
  checkTarget: ({ dependencies }: { dependencies: ApiDependencies }, context: Context<AppEnv>) =>
    ownerTenant(context, dependencies),
} as const;

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'get',
  path: '/',
  summary:
    "The ISP's Kiunga subscription: tier, state (trial, grace, restricted, active), balance, bank reference, notices (ISP owner only)",
  response: accountStatusSchema,
  handler: async ({ dependencies }, context) =>
    context.json(await ispStatusView(dependencies, await ownerTenant(context, dependencies))),
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'get',
  path: '/charges',
  summary: 'Charges from Kiunga (registration, monthly tier fees), newest first (ISP owner only)',
  query: listQuerySchema,
  handler: async ({ query, dependencies }, context) => {
    const tenant = await ownerTenant(context, dependencies);
    return context.json({
      items: await listCharges(dependencies.databases.platform, tenant.id, query.limit),
    });
  },
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'get',
  path: '/payments',
  summary: 'Payments made to Kiunga, newest first (ISP owner only)',
  query: listQuerySchema,
  handler: async ({ query, dependencies }, context) => {
    const tenant = await ownerTenant(context, dependencies);
    return context.json({
      items: await listPayments(dependencies.databases.platform, { tenantId: tenant.id }, query.limit),
    });
  },
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'get',
  path: '/notices',
  summary: 'Notices from Kiunga (tier changes, trial end, grace, restriction), newest first (ISP owner only)',
  query: listQuerySchema,
  response: z.object({ items: z.array(noticeSchema) }),
  handler: async ({ query, dependencies }, context) => {
    const tenant = await ownerTenant(context, dependencies);
    return context.json({
      items: await listNotices(dependencies.databases.platform, tenant.id, query.limit),
    });
  },
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'post',
  path: '/tier',
  summary: 'Opt into Tier 2, or back to following revenue (Tier 1 needs featureChoice) (ISP owner only)',
  body: tierBodySchema,
  response: accountStatusSchema,
  handler: async ({ body, dependencies }, context) =>
    context.json(await chooseTierAsOwner(dependencies, context, body)),
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'post',
  path: '/mpesa',
  summary: 'Pay Kiunga by M-Pesa STK push (default: the contact phone and everything owed) (ISP owner only)',
  body: mpesaBodySchema,
  response: intentSchema,
  responseStatus: 202,
  handler: async ({ body, dependencies }, context) =>
    context.json(await startOwnerMpesaPayment(dependencies, context, body), 202),
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'get',
  path: '/payments/:id',
  summary: 'One payment made to Kiunga, for its receipt (ISP owner only)',
  params: z.object({ id: z.string().max(64) }),
  handler: async ({ params, dependencies }, context) => {
    const tenant = await ownerTenant(context, dependencies);
    const payment = await findPaymentById(dependencies.databases.platform, params.id);
    if (!payment || payment.tenantId !== tenant.id) throw new KiungaError('not_found', 'No such payment.');
    return context.json({ ...payment, ispName: tenant.name });
  },
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'get',
  path: '/intents/:id',
  summary: 'Follow a payment started by M-Pesa or PayPal (ISP owner only)',
  params: z.object({ id: z.string() }),
  response: intentSchema,
  handler: async ({ params, dependencies }, context) => {
    const tenant = await ownerTenant(context, dependencies);
    const intent = await findIntent(dependencies, params.id);
    if (intent?.tenantId !== tenant.id) throw new KiungaError('not_found', 'No such payment.');
    return context.json(intentView(intent));
  },
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'post',
  path: '/paypal/orders',
  summary: 'Pay Kiunga by PayPal: creates an order and answers the approval URL (ISP owner only)',
  body: paypalBodySchema,
  response: intentSchema.extend({ orderId: z.string(), approveUrl: z.string() }),
  responseStatus: 201,
  handler: async ({ body, dependencies }, context) =>
    context.json(await startOwnerPayPalOrder(dependencies, context, body), 201),
});

platformBilling.declare({
  ...OWNER_ONLY,
  method: 'post',
  path: '/paypal/orders/:orderId/capture',
  summary: 'Capture an approved PayPal order (ISP owner only)',
  params: z.object({ orderId: z.string() }),
  response: intentSchema,
  handler: async ({ params, dependencies }, context) => {
    const tenant = await ownerTenant(context, dependencies);
    return context.json(
      intentView(await capturePlatformPayPalOrder(dependencies, tenant.id, params.orderId)),
    );
  },
});

// PayPal sends the buyer's browser back here (?token=<order id>): capture, then back to the console.
platformBilling.declare({
  ...OWNER_ONLY,
  method: 'get',
  path: '/paypal/return',
  summary:
    "PayPal's return URL (?token=<order id>): captures, then back to the console (JSON when asked) (ISP owner only)",
  // Without a token the capture finds no order (404), as it always has: not a validation error.
  query: z.object({ token: z.string().default('') }),
  response: intentSchema,
  handler: async ({ query, dependencies }, context) => {
    const tenant = await ownerTenant(context, dependencies);
    const intent = await capturePlatformPayPalOrder(dependencies, tenant.id, query.token);
    if ((context.req.header('accept') ?? '').includes('application/json'))
      return context.json(intentView(intent));
    // Back to the Platform account page, open to an owner whose sign-up is not confirmed yet as well.
    return context.redirect('/isp/platform-account?paid=paypal', 303);
  },
});

platformBilling.declare({
  method: 'get',
  path: '/paypal/cancel',
  summary: "PayPal's cancel URL: back to the console",
  permission: 'signed-in',
  responseStatus: 303,
  handler: (_input, context) => context.redirect('/isp', 303),
});

export const platformBillingRoutes = (dependencies: ApiDependencies) => platformBilling.mount(dependencies);

/** Daraja posts the platform's STK results here; the answer is Accepted once stored, duplicates included. */
export function platformBillingCallbackRoutes(dependencies: ApiDependencies): Hono<CallbackEnv> {
  const routes = new Hono<CallbackEnv>();
  routes.onError(callbackErrorHandler(dependencies.logger, 'platform M-Pesa callback'));
  routes.post('/:token/stk', async (context) => {
    if (!isPlatformCallbackTokenValid(dependencies, context.req.param('token')))
      throw new KiungaError('not_found');
    const body = await readCallbackBody(context);
    if (body.kind === 'too_large') {
      const id = await storeCallback(dependencies, 'mpesa', 'stk', body.prefix);
      await setCallbackOutcome(dependencies, id, 'too_large');
      dependencies.logger.warn('platform M-Pesa callback body over the limit');
      return tooLargeAnswer(context);
    }
    const outcome = await applyPlatformStkCallback(dependencies, body.text);
    dependencies.logger.info({ outcome }, 'platform mpesa stk callback');
    return context.json(STK_CALLBACK_ACCEPTED);
  });
  return routes;
}
