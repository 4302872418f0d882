// Reconciliation: purchases whose STK callback never came are asked about with STK query, so a
// client who paid gets the voucher even when Daraja's callback was lost.
import { cents, servedTenantIds } from '@kiunga/schemas';
import { classifyStkResult, DarajaError } from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';
import { paymentFailureMessages } from './purchase-service';
import { completePurchase, failPurchase, pendingPurchasesOlderThan, QUERY_RECEIPT_PREFIX } from './purchases';
import { darajaClientFor, readMpesaSettings } from './settings';

/** A callback normally arrives within a minute of the PIN prompt; wait this long before asking. */
export const RECONCILE_AFTER_MS = 2 * 60_000;
/** Purchases queried per tenant per run: bounds Daraja calls (it rate-limits per app). */
export const RECONCILE_BATCH_MAX = 50;
/** After this long with no answer either way, a purchase is failed so the client can retry. */
export const PURCHASE_ABANDON_AFTER_MS = 30 * 60_000;

export async function reconcilePendingPurchases(
  dependencies: ApiDependencies,
): Promise<{ paid: number; failed: number }> {
  const totals = { paid: 0, failed: 0 };
  if (!dependencies.mpesaBaseUrl) return totals;
  const tenantIds = await servedTenantIds(dependencies.databases.platform);
  for (const tenantId of tenantIds) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    const result = await reconcileTenant(dependencies, tenantId);
    totals.paid += result.paid;
    totals.failed += result.failed;
  }
  return totals;
}

async function reconcileTenant(dependencies: ApiDependencies, tenantId: string) {
  const totals = { paid: 0, failed: 0 };
  const database = dependencies.databases.forTenant(tenantId);
  const nowMs = dependencies.clock.now();
  const pending = await pendingPurchasesOlderThan(database, nowMs - RECONCILE_AFTER_MS, RECONCILE_BATCH_MAX);
  const settings = pending.length > 0 ? await readMpesaSettings(dependencies, database) : null;
  if (!settings) return totals;
  const client = darajaClientFor(dependencies, tenantId, settings);
  for (const purchase of pending) {
    let resultCode: number | null = null;
    try {
      const answer = await client.stkQuery({
        shortcode: settings.shortcode,
        passkey: settings.passkey,
        checkoutRequestId: purchase.checkoutRequestId!,
      });
      resultCode = answer.ResultCode;
    } catch (error) {
      // "Still being processed" and outages are asked about again next run.
      if (!(error instanceof DarajaError)) throw error;
    }
    const now = dependencies.clock.now();
    if (resultCode === 0) {
      // STK query carries no receipt: the checkout id stands in; a late callback is a duplicate.
      const completion = await completePurchase(
        database,
        purchase,
        {
          receipt: `${QUERY_RECEIPT_PREFIX}${purchase.checkoutRequestId}`,
          amount: cents(purchase.amountCents),
          phone: purchase.phone,
        },
        now,
      );
      // A subscriber's bill payment reactivates the account now, as its callback would have.
      if (completion.kind === 'subscriber_paid')
        dependencies.onSubscriberPayment?.(tenantId, completion.subscriberId);
      totals.paid += 1;
    } else if (resultCode !== null) {
      const outcome = classifyStkResult(resultCode);
      const key = outcome === 'paid' ? 'failed' : outcome;
      await failPurchase(
        database,
        purchase.id,
        { code: `mpesa_${key}`, message: paymentFailureMessages[key] },
        now,
      );
      totals.failed += 1;
    } else if (now - purchase.createdAt > PURCHASE_ABANDON_AFTER_MS) {
      await failPurchase(
        database,
        purchase.id,
        { code: 'mpesa_timeout', message: paymentFailureMessages.timeout },
        now,
      );
      totals.failed += 1;
    }
  }
  return totals;
}
