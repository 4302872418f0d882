// The STK push for a pending purchase (a captive-portal package or a subscriber's payment): send it,
// record Daraja's ids, or mark the purchase failed and tell the payer what to do.
import { KiungaError, messageFor, type SqlDatabase } from '@kiunga/schemas';
import { ACCOUNT_REFERENCE_LENGTH_MAX, type DarajaClient, DarajaError } from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';
import { callbackUrls } from './callback-addresses';
import { failPurchase, recordStkAccepted } from './purchases';
import type { MpesaSettings } from './settings';

export interface StkPushForPurchase {
  readonly tenantId: string;
  readonly purchaseId: string;
  readonly settings: MpesaSettings;
  /** Asked inside the guarded send: a client that cannot be made fails the purchase like an unreachable M-Pesa. */
  readonly client: () => DarajaClient;
  readonly amountShillings: number;
  readonly phone: string;
  /** Cut to Daraja's 12 characters. */
  readonly accountReference: string;
  /** TransactionDesc shown on the payer's phone. */
  readonly description: string;
  /** The warning logged when the push fails, with the fields that identify the purchase. */
  readonly failureLog: { readonly message: string; readonly fields: Record<string, unknown> };
}

/** Sends the push; on any failure the purchase is marked failed and a service_unavailable error is thrown. */
export async function sendStkPushForPurchase(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  push: StkPushForPurchase,
): Promise<void> {
  try {
    const response = await push.client().stkPush({
      shortcode: push.settings.shortcode,
      passkey: push.settings.passkey,
      amount: push.amountShillings,
      phone: push.phone,
      callbackUrl: callbackUrls(dependencies, push.tenantId).stk,
      accountReference: push.accountReference.slice(0, ACCOUNT_REFERENCE_LENGTH_MAX),
      description: push.description,
      transactionType: push.settings.transactionType,
      partyB: push.settings.partyB,
    });
    await recordStkAccepted(
      database,
      push.purchaseId,
      { merchantRequestId: response.MerchantRequestID, checkoutRequestId: response.CheckoutRequestID },
      dependencies.clock.now(),
    );
  } catch (error) {
    if (error instanceof DarajaError && error.kind === 'callback_url_refused') {
      // This server's configuration, not the payer's number: the payer is told M-Pesa is unavailable,
      // the operator reads what to change (the message names the URL's origin, never its token).
      await failPurchase(
        database,
        push.purchaseId,
        { code: 'mpesa_unavailable', message: messageFor('mpesa_unavailable') },
        dependencies.clock.now(),
      );
      dependencies.logger.error({ err: error, ...push.failureLog.fields }, push.failureLog.message);
      throw new KiungaError('mpesa_unavailable');
    }
    const message =
      error instanceof DarajaError
        ? 'M-Pesa did not accept the request. Check the number and try again in a minute.'
        : 'M-Pesa could not be reached. Try again in a minute.';
    await failPurchase(
      database,
      push.purchaseId,
      { code: 'stk_push_failed', message },
      dependencies.clock.now(),
    );
    dependencies.logger.warn({ err: error, ...push.failureLog.fields }, push.failureLog.message);
    throw new KiungaError('service_unavailable', message);
  }
}
