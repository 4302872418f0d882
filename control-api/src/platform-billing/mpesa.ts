// ISPs pay the platform by STK push to the platform's own shortcode; Daraja's result comes back to
// /callbacks/mm/platform/<token>/stk and is applied once per M-Pesa receipt.
import { KiungaError, normaliseKenyanPhone } from '@kiunga/schemas';
import {
  classifyStkResult,
  DarajaClient,
  DarajaError,
  readStkCallback,
  stkCallbackFromText,
} from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';
import { platformStkCallbackUrl } from '../mpesa/callback-addresses';
import { DARAJA_TIMEOUT_MS } from '../mpesa/settings';
import type { AccountRow, TenantBillingRow } from './accounts';
import type { PlatformMpesaConfig } from './config';
import {
  acceptPayment,
  createIntent,
  findIntent,
  findIntentByReference,
  type IntentRow,
  setCallbackOutcome,
  storeCallback,
  updateIntent,
} from './payments';

const clients = new Map<string, DarajaClient>();

function platformMpesa(dependencies: ApiDependencies): { config: PlatformMpesaConfig; client: DarajaClient } {
  const config = dependencies.platformBilling?.mpesa ?? null;
  if (!config || !dependencies.mpesaBaseUrl) {
    throw new KiungaError(
      'service_unavailable',
      'Paying Kiunga by M-Pesa is not configured on this server; use bank transfer.',
    );
  }
  const key = `${dependencies.mpesaBaseUrl}|${config.consumerKey}|${config.consumerSecret}`;
  let client = clients.get(key);
  if (!client) {
    client = new DarajaClient({
      baseUrl: dependencies.mpesaBaseUrl,
      consumerKey: config.consumerKey,
      consumerSecret: config.consumerSecret,
      clock: dependencies.clock,
      timeoutMs: DARAJA_TIMEOUT_MS,
    });
    clients.set(key, client);
  }
  return { config, client };
}

export async function startPlatformStkPush(
  dependencies: ApiDependencies,
  tenant: TenantBillingRow,
  account: AccountRow,
  input: { phone: string; amountCents: number },
): Promise<IntentRow> {
  const phone = normaliseKenyanPhone(input.phone);
  if (!phone) throw new KiungaError('validation_failed', 'Enter a Safaricom number like 0712 345 678.');
  // Daraja takes whole shillings: round up so the charge is covered.
  const shillings = Math.ceil(input.amountCents / 100);
  const { config, client } = platformMpesa(dependencies);
  const intent = await createIntent(dependencies, {
    tenantId: tenant.id,
    provider: 'mpesa_stk',
    amountCents: shillings * 100,
    paidCurrency: 'KES',
    paidAmountMinor: shillings * 100,
    exchangeRateKesCents: null,
  });
  try {
    const response = await client.stkPush({
      shortcode: config.shortcode,
      passkey: config.passkey,
      amount: shillings,
      phone,
      callbackUrl: platformStkCallbackUrl(dependencies),
      accountReference: account.bankReference,
      description: 'Kiunga',
      transactionType: 'CustomerPayBillOnline',
    });
    await updateIntent(dependencies, intent.id, { providerReference: response.CheckoutRequestID });
  } catch (error) {
    if (error instanceof DarajaError && error.kind === 'callback_url_refused') {
      // The server's configuration: the ISP is told to pay another way, the operator what to change.
      const message = 'Paying Kiunga by M-Pesa is not available right now; use bank transfer or PayPal.';
      await updateIntent(dependencies, intent.id, { status: 'failed', failureMessage: message });
      dependencies.logger.error(
        { err: error, tenantId: tenant.id, intentId: intent.id },
        'platform STK push refused',
      );
      throw new KiungaError('mpesa_unavailable', message);
    }
    const message =
      error instanceof DarajaError
        ? 'M-Pesa did not accept the request. Check the number and try again in a minute.'
        : 'M-Pesa could not be reached. Try again in a minute.';
    await updateIntent(dependencies, intent.id, { status: 'failed', failureMessage: message });
    dependencies.logger.warn(
      { err: error, tenantId: tenant.id, intentId: intent.id },
      'platform STK push failed',
    );
    throw new KiungaError('service_unavailable', message);
  }
  return (await findIntent(dependencies, intent.id)) ?? intent;
}

export type PlatformCallbackOutcome = 'applied' | 'duplicate' | 'unmatched' | 'rejected' | 'failed';

/** Stores the raw body, then applies it: a payment once per receipt, a failure once per intent. */
export async function applyPlatformStkCallback(
  dependencies: ApiDependencies,
  rawBody: string,
): Promise<PlatformCallbackOutcome> {
  const callbackId = await storeCallback(dependencies, 'mpesa', 'stk', rawBody);
  const outcome = await interpretCallback(dependencies, rawBody);
  await setCallbackOutcome(dependencies, callbackId, outcome);
  return outcome;
}

