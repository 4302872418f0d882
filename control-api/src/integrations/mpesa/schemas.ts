// zod schemas of what Daraja sends us: answers to our calls and the callbacks it posts, in its field names.
import { z } from 'zod';
import { parseMpesaAmount } from './amounts';
import { parseDarajaTimestamp } from './timestamp';

/** Daraja sends codes as "0" in some answers and 0 in others; we keep them as strings. */
const codeString = z.union([z.string(), z.number()]).transform((value) => String(value));
/** ResultCode is numeric in STK callbacks and a numeric string in query answers; we keep a number. */
const numericCode = z.union([z.number().int(), z.string().regex(/^-?\d{1,9}$/)]).transform(Number);
/** A callback with more items than this is not one Daraja sends (it sends five). */
const CALLBACK_ITEMS_MAX = 50;
/** Transaction status results carry about fifteen parameters. */
const RESULT_PARAMETERS_MAX = 100;
const identifier = z.string().min(1).max(200);
const text = z.string().max(1000);

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1).max(2000),
  // Documented as the string "3599"; tolerate a number.
  expires_in: z.union([z.string().regex(/^\d{1,9}$/), z.number().int().nonnegative()]).transform(Number),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** The body of a Daraja error answer (4xx/5xx). Every field optional: gateways sometimes send less. */
export const errorBodySchema = z.object({
  requestId: z.string().optional(),
  errorCode: codeString.optional(),
  errorMessage: z.string().optional(),
});

export const stkPushResponseSchema = z.object({
  MerchantRequestID: identifier,
  CheckoutRequestID: identifier,
  ResponseCode: codeString,
  ResponseDescription: text,
  CustomerMessage: text,
});
export type StkPushResponse = z.infer<typeof stkPushResponseSchema>;

export const stkQueryResponseSchema = z.object({
  ResponseCode: codeString,
  ResponseDescription: text,
  MerchantRequestID: identifier,
  CheckoutRequestID: identifier,
  ResultCode: numericCode,
  ResultDesc: text,
});
export type StkQueryResponse = z.infer<typeof stkQueryResponseSchema>;

export const c2bRegisterResponseSchema = z
  .object({
    // Daraja's own answer spells it "OriginatorCoversationID"; accept the correct spelling too.
    OriginatorCoversationID: z.string().optional(),
    OriginatorConversationID: z.string().optional(),
    ResponseCode: codeString,
    ResponseDescription: text,
  })
  .transform((body) => ({
    OriginatorConversationID: body.OriginatorConversationID ?? body.OriginatorCoversationID ?? '',
    ResponseCode: body.ResponseCode,
    ResponseDescription: body.ResponseDescription,
  }));
export type C2bRegisterResponse = z.infer<typeof c2bRegisterResponseSchema>;

export const transactionStatusResponseSchema = z.object({
  OriginatorConversationID: identifier,
  ConversationID: identifier,
  ResponseCode: codeString,
  ResponseDescription: text,
});
export type TransactionStatusResponse = z.infer<typeof transactionStatusResponseSchema>;

const callbackItemSchema = z.object({
  Name: z.string().max(100),
  // "Balance" comes with no Value at all.
  Value: z.union([z.string().max(200), z.number()]).optional(),
});
export type StkCallbackItem = z.infer<typeof callbackItemSchema>;

export const stkCallbackSchema = z.object({
  Body: z.object({
    stkCallback: z.object({
      MerchantRequestID: identifier,
      CheckoutRequestID: identifier,
      ResultCode: numericCode,
      ResultDesc: text,
      CallbackMetadata: z.object({ Item: z.array(callbackItemSchema).max(CALLBACK_ITEMS_MAX) }).optional(),
    }),
  }),
});
export type StkCallbackBody = z.infer<typeof stkCallbackSchema>;
export type StkCallback = StkCallbackBody['Body']['stkCallback'];

const optionalText = z
  .union([z.string().max(200), z.number(), z.null()])
  .optional()
  .transform((value) => (value === undefined || value === null ? '' : String(value)));

/** The body M-Pesa posts to the C2B validation and to the confirmation URL (the same shape for both). */
export const c2bRequestSchema = z.object({
  TransactionType: z.string().max(100),
  TransID: z.string().min(1).max(40),
  TransTime: z
    .union([z.string(), z.number()])
    .transform(String)
    .refine((value) => parseDarajaTimestamp(value) !== null, 'TransTime is not YYYYMMDDHHmmss'),
  TransAmount: z
    .union([z.string(), z.number()])
    .refine(
      (value) => parseMpesaAmount(value) !== null,
      'TransAmount is not an amount with at most 2 decimals',
    )
    .transform(String),
  BusinessShortCode: z.union([z.string().min(1).max(20), z.number().int()]).transform(String),
  BillRefNumber: optionalText,
  InvoiceNumber: optionalText,
  OrgAccountBalance: optionalText,
  ThirdPartyTransID: optionalText,
  // Production Daraja masks or hashes the MSISDN, so any short string is accepted here.
  MSISDN: z.union([z.string().max(200), z.number()]).transform(String),
  FirstName: optionalText,
  MiddleName: optionalText,
  LastName: optionalText,
});
export type C2bRequest = z.infer<typeof c2bRequestSchema>;

const resultParameterSchema = z.object({
  Key: z.string().max(100),
  Value: z.union([z.string().max(500), z.number(), z.boolean(), z.null()]).optional(),
});
/** Daraja sends a list, or a single object when there is only one entry. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z
    .union([z.array(item).max(RESULT_PARAMETERS_MAX), item])
    .transform((value) => (Array.isArray(value) ? value : [value]));

/** The asynchronous result of a transaction status query, posted to its ResultURL. */
export const transactionStatusResultSchema = z.object({
  Result: z.object({
    ResultType: numericCode.optional(),
    ResultCode: numericCode,
    ResultDesc: text,
    OriginatorConversationID: z.string().max(200),
    ConversationID: z.string().max(200),
    TransactionID: z.string().max(200).optional(),
    ResultParameters: z.object({ ResultParameter: oneOrMany(resultParameterSchema) }).optional(),
    ReferenceData: z.object({ ReferenceItem: oneOrMany(resultParameterSchema) }).optional(),
  }),
});
export type TransactionStatusResult = z.infer<typeof transactionStatusResultSchema>;
