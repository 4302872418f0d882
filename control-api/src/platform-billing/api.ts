// /api/v1/platform-billing: the ISP owner's view of what it owes Kiunga and the ways to pay it, and
// /callbacks/mm/platform/<token>/stk where Daraja reports the platform's STK results.
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { STK_CALLBACK_ACCEPTED } from '../integrations/mpesa/index';
import { recordAudit } from '../kernel/audit';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { registerApiOperations } from '../kernel/openapi';
import { tenantIdOf } from '../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../kernel/validation';
import { isPlatformCallbackTokenValid } from '../mpesa/callback-addresses';
import {
  type CallbackEnv,
  callbackErrorHandler,
  readCallbackBody,
  tooLargeAnswer,
} from '../mpesa/callback-api';
import {
  applyPlatformStkCallback,
  balanceCents,
  capturePlatformPayPalOrder,
  chooseTier,
  createPlatformPayPalOrder,
  ensureAccount,
  findIntent,
  findTenant,
  intentView,
  ispStatusView,
  listCharges,
  listNotices,
  listPayments,
  setCallbackOutcome,
  startPlatformStkPush,
  storeCallback,
  type TenantBillingRow,
} from './index';

/** Lists are short (a charge or two a month); one page of this many is years of history. */
export const PLATFORM_BILLING_PAGE_MAX = 200;
/** Smallest payment accepted: one shilling (Daraja's minimum). */
const PAYMENT_MINIMUM_CENTS = 100;

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
const OWNER_ONLY = 'ISP owner only';

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/platform-billing',
    summary:
      "The ISP's Kiunga subscription: tier, state (trial, grace, restricted, active), balance, bank reference, notices",
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    response: accountStatusSchema,
  },
  {
    method: 'get',
    path: '/api/v1/platform-billing/charges',
    summary: 'Charges from Kiunga (registration, monthly tier fees), newest first',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    query: listQuerySchema,
  },
  {
    method: 'get',
    path: '/api/v1/platform-billing/payments',
    summary: 'Payments made to Kiunga, newest first',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    query: listQuerySchema,
  },
  {
    method: 'get',
    path: '/api/v1/platform-billing/notices',
    summary: 'Notices from Kiunga (tier changes, trial end, grace, restriction), newest first',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    query: listQuerySchema,
    response: z.object({ items: z.array(noticeSchema) }),
  },
  {
    method: 'post',
    path: '/api/v1/platform-billing/tier',
    summary: 'Opt into Tier 2, or back to following revenue (Tier 1 needs featureChoice)',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    body: tierBodySchema,
    response: accountStatusSchema,
  },
  {
    method: 'post',
    path: '/api/v1/platform-billing/mpesa',
    summary: 'Pay Kiunga by M-Pesa STK push (default: the contact phone and everything owed)',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    body: mpesaBodySchema,
    response: intentSchema,
    responseStatus: 202,
  },
  {
    method: 'get',
    path: '/api/v1/platform-billing/intents/{id}',
    summary: 'Follow a payment started by M-Pesa or PayPal',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    response: intentSchema,
  },
  {
    method: 'post',
    path: '/api/v1/platform-billing/paypal/orders',
    summary: 'Pay Kiunga by PayPal: creates an order and answers the approval URL',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    body: paypalBodySchema,
    response: intentSchema.extend({ orderId: z.string(), approveUrl: z.string() }),
    responseStatus: 201,
  },
  {
    method: 'post',
    path: '/api/v1/platform-billing/paypal/orders/{orderId}/capture',
    summary: 'Capture an approved PayPal order',
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    response: intentSchema,
  },
  {
    method: 'get',
    path: '/api/v1/platform-billing/paypal/return',
    summary: "PayPal's return URL (?token=<order id>): captures, then back to the console (JSON when asked)",
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    query: z.object({ token: z.string() }),
    response: intentSchema,
  },
  {
    method: 'get',
    path: '/api/v1/platform-billing/paypal/cancel',
    summary: "PayPal's cancel URL: back to the console",
    tag: 'platform-billing',
    permission: OWNER_ONLY,
    responseStatus: 303,
  },
]);

