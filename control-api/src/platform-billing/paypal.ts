// ISPs pay the platform by PayPal (Orders v2): an order in USD at the configured fixed rate, approved by
// the ISP at PayPal, then captured; the capture id makes the payment idempotent. The ISP is credited the
// Ksh amount the order was created for, and both amounts and the rate are stored.
import { cents, KiungaError } from '@kiunga/schemas';
import {
  approveUrlOf,
  completedCaptureOf,
  kesCentsToUsdCents,
  ORDER_ALREADY_CAPTURED_ISSUE,
  ORDER_NOT_APPROVED_ISSUE,
  PayPalClient,
  PayPalError,
  type PayPalOrder,
  parsePayPalValue,
} from '../integrations/paypal/index';
import type { ApiDependencies } from '../kernel/dependencies';
import type { AccountRow, TenantBillingRow } from './accounts';
import type { PlatformPayPalConfig } from './config';
import {
  acceptPayment,
  createIntent,
  findIntent,
  findIntentByReference,
  type IntentRow,
  updateIntent,
} from './payments';

export const PAYPAL_TIMEOUT_MS = 15_000;
export const PAYPAL_CURRENCY = 'USD';
const clients = new Map<string, PayPalClient>();

function platformPayPal(dependencies: ApiDependencies): {
  config: PlatformPayPalConfig;
  client: PayPalClient;
} {
  const config = dependencies.platformBilling?.paypal ?? null;
  if (!config)
    throw new KiungaError('service_unavailable', 'Paying Kiunga by PayPal is not configured on this server.');
  const key = `${config.baseUrl}|${config.clientId}|${config.clientSecret}`;
  let client = clients.get(key);
  if (!client) {
    client = new PayPalClient({ ...config, clock: dependencies.clock, timeoutMs: PAYPAL_TIMEOUT_MS });
    clients.set(key, client);
  }
  return { config, client };
}

export async function createPlatformPayPalOrder(
  dependencies: ApiDependencies,
  tenant: TenantBillingRow,
  account: AccountRow,
  amountCents: number,
): Promise<{ intent: IntentRow; approveUrl: string }> {
  const { config, client } = platformPayPal(dependencies);
  const usdCents = kesCentsToUsdCents(cents(amountCents), config.kesCentsPerUsd);
  const intent = await createIntent(dependencies, {
    tenantId: tenant.id,
    provider: 'paypal',
    amountCents,
    paidCurrency: PAYPAL_CURRENCY,
    paidAmountMinor: usdCents,
    exchangeRateKesCents: config.kesCentsPerUsd,
  });
  const returnBase = `${dependencies.publicUrl.replace(/\/+$/, '')}/api/v1/platform-billing/paypal`;
  let order: PayPalOrder;
  try {
    order = await client.createOrder({
      requestId: intent.id,
      currencyCode: PAYPAL_CURRENCY,
      amountMinor: usdCents,
      referenceId: account.bankReference,
      customId: tenant.id,
      description: `Kiunga subscription (${account.bankReference})`,
      returnUrl: `${returnBase}/return`,
      cancelUrl: `${returnBase}/cancel`,
    });
  } catch (error) {
    await updateIntent(dependencies, intent.id, {
      status: 'failed',
      failureMessage: 'PayPal did not accept the order.',
    });
    dependencies.logger.warn({ err: error, tenantId: tenant.id }, 'PayPal order failed');
    throw new KiungaError('service_unavailable', 'PayPal could not be reached. Try again in a minute.');
  }
  const approveUrl = approveUrlOf(order);
  if (!approveUrl) throw new KiungaError('service_unavailable', 'PayPal did not return an approval link.');
  await updateIntent(dependencies, intent.id, { providerReference: order.id });
  return { intent: (await findIntent(dependencies, intent.id)) ?? intent, approveUrl };
}

/**
 * Captures an approved order of this ISP and credits it once. A second capture (a double click, a
 * retry after a timeout) reads the order's existing capture and changes nothing.
 */
export async function capturePlatformPayPalOrder(
  dependencies: ApiDependencies,
  tenantId: string,
  orderId: string,
): Promise<IntentRow> {
  const intent = await findIntentByReference(dependencies, 'paypal', orderId);
  if (!intent || intent.tenantId !== tenantId) throw new KiungaError('not_found', 'No such PayPal order.');
  if (intent.status === 'paid') return intent;
  const { client } = platformPayPal(dependencies);
  let order: PayPalOrder;
  try {
    order = await client.captureOrder(orderId, `capture-${intent.id}`);
  } catch (error) {
    if (error instanceof PayPalError && error.issue === ORDER_ALREADY_CAPTURED_ISSUE) {
      order = await client.getOrder(orderId);
    } else if (error instanceof PayPalError && error.issue === ORDER_NOT_APPROVED_ISSUE) {
      throw new KiungaError('conflict', 'Approve the payment at PayPal first, then try again.');
    } else {
      dependencies.logger.warn({ err: error, tenantId, orderId }, 'PayPal capture failed');
      throw new KiungaError(
        'service_unavailable',
        'PayPal could not capture the payment. Try again in a minute.',
      );
    }
  }
  const capture = completedCaptureOf(order);
  if (!capture) throw new KiungaError('conflict', 'PayPal has not completed this payment yet.');
  const capturedMinor = parsePayPalValue(capture.amount.value);
  if (capture.amount.currency_code !== intent.paidCurrency || capturedMinor !== intent.paidAmountMinor) {
    // Never credit a different amount than was ordered; a person looks at it.
    await updateIntent(dependencies, intent.id, {
      status: 'failed',
      failureMessage: 'Captured amount differs from the order.',
    });
    dependencies.logger.error({ tenantId, orderId, capture }, 'PayPal capture amount mismatch');
    throw new KiungaError(
      'conflict',
      'The amount PayPal captured differs from the order; the platform team will contact you.',
    );
  }
  const { payment } = await acceptPayment(dependencies, {
    tenantId,
    provider: 'paypal',
    providerTransactionId: capture.id,
    amountCents: intent.amountCents,
    paidCurrency: intent.paidCurrency,
    paidAmountMinor: capturedMinor,
    exchangeRateKesCents: intent.exchangeRateKesCents,
    reference: orderId,
    receivedAtMs: dependencies.clock.now(),
    recordedBy: null,
  });
  await updateIntent(dependencies, intent.id, { status: 'paid', paymentId: payment.id });
  return (await findIntent(dependencies, intent.id)) ?? intent;
}
