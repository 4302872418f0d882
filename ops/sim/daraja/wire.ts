// Daraja's wire format as the simulator checks it: request schemas, timestamps, passwords, amounts, ids, errors.
// Written apart from control-api's client on purpose: one shared mistake would make both agree and both be wrong.
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
export const MSISDN = /^254[17]\d{8}$/;
const SHORTCODE = /^\d{5,9}$/;
/**
 * Daraja filters URLs holding these words, in any case: "Avoid using keywords such as M-PESA, M-Pesa,
 * mpesa, Safaricom, exe, exec, cmd, sql, query, or any of their variants" (Safaricom Daraja, Customer To
 * Business (C2B), URL Requirements and FAQ 8; the older Register URL page: the same "also apply to the
 * Callback URLs used on other APIs").
 */
const FORBIDDEN_URL_WORDS = ['m-pesa', 'mpesa', 'safaricom', 'exe', 'exec', 'cmd', 'sql', 'query'];
const RECEIPT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Daraja sends many numeric fields as JSON numbers in samples and strings in practice; take both. */
const digits = z.union([z.string(), z.number().int().nonnegative()]).transform(String);

function absoluteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Whether Daraja would take `value` as a URL to post to: absolute, none of the filtered words, and
 * https ("Production URLs must be HTTPS", same page). Plain http is allowed only to a loopback host:
 * Safaricom never posts to one (it refuses localhost outright), so only tests and the demo, which
 * cannot have a certificate, use it, while any address a real deployment would give is held to https.
 */
export function isCallbackUrlAllowed(value: string): boolean {
  if (!absoluteUrl(value)) return false;
  const lower = value.toLowerCase();
  if (FORBIDDEN_URL_WORDS.some((word) => lower.includes(word))) return false;
  return value.startsWith('https:') || isLoopbackUrl(value);
}

export const stkPushRequestSchema = z.object({
  BusinessShortCode: digits.pipe(z.string().regex(SHORTCODE)),
  Password: z.string().min(1),
  Timestamp: z.string().regex(TIMESTAMP),
  TransactionType: z.enum(['CustomerPayBillOnline', 'CustomerBuyGoodsOnline']),
  Amount: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1)),
  PartyA: digits.pipe(z.string().regex(MSISDN)),
  PartyB: digits.pipe(z.string().regex(SHORTCODE)),
  PhoneNumber: digits.pipe(z.string().regex(MSISDN)),
  CallBackURL: z.string().refine(isCallbackUrlAllowed),
  AccountReference: z.string().min(1).max(12),
  TransactionDesc: z.string().min(1).max(13),
});
export type StkPushRequest = z.infer<typeof stkPushRequestSchema>;

export const stkQueryRequestSchema = z.object({
  BusinessShortCode: digits.pipe(z.string().regex(SHORTCODE)),
  Password: z.string().min(1),
  Timestamp: z.string().regex(TIMESTAMP),
  CheckoutRequestID: z.string().min(1),
});

export const c2bRegisterRequestSchema = z.object({
  ShortCode: digits.pipe(z.string().regex(SHORTCODE)),
  ResponseType: z.enum(['Completed', 'Cancelled']),
  ConfirmationURL: z.string().refine(isCallbackUrlAllowed),
  ValidationURL: z.string().refine(isCallbackUrlAllowed),
});

export const transactionStatusRequestSchema = z
  .object({
    Initiator: z.string().min(1),
    SecurityCredential: z.string().min(1),
    CommandID: z.literal('TransactionStatusQuery'),
    TransactionID: z.string().min(1).optional(),
    OriginatorConversationID: z.string().min(1).optional(),
    PartyA: digits,
    IdentifierType: z
      .union([z.number(), z.string()])
      .transform(String)
      .pipe(z.enum(['1', '2', '4'])),
    ResultURL: z.string().refine(isCallbackUrlAllowed),
    QueueTimeOutURL: z.string().refine(isCallbackUrlAllowed),
    Remarks: z.string().min(1).max(100),
    Occasion: z.string().max(100).optional(),
  })
  .refine((body) => body.TransactionID !== undefined || body.OriginatorConversationID !== undefined);

/** Nairobi wall time as YYYYMMDDHHmmss. */
export function darajaTimestamp(epochMs: number): string {
  return new Date(epochMs + EAT_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function timestampToEpochMs(timestamp: string): number | null {
  const match = TIMESTAMP.exec(timestamp);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  const wallMs = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  return darajaTimestamp(wallMs - EAT_OFFSET_MS) === timestamp ? wallMs - EAT_OFFSET_MS : null;
}

export function expectedPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(shortcode + passkey + timestamp).toString('base64');
}

/** Integer cents from "10.00", "10", 10 or 10.5 by digits; null for anything else. */
export function amountToCents(value: string | number): number | null {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text);
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

export function centsToAmount(cents: number): string {
  return `${Math.trunc(cents / 100)}.${(cents % 100).toString().padStart(2, '0')}`;
}

/** Ten characters of capitals and digits, starting with a letter, like an M-Pesa receipt (TransID). */
export function newReceiptNumber(): string {
  const bytes = randomBytes(10);
  let receipt = RECEIPT_ALPHABET[(bytes[0] ?? 0) % 26] ?? 'S';
  for (let index = 1; index < 10; index += 1) {
    receipt += RECEIPT_ALPHABET[(bytes[index] ?? 0) % RECEIPT_ALPHABET.length];
  }
  return receipt;
}

export function newRequestId(): string {
  return `${randomBytes(2).readUInt16BE()}-${randomBytes(4).readUInt32BE()}-1`;
}

/** Daraja's error body: `{requestId, errorCode, errorMessage}`. */
export function errorBody(errorCode: string, errorMessage: string): Record<string, string> {
  return { requestId: newRequestId(), errorCode, errorMessage };
}

export function badRequest(field: string): { status: number; body: Record<string, string> } {
  return { status: 400, body: errorBody('400.002.02', `Bad Request - Invalid ${field}`) };
}

export function isLoopbackUrl(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

/**
 * The answer of Daraja's gateway to a call on an API product the app is not subscribed to (e.g. C2B
 * v1 for a v2 app): HTTP 401 with code 401.003.01, as reported at
 * github.com/safaricom/mpesa-node-library/issues/56 and osenco/osen-wc-mpesa/issues/69.
 */
export function noApiProductMatch(): { status: number; body: Record<string, string> } {
  return {
    status: 401,
    body: errorBody(
      '401.003.01',
      'Error Occurred - Invalid Access Token - Invalid API call as no apiproduct match found',
    ),
  };
}

/**
 * How C2B v2 sends the payer's number: masked, "2547 ***** 126"; v1 sends its SHA-256 in hex
 * (Daraja, Customer To Business (C2B), FAQ 3 and Callback Parameter Definition).
 */
export function hiddenMsisdn(msisdn: string, version: 'v1' | 'v2'): string {
  if (version === 'v1') return createHash('sha256').update(msisdn).digest('hex');
  return `${msisdn.slice(0, 4)} ***** ${msisdn.slice(-3)}`;
}