async function interpretCallback(
  dependencies: ApiDependencies,
  rawBody: string,
): Promise<PlatformCallbackOutcome> {
  const callback = stkCallbackFromText(rawBody);
  if (!callback) return 'rejected';
  const intent = await findIntentByReference(dependencies, 'mpesa_stk', callback.CheckoutRequestID);
  if (!intent) return 'unmatched';
  const reading = readStkCallback(callback);
  if (reading.kind === 'malformed') return 'rejected';
  if (reading.kind === 'failed') {
    if (intent.status !== 'pending') return 'duplicate';
    await updateIntent(dependencies, intent.id, {
      status: 'failed',
      failureMessage: `M-Pesa: ${reading.outcome}`,
    });
    return 'failed';
  }
  const { payment, isNew } = await acceptPayment(dependencies, {
    tenantId: intent.tenantId,
    provider: 'mpesa_stk',
    providerTransactionId: reading.payment.mpesaReceiptNumber,
    amountCents: reading.payment.amount,
    paidCurrency: 'KES',
    paidAmountMinor: reading.payment.amount,
    exchangeRateKesCents: null,
    reference: callback.CheckoutRequestID,
    receivedAtMs: dependencies.clock.now(),
    recordedBy: null,
  });
  await updateIntent(dependencies, intent.id, {
    status: 'paid',
    paymentId: payment.id,
    failureMessage: null,
  });
  return isNew ? 'applied' : 'duplicate';
}

/** Platform STK payments older than this without a callback are asked about with STK query. */
export const PLATFORM_RECONCILE_AFTER_MS = 2 * 60_000;
/** Intents queried per run: bounds Daraja calls. */
export const PLATFORM_RECONCILE_BATCH_MAX = 50;
/** After this long with no answer either way, the intent is failed so the ISP can pay again. */
export const PLATFORM_INTENT_ABANDON_AFTER_MS = 30 * 60_000;

/**
 * The platform's own STK payments whose callback never came: a query answer of 0 credits the ISP
 * once (the checkout id stands in for the receipt, which the query does not carry), a failure
 * code fails the intent, and "still processing" is asked again next run.
 */
export async function reconcilePlatformStkPayments(
  dependencies: ApiDependencies,
): Promise<{ paid: number; failed: number }> {
  const totals = { paid: 0, failed: 0 };
  if (!dependencies.platformBilling?.mpesa || !dependencies.mpesaBaseUrl) return totals;
  const { config, client } = platformMpesa(dependencies);
  const pending = await dependencies.databases.platform.column<string>(
    `SELECT id FROM platform_payment_intents
      WHERE provider = 'mpesa_stk' AND status = 'pending' AND provider_reference IS NOT NULL AND created_at < ?
      ORDER BY created_at, id LIMIT ?`,
    [dependencies.clock.now() - PLATFORM_RECONCILE_AFTER_MS, PLATFORM_RECONCILE_BATCH_MAX],
  );
  for (const intentId of pending) {
    const intent = await findIntent(dependencies, intentId);
    if (!intent?.providerReference) continue;
    let resultCode: number | null = null;
    try {
      const answer = await client.stkQuery({
        shortcode: config.shortcode,
        passkey: config.passkey,
        checkoutRequestId: intent.providerReference,
      });
      resultCode = answer.ResultCode;
    } catch (error) {
      if (!(error instanceof DarajaError)) throw error;
    }
    const nowMs = dependencies.clock.now();
    if (resultCode === 0) {
      const { payment } = await acceptPayment(dependencies, {
        tenantId: intent.tenantId,
        provider: 'mpesa_stk',
        providerTransactionId: `Q${intent.providerReference}`,
        amountCents: intent.amountCents,
        paidCurrency: 'KES',
        paidAmountMinor: intent.amountCents,
        exchangeRateKesCents: null,
        reference: intent.providerReference,
        receivedAtMs: nowMs,
        recordedBy: null,
      });
      await updateIntent(dependencies, intent.id, {
        status: 'paid',
        paymentId: payment.id,
        failureMessage: null,
      });
      totals.paid += 1;
    } else if (resultCode !== null || nowMs - intent.createdAt > PLATFORM_INTENT_ABANDON_AFTER_MS) {
      const message = resultCode === null ? 'M-Pesa: no answer' : `M-Pesa: ${classifyStkResult(resultCode)}`;
      await updateIntent(dependencies, intent.id, { status: 'failed', failureMessage: message });
      totals.failed += 1;
    }
  }
  return totals;
}
