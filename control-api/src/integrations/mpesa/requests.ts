// The bodies of our Daraja requests, checked against Daraja's documented limits before anything is sent.
import { DarajaError } from './errors';
import { stkPassword } from './timestamp';

export const DarajaPath = {
  oauth: '/oauth/v1/generate?grant_type=client_credentials',
  stkPush: '/mpesa/stkpush/v1/processrequest',
  stkQuery: '/mpesa/stkpushquery/v1/query',
  /** Daraja, Customer To Business (C2B), Environments: the current product is v2; v1 apps keep the v1 path. */
  c2bRegisterUrlV2: '/mpesa/c2b/v2/registerurl',
  c2bRegisterUrlV1: '/mpesa/c2b/v1/registerurl',
  transactionStatus: '/mpesa/transactionstatus/v1/query',
} as const;

/** Daraja documents AccountReference as at most 12 characters. */
export const ACCOUNT_REFERENCE_LENGTH_MAX = 12;
/** Daraja documents TransactionDesc as 1 to 13 characters. */
export const TRANSACTION_DESC_LENGTH_MAX = 13;
/** Safaricom's limit for one M-Pesa transaction (Ksh 250,000 since 2024); Daraja refuses more. */
export const STK_AMOUNT_MAX_SHILLINGS = 250_000;
/** Remarks and Occasion of a transaction status query: "a sequence of characters up to 100". */
export const REMARKS_LENGTH_MAX = 100;
const NORMALISED_PHONE = /^254[17]\d{8}$/;
const SHORTCODE = /^\d{5,9}$/;

/** The C2B API product a Daraja app is subscribed to; it decides the Register URL path. */
export type C2bApiVersion = 'v1' | 'v2';
export const C2B_API_VERSIONS: readonly C2bApiVersion[] = ['v2', 'v1'];

export function c2bRegisterPath(version: C2bApiVersion): string {
  return version === 'v1' ? DarajaPath.c2bRegisterUrlV1 : DarajaPath.c2bRegisterUrlV2;
}

export type StkTransactionType = 'CustomerPayBillOnline' | 'CustomerBuyGoodsOnline';

export interface StkPushInput {
  /** BusinessShortCode: the paybill, or for buy goods the store (head office) number. */
  readonly shortcode: string;
  readonly passkey: string;
  /** Whole shillings, an integer ≥ 1 (Daraja takes no cents). */
  readonly amount: number;
  /** Normalised 2547XXXXXXXX / 2541XXXXXXXX (see normaliseKenyanPhone). */
  readonly phone: string;
  /** Absolute URL Daraja posts the result to. */
  readonly callbackUrl: string;
  readonly accountReference: string;
  readonly description: string;
  readonly transactionType: StkTransactionType;
  /** Who receives the money: the till for buy goods; defaults to `shortcode`. */
  readonly partyB?: string;
}

export interface StkQueryInput {
  readonly shortcode: string;
  readonly passkey: string;
  readonly checkoutRequestId: string;
}

export interface C2bRegisterInput {
  readonly shortcode: string;
  /** The C2B product of the app: v2 (masked MSISDN) unless the app was subscribed to v1 (hashed MSISDN). */
  readonly apiVersion: C2bApiVersion;
  /** What M-Pesa does when our validation URL does not answer in time. */
  readonly responseType: 'Completed' | 'Cancelled';
  /** Checked against Daraja's URL rules (callback-urls.ts) before anything is sent. */
  readonly confirmationUrl: string;
  readonly validationUrl: string;
}

export interface TransactionStatusInput {
  readonly initiator: string;
  /** The initiator password encrypted with Safaricom's certificate, base64. */
  readonly securityCredential: string;
  /** The M-Pesa receipt (TransID / MpesaReceiptNumber); or give `originatorConversationId`. */
  readonly transactionId?: string;
  readonly originatorConversationId?: string;
  /** Shortcode (or MSISDN) that received the transaction. */
  readonly partyA: string;
  /** 4 = organisation shortcode, 2 = till number, 1 = MSISDN. */
  readonly identifierType: 1 | 2 | 4;
  readonly resultUrl: string;
  readonly queueTimeOutUrl: string;
  readonly remarks: string;
  readonly occasion?: string;
}

function invalidRequest(path: string, message: string): DarajaError {
  return new DarajaError('invalid_request', path, message);
}

