// /portal/<slug>: the captive portal (pages and the purchase API its page script uses) and the
// M-Pesa callback endpoints. Public routes: the tenant comes from the slug or the signed callback URL.
import { KiungaError, normaliseKenyanPhone, type TenantShard } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { ApiDependencies } from '../dependencies';
import { ispBranding } from '../domains/branding';
import { hotspotDnsNamesOf } from '../domains/nas';
import { RateLimiter } from '../identity/rate-limiter';
import {
  C2B_CONFIRMATION_ACCEPTED,
  C2B_VALIDATION_ACCEPTED,
  C2bRejectionCode,
  c2bValidationRejected,
  parseC2bRequest,
  readC2bRequest,
  STK_CALLBACK_ACCEPTED,
} from '../integrations/mpesa/index';
import { matchC2bReference, recordC2bPayment } from '../money/c2b';
import { getPurchase, paidPurchasesOfPhone, setCallbackOutcome, storeCallback } from '../money/purchases';
import { publicTenantBySlug } from '../tenant-access';
import { parseJsonBody, parseWith } from '../validation';
import { isCallbackTokenValid } from './mpesa-settings';
import { MessagePage, PortalHome, type PortalPlan, RouterLogin } from './page';
import { applyStkCallback, purchaseView, startPurchase } from './purchase-service';
import { readRouterContext } from './router-login';
import { describeVoucher } from './voucher-status';

/** Daraja callbacks are a few KB; anything larger is not one. */
const CALLBACK_BODY_BYTES_MAX = 64 * 1024;
/** Voucher recovery shows codes: bound how often one address may ask. */
const recoveryLimiter = new RateLimiter({ name: 'portal_recovery', attemptsMax: 5, windowMs: 15 * 60_000 });
/** STK pushes ring a phone: bound how often one number can be asked. */
const purchaseLimiter = new RateLimiter({ name: 'portal_purchase', attemptsMax: 5, windowMs: 10 * 60_000 });
const RECOVERY_WINDOW_MS = 7 * 86_400_000;
const RECOVERY_RESULTS_MAX = 5;

function validityText(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? '24 hours' : `${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return seconds === 3_600 ? '1 hour' : `${seconds / 3_600} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}

function hotspotPlans(shard: TenantShard): PortalPlan[] {
  const rows = shard
    .statement(
      `SELECT id, name, price_cents AS priceCents, validity_seconds AS validitySeconds, device_limit AS deviceLimit
         FROM plans WHERE kind = 'hotspot' AND is_active = 1 AND validity_seconds IS NOT NULL ORDER BY price_cents`,
    )
    .all() as Array<{
    id: string;
    name: string;
    priceCents: number;
    validitySeconds: number;
    deviceLimit: number;
  }>;
  return rows
    .filter((row) => row.priceCents % 100 === 0)
    .map((row) => ({
      id: row.id,
      name: row.name,
      priceShillings: row.priceCents / 100,
      validityText: validityText(row.validitySeconds),
      deviceLimit: row.deviceLimit,
    }));
}

const purchaseSchema = z.object({
  planId: z.string().min(1).max(64),
  phone: z.string().min(9).max(20),
  mac: z.string().max(64).optional(),
});

