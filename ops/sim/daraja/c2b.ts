// C2B (paybill/till) in the simulator: URL registration, a customer's payment (validation, then confirmation),
// and the transaction status query whose result is posted to its ResultURL.
import { z } from 'zod';
import type { HandlerResult, SimulatorContext } from './context';
import type { C2bRegistration, CallbackDelivery } from './state';
import {
  amountToCents,
  badRequest,
  c2bRegisterRequestSchema,
  centsToAmount,
  darajaTimestamp,
  hiddenMsisdn,
  MSISDN,
  newReceiptNumber,
  newRequestId,
  transactionStatusRequestSchema,
} from './wire';

/** M-Pesa's BillRefNumber holds up to 20 characters. */
const BILL_REF_LENGTH_MAX = 20;

export interface C2bPayInput {
  readonly shortcode: string;
  /** The payer's number; confirmations carry it masked (v2) or hashed (v1), as Daraja does. */
  readonly msisdn: string;
  /** Shillings: 10, 10.5 or "10.00". */
  readonly amount: number | string;
  /** The account the customer typed, for a paybill; a till has none (BillRefNumber is sent empty). */
  readonly billRefNumber?: string;
  readonly firstName?: string;
}

export interface C2bPaymentRecord {
  readonly transId: string;
  /** confirmed: validation accepted (or skipped / unreachable with ResponseType Completed) and confirmation posted. */
  readonly outcome: 'confirmed' | 'rejected' | 'cancelled';
  readonly body: C2bBody;
  readonly validation?: CallbackDelivery;
  readonly confirmations: readonly CallbackDelivery[];
}

const payInputSchema = z.object({
  shortcode: z.string().regex(/^\d{5,9}$/),
  msisdn: z.string().regex(MSISDN),
  amount: z.union([z.number(), z.string()]),
  billRefNumber: z.string().max(BILL_REF_LENGTH_MAX).optional(),
  firstName: z.string().max(50).optional(),
});

export function handleC2bRegister(
  context: SimulatorContext,
  body: unknown,
  apiVersion: 'v1' | 'v2',
): HandlerResult {
  const parsed = c2bRegisterRequestSchema.safeParse(body);
  if (!parsed.success) return badRequest(String(parsed.error.issues[0]?.path[0] ?? 'Request'));
  const request = parsed.data;
  if (!context.options.shortcodes.some((item) => item.shortcode === request.ShortCode))
    return badRequest('ShortCode');
  context.state.register({
    shortcode: request.ShortCode,
    apiVersion,
    responseType: request.ResponseType,
    confirmationUrl: request.ConfirmationURL,
    validationUrl: request.ValidationURL,
    registeredAt: context.options.now(),
  });
  // "OriginatorCoversationID" is how Daraja itself spells it.
  return {
    status: 200,
    body: { OriginatorCoversationID: newRequestId(), ResponseCode: '0', ResponseDescription: 'Success' },
  };
}

function isAcceptedValidation(delivery: { status?: number; responseBody?: unknown }): boolean | null {
  if (delivery.status === undefined || delivery.status < 200 || delivery.status > 299) return null;
  const body = delivery.responseBody;
  if (typeof body !== 'object' || body === null || !('ResultCode' in body)) return null;
  return String((body as { ResultCode: unknown }).ResultCode) === '0';
}

/** The body M-Pesa posts to both the validation and the confirmation URL. */
interface C2bBody {
  readonly TransactionType: string;
  readonly TransID: string;
  readonly TransTime: string;
  readonly TransAmount: string;
  readonly BusinessShortCode: string;
  readonly BillRefNumber: string;
  readonly InvoiceNumber: string;
  readonly OrgAccountBalance: string;
  readonly ThirdPartyTransID: string;
  readonly MSISDN: string;
  readonly FirstName: string;
  readonly MiddleName: string;
  readonly LastName: string;
}

/** Posts the validation; answers whether to go on to confirmation, and what was delivered. */
async function validate(
  context: SimulatorContext,
  registration: C2bRegistration,
  body: C2bBody,
): Promise<{ verdict: 'accepted' | 'rejected' | 'cancelled'; delivery: CallbackDelivery }> {
  const outcome = await context.post(registration.validationUrl, body);
  const delivery = { url: registration.validationUrl, copy: 1, at: context.options.now(), ...outcome };
  const accepted = isAcceptedValidation(outcome);
  if (accepted === true) return { verdict: 'accepted', delivery };
  if (accepted === false) return { verdict: 'rejected', delivery };
  // Unreachable, slow or nonsense: the registered ResponseType decides.
  return { verdict: registration.responseType === 'Completed' ? 'accepted' : 'cancelled', delivery };
}

