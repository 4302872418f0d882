// ISPs pay the platform by STK push to the platform's own shortcode; Daraja's result comes back to
// /callbacks/mm/platform/<token>/stk and is applied once per M-Pesa receipt.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KiungaError, normaliseKenyanPhone } from '@kiunga/schemas';
import type { ApiDependencies } from '../dependencies';
import { DarajaClient, DarajaError, parseStkCallback, readStkCallback } from '../integrations/mpesa/index';
import { DARAJA_TIMEOUT_MS } from '../portal/mpesa-settings';
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

/** Unguessable path segment for the platform's callbacks (Daraja posts without credentials). */
export function platformCallbackToken(dependencies: ApiDependencies): string {
  return createHmac('sha256', dependencies.tokenKey)
    .update('platform-mpesa-callback')
    .digest('base64url')
    .slice(0, 32);
}

export function isPlatformCallbackTokenValid(dependencies: ApiDependencies, token: string): boolean {
  const expected = Buffer.from(platformCallbackToken(dependencies));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function platformStkCallbackUrl(dependencies: ApiDependencies): string {
  return `${dependencies.publicUrl.replace(/\/+$/, '')}/callbacks/mm/platform/${platformCallbackToken(dependencies)}/stk`;
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
  const intent = createIntent(dependencies, {
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
    updateIntent(dependencies, intent.id, { providerReference: response.CheckoutRequestID });
  } catch (error) {
    const message =
      error instanceof DarajaError
        ? 'M-Pesa did not accept the request. Check the number and try again in a minute.'
        : 'M-Pesa could not be reached. Try again in a minute.';
    updateIntent(dependencies, intent.id, { status: 'failed', failureMessage: message });
    dependencies.logger.warn(
      { err: error, tenantId: tenant.id, intentId: intent.id },
      'platform STK push failed',
    );
    throw new KiungaError('service_unavailable', message);
  }
  return findIntent(dependencies, intent.id) ?? intent;
}

export type PlatformCallbackOutcome = 'applied' | 'duplicate' | 'unmatched' | 'rejected' | 'failed';

/** Stores the raw body, then applies it: a payment once per receipt, a failure once per intent. */
export function applyPlatformStkCallback(
  dependencies: ApiDependencies,
  rawBody: string,
): PlatformCallbackOutcome {
  const callbackId = storeCallback(dependencies, 'mpesa', 'stk', rawBody);
  const outcome = interpretCallback(dependencies, rawBody);
  setCallbackOutcome(dependencies, callbackId, outcome);
  return outcome;
}

function interpretCallback(dependencies: ApiDependencies, rawBody: string): PlatformCallbackOutcome {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return 'rejected';
  }
  const parsed = parseStkCallback(body);
  if (!parsed.ok) return 'rejected';
  const callback = parsed.value.Body.stkCallback;
  const intent = findIntentByReference(dependencies, 'mpesa_stk', callback.CheckoutRequestID);
  if (!intent) return 'unmatched';
  const reading = readStkCallback(callback);
  if (reading.kind === 'malformed') return 'rejected';
  if (reading.kind === 'failed') {
    if (intent.status !== 'pending') return 'duplicate';
    updateIntent(dependencies, intent.id, { status: 'failed', failureMessage: `M-Pesa: ${reading.outcome}` });
    return 'failed';
  }
  const { payment, isNew } = acceptPayment(dependencies, {
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
  updateIntent(dependencies, intent.id, { status: 'paid', paymentId: payment.id, failureMessage: null });
  return isNew ? 'applied' : 'duplicate';
}
