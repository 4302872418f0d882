// An ISP that starts in good standing (the demo's): its platform subscription is charged through the
// current period and paid by a bank transfer, through the same charges, ledger and payment service a
// real payment uses, so the console shows no arrears until a later month really goes unpaid.
import { ensureAccount, findTenant, type PlatformBillingDependencies } from './accounts';
import { balanceCents, type PlatformPaymentRow } from './ledger';
import { acceptPayment } from './payments';
import { billTenant } from './run';
import { refreshAccount } from './state';

/**
 * Charges what is due now and pays it in full as a bank transfer with the ISP's reference;
 * `bankTransactionId` makes a repeat a no-op. Returns the payment, or null when nothing was owed.
 */
export async function payUpPlatformAccount(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
  bankTransactionId: string,
): Promise<PlatformPaymentRow | null> {
  const platform = dependencies.databases.platform;
  const tenant = await findTenant(platform, tenantId);
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  const nowMs = dependencies.clock.now();
  await billTenant(dependencies, tenant, nowMs);
  const owedCents = await balanceCents(platform, tenantId);
  if (owedCents <= 0) {
    await refreshAccount(dependencies, tenantId, nowMs);
    return null;
  }
  const account = await ensureAccount(platform, tenant, nowMs);
  const accepted = await acceptPayment(dependencies, {
    tenantId,
    provider: 'bank',
    providerTransactionId: bankTransactionId,
    amountCents: owedCents,
    paidCurrency: 'KES',
    paidAmountMinor: owedCents,
    exchangeRateKesCents: null,
    reference: account.bankReference,
    receivedAtMs: nowMs,
    recordedBy: null,
  });
  return accepted.payment;
}
