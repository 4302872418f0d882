// What the platform-billing API routes call: the ISP owner's tier choice and payments to Kiunga, and
// the platform operator's bank payments, matching and billing run — each change audited here.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { recordAudit } from '../kernel/audit';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { tenantIdOf } from '../kernel/tenant-access';
import {
  acceptPayment,
  afterPaymentCredited,
  balanceCents,
  chooseTier,
  createPlatformPayPalOrder,
  ensureAccount,
  findAccountByReference,
  findPayment,
  findPaymentById,
  findTenant,
  intentView,
  ispStatusView,
  matchPayment,
  normaliseReference,
  registrationFeeAheadCents,
  runPlatformBilling,
  startPlatformStkPush,
  type TenantBillingRow,
} from './index';

/** Smallest payment accepted: one shilling (Daraja's minimum). */
export const PAYMENT_MINIMUM_CENTS = 100;

/** The caller's ISP, when the caller is its owner: only the owner manages the Kiunga subscription. */
export async function ownerTenant(
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
  const platform = dependencies.databases.platform;
  const owed = await balanceCents(platform, tenantId);
  // In the trial nothing is owed yet: a Tier 1 ISP pays its registration fee up front (issue 15).
  const feeAhead = owed <= 0 ? await registrationFeeAheadCents(platform, tenantId, owed) : 0;
  if (feeAhead >= PAYMENT_MINIMUM_CENTS) return feeAhead;
  if (owed < PAYMENT_MINIMUM_CENTS)
    throw new KiungaError('conflict', 'Nothing is owed right now; give amountCents to pay ahead.');
  return owed;
}

/** The owner opts into Tier 2 or back to following revenue; answers the account as it is now. */
export async function chooseTierAsOwner(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  choice: { tier: 'tier1' | 'tier2'; featureChoice?: 'hotspot' | 'pppoe' | undefined },
) {
  const platform = dependencies.databases.platform;
  const tenant = await ownerTenant(context, dependencies);
  await chooseTier(platform, tenant, choice, dependencies.clock.now());
  await recordAudit(dependencies, context, {
    action: 'platform_billing.tier_choice',
    target: tenant.id,
    detail: choice,
  });
  return ispStatusView(dependencies, (await findTenant(platform, tenant.id)) ?? tenant);
}

/** An STK push to the given phone (or the ISP's contact phone) for the amount (or everything owed). */
export async function startOwnerMpesaPayment(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  request: { phone?: string | undefined; amountCents?: number | undefined },
) {
  const tenant = await ownerTenant(context, dependencies);
  const phone = request.phone ?? tenant.contactPhone ?? '';
  if (phone === '') throw new KiungaError('validation_failed', 'Give the phone number to pay from.');
  const account = await ensureAccount(dependencies.databases.platform, tenant, dependencies.clock.now());
  const amountCents = await amountToPay(dependencies, tenant.id, request.amountCents);
  const intent = await startPlatformStkPush(dependencies, tenant, account, { phone, amountCents });
  await recordAudit(dependencies, context, {
    action: 'platform_billing.mpesa_start',
    target: intent.id,
    detail: { amountCents: intent.amountCents },
  });
  return intentView(intent);
}

/** A PayPal order for the amount (or everything owed), with the URL where the owner approves it. */
export async function startOwnerPayPalOrder(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  request: { amountCents?: number | undefined },
) {
  const tenant = await ownerTenant(context, dependencies);
  const account = await ensureAccount(dependencies.databases.platform, tenant, dependencies.clock.now());
  const amountCents = await amountToPay(dependencies, tenant.id, request.amountCents);
  const { intent, approveUrl } = await createPlatformPayPalOrder(dependencies, tenant, account, amountCents);
  await recordAudit(dependencies, context, {
    action: 'platform_billing.paypal_order',
    target: intent.providerReference,
  });
  return { ...intentView(intent), orderId: intent.providerReference, approveUrl };
}

/**
 * Records a bank transfer by the ISP's reference, idempotent by the bank's transaction id: the same
 * line again answers the first record (isNew false); with another amount it is a conflict.
 */
export async function recordBankPayment(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  line: {
    reference: string;
    amountCents: number;
    bankTransactionId: string;
    receivedAt?: number | undefined;
  },
) {
  const platform = dependencies.databases.platform;
  const existing = await findPayment(platform, 'bank', line.bankTransactionId);
  if (existing) {
    if (existing.amountCents !== line.amountCents)
      throw new KiungaError('conflict', 'This bank transaction was recorded with a different amount.');
    return { ...existing, isNew: false };
  }
  const account = await findAccountByReference(platform, line.reference);
  const { payment, isNew } = await acceptPayment(dependencies, {
    tenantId: account?.tenantId ?? null,
    provider: 'bank',
    providerTransactionId: line.bankTransactionId,
    amountCents: line.amountCents,
    paidCurrency: 'KES',
    paidAmountMinor: line.amountCents,
    exchangeRateKesCents: null,
    reference: normaliseReference(line.reference),
    receivedAtMs: line.receivedAt ?? dependencies.clock.now(),
    recordedBy: context.get('principal').id,
  });
  await recordAudit(dependencies, context, {
    action: 'platform_billing.bank_payment',
    target: payment.id,
    detail: line,
  });
  return { ...payment, isNew };
}

/** Matches an unmatched payment to an ISP and credits it. */
export async function matchPaymentToTenant(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  paymentId: string,
  tenantId: string,
) {
  const platform = dependencies.databases.platform;
  if (!(await findTenant(platform, tenantId))) throw new KiungaError('tenant_not_found');
  if (!(await matchPayment(platform, paymentId, tenantId, dependencies.clock.now())))
    throw new KiungaError('conflict', 'No unmatched payment with this id.');
  const payment = await findPaymentById(platform, paymentId);
  if (!payment) throw new KiungaError('not_found', 'No such payment.');
  await afterPaymentCredited(dependencies, payment);
  await recordAudit(dependencies, context, {
    action: 'platform_billing.match_payment',
    target: paymentId,
    detail: { tenantId },
  });
  return payment;
}

/** Runs platform billing now (safe to repeat), audited with what it did. */
export async function runPlatformBillingNow(dependencies: ApiDependencies, context: Context<AppEnv>) {
  const result = await runPlatformBilling(dependencies);
  await recordAudit(dependencies, context, { action: 'platform_billing.run', detail: result });
  return result;
}
