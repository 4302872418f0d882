// Parsing the callbacks Daraja posts to us (STK result, C2B validation/confirmation, status result) and our answers.
import type { Cents } from '@kiunga/schemas';
import type { z } from 'zod';
import { parseMpesaAmount } from './amounts';
import { type C2bRejectionCode, classifyStkResult, type StkOutcome, StkResultCode } from './result-codes';
import {
  type C2bRequest,
  c2bRequestSchema,
  type StkCallback,
  type StkCallbackBody,
  stkCallbackSchema,
  type TransactionStatusResult,
  transactionStatusResultSchema,
} from './schemas';
import { parseDarajaTimestamp } from './timestamp';

export type CallbackParseResult<T> = { ok: true; value: T } | { ok: false; issues: string };

function parseWith<T>(schema: z.ZodType<T>, body: unknown): CallbackParseResult<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, issues };
}

export function parseStkCallback(body: unknown): CallbackParseResult<StkCallbackBody> {
  return parseWith(stkCallbackSchema, body);
}

/** The stkCallback of an STK result body as it arrived, or null when it is not JSON of that shape. */
export function stkCallbackFromText(rawBody: string): StkCallback | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return null;
  }
  const parsed = parseStkCallback(body);
  return parsed.ok ? parsed.value.Body.stkCallback : null;
}

export function parseC2bRequest(body: unknown): CallbackParseResult<C2bRequest> {
  return parseWith(c2bRequestSchema, body);
}

export function parseTransactionStatusResult(body: unknown): CallbackParseResult<TransactionStatusResult> {
  return parseWith(transactionStatusResultSchema, body);
}

/** The payment an STK callback with ResultCode 0 reports. */
export interface StkPayment {
  readonly amount: Cents;
  readonly mpesaReceiptNumber: string;
  /** As sent (YYYYMMDDHHmmss, Nairobi time), and as epoch milliseconds. */
  readonly transactionDate: string;
  readonly transactionDateMs: number;
  /** The paying MSISDN as Daraja sent it (2547XXXXXXXX). */
  readonly phoneNumber: string;
}

export type StkCallbackReading =
  | { readonly kind: 'paid'; readonly payment: StkPayment }
  | { readonly kind: 'failed'; readonly outcome: Exclude<StkOutcome, 'paid'>; readonly resultCode: number }
  /** ResultCode 0 without the metadata a payment needs: store it raw and look into it, never credit it. */
  | { readonly kind: 'malformed'; readonly reason: string };

function metadataValue(callback: StkCallback, name: string): string | number | undefined {
  return callback.CallbackMetadata?.Item.find((item) => item.Name === name)?.Value;
}

/** What an STK callback means: a payment (Amount, MpesaReceiptNumber, TransactionDate, PhoneNumber) or a failure. */
export function readStkCallback(callback: StkCallback): StkCallbackReading {
  if (callback.ResultCode !== StkResultCode.Success) {
    const outcome = classifyStkResult(callback.ResultCode);
    return {
      kind: 'failed',
      outcome: outcome === 'paid' ? 'failed' : outcome,
      resultCode: callback.ResultCode,
    };
  }
  const amountValue = metadataValue(callback, 'Amount');
  const receipt = metadataValue(callback, 'MpesaReceiptNumber');
  const dateValue = metadataValue(callback, 'TransactionDate');
  const phone = metadataValue(callback, 'PhoneNumber');
  const amount = amountValue === undefined ? null : parseMpesaAmount(amountValue);
  if (amount === null || amount <= 0) return { kind: 'malformed', reason: 'Amount missing or not an amount' };
  if (typeof receipt !== 'string' || !/^[A-Z0-9]{6,20}$/.test(receipt)) {
    return { kind: 'malformed', reason: 'MpesaReceiptNumber missing or malformed' };
  }
  const transactionDateMs = dateValue === undefined ? null : parseDarajaTimestamp(dateValue);
  if (transactionDateMs === null)
    return { kind: 'malformed', reason: 'TransactionDate missing or malformed' };
  if (phone === undefined || !/^\d{9,15}$/.test(String(phone))) {
    return { kind: 'malformed', reason: 'PhoneNumber missing or malformed' };
  }
  return {
    kind: 'paid',
    payment: {
      amount,
      mpesaReceiptNumber: receipt,
      transactionDate: String(dateValue),
      transactionDateMs,
      phoneNumber: String(phone),
    },
  };
}

/** A C2B validation or confirmation in our terms; the schema guaranteed amount and time are well formed. */
export interface C2bPayment {
  readonly transId: string;
  readonly transactionType: string;
  readonly amount: Cents;
  readonly transTimeMs: number;
  readonly businessShortCode: string;
  /** The account reference the customer typed (subscriber account number, voucher or phone). */
  readonly billRefNumber: string;
  readonly msisdn: string;
  readonly customerName: string;
}

export function readC2bRequest(request: C2bRequest): C2bPayment {
  const amount = parseMpesaAmount(request.TransAmount);
  const transTimeMs = parseDarajaTimestamp(request.TransTime);
  // The schema refused bodies where either fails to parse; reaching here without them is a bug.
  if (amount === null || transTimeMs === null)
    throw new Error('c2bRequestSchema let a malformed body through');
  return {
    transId: request.TransID,
    transactionType: request.TransactionType,
    amount,
    transTimeMs,
    businessShortCode: request.BusinessShortCode,
    billRefNumber: request.BillRefNumber.trim(),
    msisdn: request.MSISDN,
    customerName: [request.FirstName, request.MiddleName, request.LastName]
      .filter((part) => part !== '')
      .join(' '),
  };
}

/** Key → Value of a transaction status result's ResultParameters (DebitPartyName, Amount, ReceiptNo, …). */
export function readResultParameters(result: TransactionStatusResult): ReadonlyMap<string, string | number> {
  const parameters = new Map<string, string | number>();
  for (const parameter of result.Result.ResultParameters?.ResultParameter ?? []) {
    const value = parameter.Value;
    if (typeof value === 'string' || typeof value === 'number') parameters.set(parameter.Key, value);
  }
  return parameters;
}

/** Our answer to every STK callback once it is stored, duplicates included (the public contract). */
export const STK_CALLBACK_ACCEPTED = Object.freeze({ ResultCode: 0, ResultDesc: 'Accepted' });

/** Our answer to a C2B validation we accept. */
export const C2B_VALIDATION_ACCEPTED = Object.freeze({ ResultCode: '0', ResultDesc: 'Accepted' });

/** Our answer to a C2B validation we refuse, with one of Daraja's documented rejection codes. */
export function c2bValidationRejected(code: C2bRejectionCode): {
  ResultCode: C2bRejectionCode;
  ResultDesc: string;
} {
  return { ResultCode: code, ResultDesc: 'Rejected' };
}

/** Our answer to a C2B confirmation once it is stored. */
export const C2B_CONFIRMATION_ACCEPTED = Object.freeze({ ResultCode: '0', ResultDesc: 'Accepted' });