function clientAddress(context: Context): string {
  const incoming = (context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

function limitPurchases(dependencies: ApiDependencies, phone: string): void {
  const nowMs = dependencies.clock.now();
  if (purchaseLimiter.check(phone, nowMs).isLimited) {
    throw new KiungaError('rate_limited', 'Too many payment requests for this number. Wait a few minutes.');
  }
  purchaseLimiter.record(phone, nowMs);
}

export function portalRoutes(dependencies: ApiDependencies): Hono {
  const routes = new Hono();
  const tenantAndShard = (slug: string) => {
    const tenant = publicTenantBySlug(dependencies.platform, slug);
    return { tenant, shard: dependencies.shards.forTenant(tenant.id) };
  };
  // The login address is checked against this ISP's own routers on every page that may post to it.
  const routerContext = (tenantId: string, values: Record<string, unknown>) =>
    readRouterContext(values, hotspotDnsNamesOf(dependencies.platform, tenantId));

  routes.get('/:slug', (context) => {
    const { tenant, shard } = tenantAndShard(context.req.param('slug'));
    return context.html(
      <PortalHome
        slug={tenant.slug}
        branding={ispBranding(shard, tenant.name)}
        plans={hotspotPlans(shard)}
        router={routerContext(tenant.id, context.req.query())}
      />,
    );
  });

  routes.post('/:slug/api/purchases', async (context) => {
    const { tenant, shard } = tenantAndShard(context.req.param('slug'));
    const input = await parseJsonBody(context, purchaseSchema);
    limitPurchases(dependencies, input.phone.replace(/\D/g, ''));
    return context.json(await startPurchase(dependencies, tenant, shard, input), 202);
  });

  routes.get('/:slug/api/purchases/:id', (context) => {
    const { shard } = tenantAndShard(context.req.param('slug'));
    return context.json(purchaseView(shard, getPurchase(shard, context.req.param('id'))));
  });

  // The same purchase without JavaScript: a form post, then a page that refreshes itself.
  routes.post('/:slug/buy', async (context) => {
    const { tenant, shard } = tenantAndShard(context.req.param('slug'));
    const form = await context.req.parseBody();
    const router = routerContext(tenant.id, form);
    const branding = ispBranding(shard, tenant.name);
    try {
      const input = parseWith(purchaseSchema, {
        planId: form['planId'],
        phone: form['phone'],
        mac: router.mac ?? undefined,
      });
      limitPurchases(dependencies, input.phone.replace(/\D/g, ''));
      const view = await startPurchase(dependencies, tenant, shard, input);
      const query = new URLSearchParams(
        Object.entries(form).filter(([, v]) => typeof v === 'string') as [string, string][],
      );
      return context.redirect(`/portal/${tenant.slug}/purchases/${view.id}?${query.toString()}`, 303);
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      return context.html(
        <PortalHome
          slug={tenant.slug}
          branding={branding}
          plans={hotspotPlans(shard)}
          router={router}
          error={error.message}
        />,
        error.httpStatus as 400,
      );
    }
  });

  routes.get('/:slug/purchases/:id', (context) => {
    const { tenant, shard } = tenantAndShard(context.req.param('slug'));
    const view = purchaseView(shard, getPurchase(shard, context.req.param('id')));
    const router = routerContext(tenant.id, context.req.query());
    const branding = ispBranding(shard, tenant.name);
    if (view.status === 'pending') {
      return context.html(
        <MessagePage
          branding={branding}
          slug={tenant.slug}
          title="Waiting for M-Pesa"
          kind="note"
          refreshSeconds={3}
          message="Check your phone and enter your M-Pesa PIN. This page updates by itself."
        />,
      );
    }
    if (view.status === 'failed') {
      return context.html(
        <MessagePage
          branding={branding}
          slug={tenant.slug}
          title="Payment not completed"
          kind="error"
          message={view.error?.message ?? ''}
        />,
      );
    }
    return context.html(
      <MessagePage
        branding={branding}
        slug={tenant.slug}
        title="Paid"
        kind="ok"
        message={`Your voucher code is ${view.voucherCode}. Keep it: you can log in again with it until it expires.`}
      >
        <RouterLogin router={router} code={view.voucherCode ?? ''} />
      </MessagePage>,
    );
  });

  routes.post('/:slug/voucher', async (context) => {
    const { tenant, shard } = tenantAndShard(context.req.param('slug'));
    const form = await context.req.parseBody();
    const router = routerContext(tenant.id, form);
    const code = String(form['code'] ?? '')
      .trim()
      .toUpperCase()
      .slice(0, 40);
    const branding = ispBranding(shard, tenant.name);
    const status = describeVoucher(dependencies, tenant.id, shard, code);
    if (!status.canConnect) {
      return context.html(
        <MessagePage
          branding={branding}
          slug={tenant.slug}
          title="Voucher"
          kind="error"
          message={status.message}
        />,
        200,
      );
    }
    return context.html(
      <MessagePage branding={branding} slug={tenant.slug} title="Voucher" kind="ok" message={status.message}>
        <RouterLogin router={router} code={code} />
      </MessagePage>,
    );
  });

  routes.post('/:slug/recover', async (context) => {
    const { tenant, shard } = tenantAndShard(context.req.param('slug'));
    const form = await context.req.parseBody();
    const nowMs = dependencies.clock.now();
    const page = (kind: 'ok' | 'error', message: string, children?: Child) => (
      <MessagePage
        branding={ispBranding(shard, tenant.name)}
        slug={tenant.slug}
        title="Find my voucher"
        kind={kind}
        message={message}
      >
        {children}
      </MessagePage>
    );
    const address = clientAddress(context);
    if (recoveryLimiter.check(address, nowMs).isLimited) {
      return context.html(page('error', 'Too many tries. Wait 15 minutes and try again.'), 429);
    }
    recoveryLimiter.record(address, nowMs);
    const phone = normaliseKenyanPhone(String(form['phone'] ?? ''));
    const found = phone
      ? paidPurchasesOfPhone(shard, phone, nowMs - RECOVERY_WINDOW_MS, RECOVERY_RESULTS_MAX)
      : [];
    if (found.length === 0) {
      return context.html(
        page(
          'error',
          'No paid voucher for this number in the last 7 days. Check the number, or contact your provider with your M-Pesa message.',
        ),
      );
    }
    const codes = found.map((row) => row.code).join(', ');
    return context.html(
      page(
        'ok',
        `Vouchers paid from this number: ${codes}`,
        <RouterLogin router={routerContext(tenant.id, form)} code={found[0]!.code} />,
      ),
    );
  });

  return routes;
}

/** Daraja posts here; the answer is Accepted once the body is stored, duplicates included. */
export function mpesaCallbackRoutes(dependencies: ApiDependencies): Hono {
  const routes = new Hono();
  routes.use('*', bodyLimit({ maxSize: CALLBACK_BODY_BYTES_MAX }));
  const shardOfCallback = (context: Context): TenantShard => {
    const tenantId = context.req.param('tenantId') ?? '';
    const token = context.req.param('token') ?? '';
    const isKnown =
      /^ten_[A-Za-z0-9_-]+$/.test(tenantId) &&
      isCallbackTokenValid(dependencies, tenantId, token) &&
      dependencies.shards.hasShardFile(tenantId);
    if (!isKnown) throw new KiungaError('not_found');
    return dependencies.shards.forTenant(tenantId);
  };

  routes.post('/:tenantId/:token/stk', async (context) => {
    const shard = shardOfCallback(context);
    const outcome = applyStkCallback(dependencies, shard, await context.req.text());
    dependencies.logger.info({ tenantId: shard.tenantId, outcome }, 'mpesa stk callback');
    return context.json(STK_CALLBACK_ACCEPTED);
  });

  // Validation: accept only references we can match, with Daraja's documented rejection codes.
  routes.post('/:tenantId/:token/c2b/validation', async (context) => {
    const shard = shardOfCallback(context);
    const parsed = parseC2bRequest(await context.req.json().catch(() => null));
    if (!parsed.ok) return context.json(c2bValidationRejected(C2bRejectionCode.OtherError));
    const payment = readC2bRequest(parsed.value);
    if (payment.amount <= 0) return context.json(c2bValidationRejected(C2bRejectionCode.InvalidAmount));
    if (!matchC2bReference(shard, payment.billRefNumber)) {
      return context.json(c2bValidationRejected(C2bRejectionCode.InvalidAccountNumber));
    }
    return context.json(C2B_VALIDATION_ACCEPTED);
  });

  // Confirmation: the money has moved; store it raw, then record it once (by TransID).
  routes.post('/:tenantId/:token/c2b/confirmation', async (context) => {
    const shard = shardOfCallback(context);
    const body = await context.req.text();
    const nowMs = dependencies.clock.now();
    const callbackId = storeCallback(
      shard,
      { provider: 'mpesa', kind: 'c2b_confirmation', body, outcome: 'stored' },
      nowMs,
    );
    let json: unknown = null;
    try {
      json = JSON.parse(body);
    } catch {
      // stored raw as 'rejected' below
    }
    const parsed = parseC2bRequest(json);
    if (!parsed.ok) {
      setCallbackOutcome(shard, callbackId, 'rejected');
      return context.json(C2B_CONFIRMATION_ACCEPTED);
    }
    const payment = readC2bRequest(parsed.value);
    const outcome = recordC2bPayment(
      shard,
      {
        transId: payment.transId,
        amount: payment.amount,
        msisdn: payment.msisdn,
        billRefNumber: payment.billRefNumber,
      },
      nowMs,
    );
    setCallbackOutcome(shard, callbackId, outcome.kind);
    if (outcome.kind === 'applied' && outcome.match.kind === 'subscriber') {
      dependencies.onSubscriberPayment?.(shard.tenantId, outcome.match.id);
    }
    return context.json(C2B_CONFIRMATION_ACCEPTED);
  });
  return routes;
}