/** A customer pays: M-Pesa validates with the merchant (when enabled) and then confirms. */
export async function payC2b(context: SimulatorContext, input: unknown): Promise<C2bPaymentRecord> {
  const request = payInputSchema.parse(input);
  const amountCents = amountToCents(request.amount);
  if (amountCents === null || amountCents < 100)
    throw new Error('amount must be at least 1 shilling, 2 decimals');
  const configured = context.options.shortcodes.find((item) => item.shortcode === request.shortcode);
  if (configured === undefined) throw new Error(`unknown shortcode ${request.shortcode}`);
  const registration = context.state.registration(request.shortcode);
  if (registration === undefined) throw new Error(`no C2B URLs registered for ${request.shortcode}`);
  const isTill = configured.kind === 'till';
  // A till takes no account number; a paybill needs one (M-Pesa's menu asks for it).
  if (isTill && request.billRefNumber) throw new Error('a till payment has no account number');
  if (!isTill && !request.billRefNumber) throw new Error('a paybill payment needs an account number');
  const body: C2bBody = {
    // "Buy Goods or Pay Bill" (Daraja, Customer To Business (C2B), Callback Parameter Definition).
    TransactionType: isTill ? 'Buy Goods' : 'Pay Bill',
    TransID: newReceiptNumber(),
    TransTime: darajaTimestamp(context.options.now()),
    TransAmount: centsToAmount(amountCents),
    BusinessShortCode: request.shortcode,
    BillRefNumber: request.billRefNumber ?? '',
    InvoiceNumber: '',
    OrgAccountBalance: '',
    ThirdPartyTransID: '',
    MSISDN: hiddenMsisdn(request.msisdn, registration.apiVersion),
    FirstName: request.firstName ?? 'John',
    MiddleName: '',
    LastName: 'Doe',
  };
  let validation: CallbackDelivery | undefined;
  if (configured.externalValidation !== false) {
    const checked = await validate(context, registration, body);
    validation = checked.delivery;
    if (checked.verdict !== 'accepted') {
      const record: C2bPaymentRecord = {
        transId: body.TransID,
        outcome: checked.verdict,
        body,
        validation,
        confirmations: [],
      };
      context.state.addC2bPayment(record);
      return record;
    }
  }
  const balanceCents = context.state.credit(request.shortcode, amountCents);
  const confirmation: C2bBody = { ...body, OrgAccountBalance: centsToAmount(balanceCents) };
  context.state.addPayment({
    receipt: confirmation.TransID,
    shortcode: request.shortcode,
    msisdn: request.msisdn,
    amountCents,
    transactionDate: confirmation.TransTime,
    reasonType: confirmation.TransactionType,
  });
  const confirmations: CallbackDelivery[] = [];
  for (let copy = 1; copy <= 1 + context.settings.duplicateCallbacks; copy += 1) {
    const outcome = await context.post(registration.confirmationUrl, confirmation);
    confirmations.push({ url: registration.confirmationUrl, copy, at: context.options.now(), ...outcome });
  }
  const record: C2bPaymentRecord = {
    transId: confirmation.TransID,
    outcome: 'confirmed',
    body: confirmation,
    validation,
    confirmations,
  };
  context.state.addC2bPayment(record);
  return record;
}

function statusResult(
  context: SimulatorContext,
  transactionId: string | undefined,
  ids: Record<string, string>,
) {
  const payment = transactionId === undefined ? undefined : context.state.payment(transactionId);
  if (payment === undefined) {
    // The simulator's own wording: Daraja's answer for an unknown receipt is not documented.
    return {
      Result: {
        ResultType: 0,
        ResultCode: 1,
        ResultDesc: 'The transaction could not be found.',
        ...ids,
        TransactionID: transactionId ?? '',
      },
    };
  }
  const parameters = [
    { Key: 'DebitPartyName', Value: `${payment.msisdn} - John Doe` },
    { Key: 'CreditPartyName', Value: `${payment.shortcode} - Kiunga Simulator` },
    { Key: 'OriginatorConversationID', Value: ids['OriginatorConversationID'] },
    { Key: 'InitiatedTime', Value: Number(payment.transactionDate) },
    { Key: 'DebitAccountType', Value: 'MMF Account For Customer' },
    { Key: 'DebitPartyCharges' },
    { Key: 'TransactionReason' },
    { Key: 'ReasonType', Value: payment.reasonType },
    { Key: 'TransactionStatus', Value: 'Completed' },
    { Key: 'FinalisedTime', Value: Number(payment.transactionDate) },
    { Key: 'Amount', Value: payment.amountCents / 100 },
    { Key: 'ConversationID', Value: ids['ConversationID'] },
    { Key: 'ReceiptNo', Value: payment.receipt },
  ];
  return {
    Result: {
      ResultType: 0,
      ResultCode: 0,
      ResultDesc: 'The service request is processed successfully.',
      ...ids,
      TransactionID: payment.receipt,
      ResultParameters: { ResultParameter: parameters },
      ReferenceData: { ReferenceItem: { Key: 'Occasion', Value: '' } },
    },
  };
}

export function handleTransactionStatus(context: SimulatorContext, body: unknown): HandlerResult {
  const parsed = transactionStatusRequestSchema.safeParse(body);
  if (!parsed.success) return badRequest(String(parsed.error.issues[0]?.path[0] ?? 'TransactionID'));
  const request = parsed.data;
  const ids = {
    OriginatorConversationID: request.OriginatorConversationID ?? newRequestId(),
    ConversationID: `AG_${darajaTimestamp(context.options.now()).slice(0, 8)}_${newReceiptNumber().toLowerCase()}`,
  };
  const record = { request, ...ids, deliveries: [] as CallbackDelivery[] };
  context.state.addStatusQuery(record);
  context.schedule(context.settings.callbackDelayMs, async () => {
    const result = statusResult(context, request.TransactionID, ids);
    const outcome = await context.post(request.ResultURL, result);
    record.deliveries.push({ url: request.ResultURL, copy: 1, at: context.options.now(), ...outcome });
  });
  return {
    status: 200,
    body: { ...ids, ResponseCode: '0', ResponseDescription: 'Accept the service request successfully.' },
  };
}
