// STK push (M-Pesa Express) and its query, as the simulator answers them and posts their callbacks.
import type { HandlerResult, SimulatorContext } from './context';
import { MAGIC_PHONE_SCENARIOS, STK_SCENARIOS, type StkScenarioName } from './scenarios';
import type { StkTransaction } from './state';
import {
  badRequest,
  darajaTimestamp,
  errorBody,
  expectedPassword,
  newReceiptNumber,
  newRequestId,
  type StkPushRequest,
  stkPushRequestSchema,
  stkQueryRequestSchema,
  timestampToEpochMs,
} from './wire';

/** Receipt numbers are random; a clash with an earlier one is retried this many times before giving up. */
const RECEIPT_ATTEMPTS_MAX = 10;
let checkoutSequence = 0;

/** The first field a zod failure names, for Daraja's "Bad Request - Invalid <field>" message. */
function firstInvalidField(issues: readonly { path: readonly PropertyKey[] }[]): string {
  return String(issues[0]?.path[0] ?? 'Request');
}

function credentialsError(
  context: SimulatorContext,
  shortcode: string,
  password: string,
  timestamp: string,
): HandlerResult | null {
  const configured = context.options.shortcodes.find((item) => item.shortcode === shortcode);
  if (configured === undefined) return badRequest('BusinessShortCode');
  const timestampMs = timestampToEpochMs(timestamp);
  if (
    timestampMs === null ||
    Math.abs(timestampMs - context.options.now()) > context.options.timestampToleranceMs
  ) {
    return badRequest('Timestamp');
  }
  if (password !== expectedPassword(shortcode, configured.passkey, timestamp)) {
    // Daraja answers a wrong passkey with this general code and message.
    return { status: 500, body: errorBody('500.001.1001', 'Wrong credentials') };
  }
  return null;
}

function scenarioFor(context: SimulatorContext, phone: string): StkScenarioName {
  return (
    context.state.phoneScenario(phone) ?? MAGIC_PHONE_SCENARIOS[phone] ?? context.settings.defaultScenario
  );
}

function newCheckoutRequestId(nowMs: number): string {
  checkoutSequence = (checkoutSequence + 1) % 1_000_000;
  return `ws_CO_${darajaTimestamp(nowMs)}${checkoutSequence.toString().padStart(6, '0')}`;
}

function uniqueReceipt(context: SimulatorContext): string {
  for (let attempt = 0; attempt < RECEIPT_ATTEMPTS_MAX; attempt += 1) {
    const receipt = newReceiptNumber();
    if (!context.state.isReceiptUsed(receipt)) return receipt;
  }
  throw new Error('could not find an unused receipt number');
}

export function handleStkPush(context: SimulatorContext, body: unknown): HandlerResult {
  const parsed = stkPushRequestSchema.safeParse(body);
  if (!parsed.success) return badRequest(firstInvalidField(parsed.error.issues));
  const request = parsed.data;
  const refused = credentialsError(context, request.BusinessShortCode, request.Password, request.Timestamp);
  if (refused !== null) return refused;
  const nowMs = context.options.now();
  const transaction: StkTransaction = {
    merchantRequestId: newRequestId(),
    checkoutRequestId: newCheckoutRequestId(nowMs),
    shortcode: request.BusinessShortCode,
    phone: request.PhoneNumber,
    amount: request.Amount,
    accountReference: request.AccountReference,
    callbackUrl: request.CallBackURL,
    scenario: scenarioFor(context, request.PhoneNumber),
    createdAt: nowMs,
    status: 'pending',
    deliveries: [],
  };
  context.state.addStk(transaction);
  if (STK_SCENARIOS[transaction.scenario].resultCode !== null) {
    context.schedule(context.settings.callbackDelayMs, () => completeStk(context, transaction, request));
  }
  return {
    status: 200,
    body: {
      MerchantRequestID: transaction.merchantRequestId,
      CheckoutRequestID: transaction.checkoutRequestId,
      ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing',
      CustomerMessage: 'Success. Request accepted for processing',
    },
  };
}

function callbackBody(transaction: StkTransaction): unknown {
  const metadata =
    transaction.resultCode === 0
      ? {
          CallbackMetadata: {
            Item: [
              { Name: 'Amount', Value: transaction.amount },
              { Name: 'MpesaReceiptNumber', Value: transaction.mpesaReceiptNumber },
              { Name: 'Balance' },
              { Name: 'TransactionDate', Value: Number(transaction.transactionDate) },
              { Name: 'PhoneNumber', Value: Number(transaction.phone) },
            ],
          },
        }
      : {};
  return {
    Body: {
      stkCallback: {
        MerchantRequestID: transaction.merchantRequestId,
        CheckoutRequestID: transaction.checkoutRequestId,
        ResultCode: transaction.resultCode,
        ResultDesc: transaction.resultDesc,
        ...metadata,
      },
    },
  };
}

/** The customer answered: settle the transaction, then post the callback (and any duplicates) in order. */
async function completeStk(context: SimulatorContext, transaction: StkTransaction, request: StkPushRequest) {
  const scenario = STK_SCENARIOS[transaction.scenario];
  const nowMs = context.options.now();
  transaction.status = 'completed';
  transaction.resultCode = scenario.resultCode ?? undefined;
  transaction.resultDesc = scenario.resultDesc;
  if (scenario.resultCode === 0) {
    transaction.mpesaReceiptNumber = uniqueReceipt(context);
    transaction.transactionDate = darajaTimestamp(nowMs);
    context.state.addPayment({
      receipt: transaction.mpesaReceiptNumber,
      shortcode: request.PartyB,
      msisdn: transaction.phone,
      amountCents: transaction.amount * 100,
      transactionDate: transaction.transactionDate,
      reasonType: 'Pay Bill Online',
    });
  }
  const body = callbackBody(transaction);
  transaction.callbackBody = body;
  const copies = 1 + context.settings.duplicateCallbacks;
  for (let copy = 1; copy <= copies; copy += 1) {
    const outcome = await context.post(transaction.callbackUrl, body);
    transaction.deliveries.push({
      url: transaction.callbackUrl,
      copy,
      at: context.options.now(),
      ...outcome,
    });
  }
}

export function handleStkQuery(context: SimulatorContext, body: unknown): HandlerResult {
  const parsed = stkQueryRequestSchema.safeParse(body);
  if (!parsed.success) return badRequest(firstInvalidField(parsed.error.issues));
  const request = parsed.data;
  const refused = credentialsError(context, request.BusinessShortCode, request.Password, request.Timestamp);
  if (refused !== null) return refused;
  const transaction = context.state.getStk(request.CheckoutRequestID);
  if (transaction === undefined || transaction.shortcode !== request.BusinessShortCode) {
    return badRequest('CheckoutRequestID');
  }
  if (transaction.status === 'pending') {
    return { status: 500, body: errorBody('500.001.1001', 'The transaction is being processed') };
  }
  return {
    status: 200,
    body: {
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successfully',
      MerchantRequestID: transaction.merchantRequestId,
      CheckoutRequestID: transaction.checkoutRequestId,
      ResultCode: String(transaction.resultCode),
      ResultDesc: transaction.resultDesc,
    },
  };
}