async function ownerTenant(
  context: Context<AppEnv>,
  dependencies: ApiDependencies,
): Promise<TenantBillingRow> {
  const principal = context.get('principal');
  const tenantId = tenantIdOf(context);
  if (principal.kind !== 'isp_owner')
    throw new KiungaError('forbidden', 'Only the ISP owner manages the Kiunga subscription.');
  const tenant = await findTenant(dependencies.databases.platform, tenantId);
  if (!tenant) throw new KiungaError('tenant_not_found');
  return tenant;
}

/** The amount to pay: as asked, or everything owed. */
async function amountToPay(
  dependencies: ApiDependencies,
  tenantId: string,
  requested: number | undefined,
): Promise<number> {
  if (requested !== undefined) return requested;
  const owed = await balanceCents(dependencies.databases.platform, tenantId);
  if (owed < PAYMENT_MINIMUM_CENTS)
    throw new KiungaError('conflict', 'Nothing is owed right now; give amountCents to pay ahead.');
  return owed;
}

export function platformBillingRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const platform = dependencies.databases.platform;

  routes.get('/', async (context) =>
    context.json(await ispStatusView(dependencies, await ownerTenant(context, dependencies))),
  );

  routes.get('/charges', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const { limit } = parseQuery(context, listQuerySchema);
    return context.json({ items: await listCharges(platform, tenant.id, limit) });
  });

  routes.get('/payments', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const { limit } = parseQuery(context, listQuerySchema);
    return context.json({ items: await listPayments(platform, { tenantId: tenant.id }, limit) });
  });

  routes.get('/notices', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const { limit } = parseQuery(context, listQuerySchema);
    return context.json({ items: await listNotices(platform, tenant.id, limit) });
  });

  routes.post('/tier', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const body = await parseJsonBody(context, tierBodySchema);
    await chooseTier(platform, tenant, body, dependencies.clock.now());
    await recordAudit(dependencies, context, {
      action: 'platform_billing.tier_choice',
      target: tenant.id,
      detail: body,
    });
    return context.json(await ispStatusView(dependencies, (await findTenant(platform, tenant.id)) ?? tenant));
  });

  routes.post('/mpesa', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const body = await parseJsonBody(context, mpesaBodySchema);
    const phone = body.phone ?? tenant.contactPhone ?? '';
    if (phone === '') throw new KiungaError('validation_failed', 'Give the phone number to pay from.');
    const account = await ensureAccount(platform, tenant, dependencies.clock.now());
    const amountCents = await amountToPay(dependencies, tenant.id, body.amountCents);
    const intent = await startPlatformStkPush(dependencies, tenant, account, { phone, amountCents });
    await recordAudit(dependencies, context, {
      action: 'platform_billing.mpesa_start',
      target: intent.id,
      detail: { amountCents: intent.amountCents },
    });
    return context.json(intentView(intent), 202);
  });

  routes.get('/intents/:id', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const intent = await findIntent(dependencies, context.req.param('id'));
    if (intent?.tenantId !== tenant.id) throw new KiungaError('not_found', 'No such payment.');
    return context.json(intentView(intent));
  });

  routes.post('/paypal/orders', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const body = await parseJsonBody(context, paypalBodySchema);
    const account = await ensureAccount(platform, tenant, dependencies.clock.now());
    const amountCents = await amountToPay(dependencies, tenant.id, body.amountCents);
    const { intent, approveUrl } = await createPlatformPayPalOrder(
      dependencies,
      tenant,
      account,
      amountCents,
    );
    await recordAudit(dependencies, context, {
      action: 'platform_billing.paypal_order',
      target: intent.providerReference,
    });
    return context.json({ ...intentView(intent), orderId: intent.providerReference, approveUrl }, 201);
  });

  routes.post('/paypal/orders/:orderId/capture', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const intent = await capturePlatformPayPalOrder(dependencies, tenant.id, context.req.param('orderId'));
    return context.json(intentView(intent));
  });

  // PayPal sends the buyer's browser back here (?token=<order id>): capture, then back to the console.
  routes.get('/paypal/return', async (context) => {
    const tenant = await ownerTenant(context, dependencies);
    const orderId = context.req.query('token') ?? '';
    const intent = await capturePlatformPayPalOrder(dependencies, tenant.id, orderId);
    if ((context.req.header('accept') ?? '').includes('application/json'))
      return context.json(intentView(intent));
    return context.redirect('/isp?paid=paypal', 303);
  });

  routes.get('/paypal/cancel', (context) => context.redirect('/isp', 303));
  return routes;
}

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