function requireAbsoluteUrl(path: string, name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidRequest(path, `${name} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidRequest(path, `${name} must be http(s)`);
}

function requireShortcode(path: string, name: string, value: string): void {
  if (!SHORTCODE.test(value)) throw invalidRequest(path, `${name} must be 5 to 9 digits`);
}

function requireText(path: string, name: string, value: string, lengthMax: number): void {
  if (value.length === 0 || value.length > lengthMax) {
    throw invalidRequest(path, `${name} must be 1 to ${lengthMax} characters`);
  }
}

/** The M-Pesa Express body; numbers where Daraja's own samples put numbers (they fit a double exactly). */
export function stkPushBody(input: StkPushInput, timestamp: string): Record<string, unknown> {
  const path = DarajaPath.stkPush;
  requireShortcode(path, 'shortcode', input.shortcode);
  const partyB = input.partyB ?? input.shortcode;
  requireShortcode(path, 'partyB', partyB);
  if (!Number.isSafeInteger(input.amount) || input.amount < 1 || input.amount > STK_AMOUNT_MAX_SHILLINGS) {
    throw invalidRequest(path, `amount must be whole shillings from 1 to ${STK_AMOUNT_MAX_SHILLINGS}`);
  }
  if (!NORMALISED_PHONE.test(input.phone))
    throw invalidRequest(path, 'phone must be 2547XXXXXXXX or 2541XXXXXXXX');
  requireAbsoluteUrl(path, 'callbackUrl', input.callbackUrl);
  requireText(path, 'accountReference', input.accountReference, ACCOUNT_REFERENCE_LENGTH_MAX);
  requireText(path, 'description', input.description, TRANSACTION_DESC_LENGTH_MAX);
  return {
    BusinessShortCode: Number(input.shortcode),
    Password: stkPassword(input.shortcode, input.passkey, timestamp),
    Timestamp: timestamp,
    TransactionType: input.transactionType,
    Amount: input.amount,
    PartyA: Number(input.phone),
    PartyB: Number(partyB),
    PhoneNumber: Number(input.phone),
    CallBackURL: input.callbackUrl,
    AccountReference: input.accountReference,
    TransactionDesc: input.description,
  };
}

export function stkQueryBody(input: StkQueryInput, timestamp: string): Record<string, unknown> {
  const path = DarajaPath.stkQuery;
  requireShortcode(path, 'shortcode', input.shortcode);
  requireText(path, 'checkoutRequestId', input.checkoutRequestId, 200);
  return {
    BusinessShortCode: Number(input.shortcode),
    Password: stkPassword(input.shortcode, input.passkey, timestamp),
    Timestamp: timestamp,
    CheckoutRequestID: input.checkoutRequestId,
  };
}

export function c2bRegisterBody(input: C2bRegisterInput): Record<string, unknown> {
  const path = c2bRegisterPath(input.apiVersion);
  requireShortcode(path, 'shortcode', input.shortcode);
  requireAbsoluteUrl(path, 'confirmationUrl', input.confirmationUrl);
  requireAbsoluteUrl(path, 'validationUrl', input.validationUrl);
  return {
    ShortCode: input.shortcode,
    ResponseType: input.responseType,
    ConfirmationURL: input.confirmationUrl,
    ValidationURL: input.validationUrl,
  };
}

export function transactionStatusBody(input: TransactionStatusInput): Record<string, unknown> {
  const path = DarajaPath.transactionStatus;
  if (input.transactionId === undefined && input.originatorConversationId === undefined) {
    throw invalidRequest(path, 'transactionId or originatorConversationId is required');
  }
  requireText(path, 'initiator', input.initiator, 100);
  requireText(path, 'securityCredential', input.securityCredential, 4096);
  requireText(path, 'remarks', input.remarks, REMARKS_LENGTH_MAX);
  if (input.occasion !== undefined && input.occasion.length > REMARKS_LENGTH_MAX) {
    throw invalidRequest(path, `occasion must be at most ${REMARKS_LENGTH_MAX} characters`);
  }
  requireAbsoluteUrl(path, 'resultUrl', input.resultUrl);
  requireAbsoluteUrl(path, 'queueTimeOutUrl', input.queueTimeOutUrl);
  return {
    Initiator: input.initiator,
    SecurityCredential: input.securityCredential,
    CommandID: 'TransactionStatusQuery',
    ...(input.transactionId === undefined ? {} : { TransactionID: input.transactionId }),
    ...(input.originatorConversationId === undefined
      ? {}
      : { OriginatorConversationID: input.originatorConversationId }),
    PartyA: input.partyA,
    IdentifierType: input.identifierType,
    ResultURL: input.resultUrl,
    QueueTimeOutURL: input.queueTimeOutUrl,
    Remarks: input.remarks,
    Occasion: input.occasion ?? '',
  };
}
