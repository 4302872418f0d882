// A thin typed client of the Xero Accounting API 2.0 for the accounting sync: contacts, sales invoices
// (create, void), payments on invoices, overpayments, credit notes with allocations, and refunds paid
// out of a credit note or overpayment. Every write carries an Idempotency-Key.
//
// Wire format: XeroAPI/Xero-OpenAPI xero_accounting.yaml 16.1.0 — server https://api.xero.com/api.xro/2.0,
// every call sends `xero-tenant-id` (parameters/requiredHeader), creates are PUT /Invoices, /Payments,
// /CreditNotes, /BankTransactions, /Contacts and PUT /CreditNotes/{id}/Allocations with the collection as
// JSON ({"Invoices":[…]}); an invoice is voided by POST /Invoices/{InvoiceID} with Status VOIDED.
// Idempotency-Key (parameters/idempotencyKey): "safely retry requests without the risk of duplicate
// processing. 128 character max." Validation errors: HTTP 400 with schema Error (ErrorNumber 10,
// Type ValidationException, Elements[].ValidationErrors[].Message); we ask summarizeErrors=true so a
// refused element is never hidden in a 200. Rate limits (Xero FAQ / "OAuth 2.0 API limits"): 429 with
// Retry-After in seconds.
import type { Clock } from '@kiunga/schemas';
import type { z } from 'zod';
import { vendorAmountOf } from '../accounting-common/amounts';
import { AccountingApiError, errorKindOfStatus, type VendorErrorItem } from '../accounting-common/errors';
import type { AccessTokenKeeper } from '../accounting-common/oauth2';
import { parseRetryAfter } from '../accounting-common/retry-after';
import { type JsonEndpoint, type JsonMethod, type JsonResponse, jsonEndpoint } from '../http-json';
import {
  allocationSchema,
  bankTransactionSchema,
  connectionSchema,
  contactSchema,
  creditNoteSchema,
  errorBodySchema,
  invoiceSchema,
  paymentSchema,
  problemBodySchema,
  type XeroAllocation,
  type XeroBankTransaction,
  type XeroConnection,
  type XeroContact,
  type XeroCreditNote,
  type XeroInvoice,
  type XeroPayment,
} from './schemas';

export const XERO_ACCOUNTING_PATH = '/api.xro/2.0';
export const XERO_CONNECTIONS_PATH = '/connections';
/** parameters/idempotencyKey: 128 character max. */
export const IDEMPOTENCY_KEY_CHARS_MAX = 128;
/** Contact.ContactNumber: "max length = 50". */
export const CONTACT_NUMBER_CHARS_MAX = 50;
/** Contact.Name: "max length = 255". */
export const CONTACT_NAME_CHARS_MAX = 255;
/** Invoice.InvoiceNumber and Reference: "max length = 255". */
export const DOCUMENT_TEXT_CHARS_MAX = 255;
/** Answers echo the created element with its contact; a where-query of one contact likewise. */
const RESPONSE_BODY_CHARS_MAX = 512 * 1024;
/** Scopes the sync needs (Xero "Scopes"): offline_access for a refresh token, transactions and contacts. */
export const XERO_SCOPES = ['offline_access', 'accounting.transactions', 'accounting.contacts'] as const;

export interface XeroClientOptions {
  /** `KIUNGA_XERO_BASE_URL`: https://api.xero.com or the simulator (the API path is appended). */
  readonly baseUrl: string;
  /** The organisation (tenantId from GET /connections) the ISP connected. */
  readonly tenantId: string;
  readonly tokens: AccessTokenKeeper;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

export interface XeroLineInput {
  readonly description: string;
  readonly amountCents: number;
}

export interface XeroSalesDocumentInput {
  readonly contactId: string;
  /** YYYY-MM-DD in the organisation's calendar. */
  readonly date: string;
  readonly lines: readonly XeroLineInput[];
  /** Revenue account code every line books to: a connection setting. */
  readonly accountCode: string;
  /** Kiunga's id, searchable later. */
  readonly reference: string;
}

export interface CreateXeroInvoiceInput extends XeroSalesDocumentInput {
  readonly invoiceNumber: string;
  readonly dueDate: string;
}

export interface CreateXeroCreditNoteInput extends XeroSalesDocumentInput {
  readonly creditNoteNumber: string;
}

/** What a payment settles or pays out of: an invoice (money in), a credit note or overpayment (a refund out). */
export type XeroPaymentTarget =
  | { readonly kind: 'invoice'; readonly invoiceId: string }
  | { readonly kind: 'credit_note'; readonly creditNoteId: string }
  | { readonly kind: 'overpayment'; readonly overpaymentId: string };

export interface CreateXeroPaymentInput {
  readonly target: XeroPaymentTarget;
  /** The bank (or M-Pesa clearing) account's code the money moves through. */
  readonly bankAccountCode: string;
  readonly date: string;
  readonly amountCents: number;
  readonly reference: string;
}

export interface CreateXeroOverpaymentInput {
  readonly contactId: string;
  readonly bankAccountCode: string;
  readonly date: string;
  readonly amountCents: number;
  readonly description: string;
}

export class XeroClient {
  private readonly send: JsonEndpoint;
  private readonly options: XeroClientOptions;

  constructor(options: XeroClientOptions) {
    if (options.tenantId === '') throw new RangeError('tenantId is required');
    this.options = options;
    this.send = jsonEndpoint({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: RESPONSE_BODY_CHARS_MAX,
      providerName: 'Xero',
      fail: (kind, message, details, path) => new AccountingApiError('xero', kind, path, message, details),
    });
  }

  /** GET /connections: the organisations this token may reach (xero-identity.yaml, getConnections). */
  async listConnections(): Promise<XeroConnection[]> {
    const response = await this.call('GET', XERO_CONNECTIONS_PATH, undefined, undefined, false);
    const parsed = connectionSchema.array().safeParse(response.body);
    if (!parsed.success)
      throw new AccountingApiError(
        'xero',
        'invalid_response',
        XERO_CONNECTIONS_PATH,
        'connections answer is not a list',
      );
    return parsed.data;
  }

  /** GET /Contacts?where=ContactNumber=="…": Kiunga's subscriber id lives in ContactNumber. */
  async findContactByNumber(contactNumber: string): Promise<XeroContact | null> {
    const rows = await this.list('Contacts', `ContactNumber=="${quoteWhereText(contactNumber)}"`);
    return firstOf(rows, contactSchema, '/Contacts');
  }

  createContact(
    input: { name: string; contactNumber: string; phone: string | null },
    idempotencyKey: string,
  ): Promise<XeroContact> {
    assertLength(input.contactNumber, CONTACT_NUMBER_CHARS_MAX, 'contactNumber');
    assertLength(input.name, CONTACT_NAME_CHARS_MAX, 'name');
    const contact = {
      Name: input.name,
      ContactNumber: input.contactNumber,
      ...(input.phone ? { Phones: [{ PhoneType: 'MOBILE', PhoneNumber: input.phone }] } : {}),
    };
    return this.create('Contacts', { Contacts: [contact] }, contactSchema, idempotencyKey);
  }

  /** GET /Invoices?where=InvoiceNumber=="…": the invoice a lost answer may have created. */
  async findInvoiceByNumber(invoiceNumber: string): Promise<XeroInvoice | null> {
    const rows = await this.list('Invoices', `InvoiceNumber=="${quoteWhereText(invoiceNumber)}"`);
    return firstOf(rows, invoiceSchema, '/Invoices');
  }

  createInvoice(input: CreateXeroInvoiceInput, idempotencyKey: string): Promise<XeroInvoice> {
    assertLength(input.invoiceNumber, DOCUMENT_TEXT_CHARS_MAX, 'invoiceNumber');
    const invoice = {
      Type: 'ACCREC',
      ...salesDocumentBody(input),
      InvoiceNumber: input.invoiceNumber,
      DueDate: input.dueDate,
    };
    return this.create('Invoices', { Invoices: [invoice] }, invoiceSchema, idempotencyKey);
  }

  /** POST /Invoices/{id} with Status VOIDED: only an AUTHORISED invoice without payments can be voided. */
  voidInvoice(invoiceId: string, idempotencyKey: string): Promise<XeroInvoice> {
    const body = { Invoices: [{ InvoiceID: invoiceId, Status: 'VOIDED' }] };
    return this.create(
      `Invoices/${encodeURIComponent(invoiceId)}`,
      body,
      invoiceSchema,
      idempotencyKey,
      'POST',
    );
  }

  createCreditNote(input: CreateXeroCreditNoteInput, idempotencyKey: string): Promise<XeroCreditNote> {
    assertLength(input.creditNoteNumber, DOCUMENT_TEXT_CHARS_MAX, 'creditNoteNumber');
    const creditNote = {
      Type: 'ACCRECCREDIT',
      ...salesDocumentBody(input),
      CreditNoteNumber: input.creditNoteNumber,
    };
    return this.create('CreditNotes', { CreditNotes: [creditNote] }, creditNoteSchema, idempotencyKey);
  }

  /** PUT /CreditNotes/{id}/Allocations: use part of a credit note to settle an invoice. */
  allocateCreditNote(
    input: { creditNoteId: string; invoiceId: string; amountCents: number; date: string },
    idempotencyKey: string,
  ): Promise<XeroAllocation> {
    const body = {
      Allocations: [
        {
          Invoice: { InvoiceID: input.invoiceId },
          Amount: vendorAmountOf(input.amountCents),
          Date: input.date,
        },
      ],
    };
    const path = `CreditNotes/${encodeURIComponent(input.creditNoteId)}/Allocations`;
    return this.create(path, body, allocationSchema, idempotencyKey, 'PUT', 'Allocations');
  }

  /** PUT /Payments: money received on an invoice, or paid out of a credit note / overpayment (a refund). */
  createPayment(input: CreateXeroPaymentInput, idempotencyKey: string): Promise<XeroPayment> {
    const payment = {
      ...paymentTargetBody(input.target),
      Account: { Code: input.bankAccountCode },
      Date: input.date,
      Amount: vendorAmountOf(input.amountCents),
      Reference: input.reference.slice(0, DOCUMENT_TEXT_CHARS_MAX),
    };
    return this.create('Payments', { Payments: [payment] }, paymentSchema, idempotencyKey);
  }

  /**
   * PUT /BankTransactions with Type RECEIVE-OVERPAYMENT: money received beyond what invoices ask; Xero
   * keeps it as the contact's credit (the answer's OverpaymentID), which a refund later pays out of.
   */
  createOverpayment(input: CreateXeroOverpaymentInput, idempotencyKey: string): Promise<XeroBankTransaction> {
    const transaction = {
      Type: 'RECEIVE-OVERPAYMENT',
      Contact: { ContactID: input.contactId },
      BankAccount: { Code: input.bankAccountCode },
      Date: input.date,
      LineAmountTypes: 'NoTax',
      LineItems: [{ Description: input.description, LineAmount: vendorAmountOf(input.amountCents) }],
    };
    return this.create(
      'BankTransactions',
      { BankTransactions: [transaction] },
      bankTransactionSchema,
      idempotencyKey,
    );
  }

  private async list(collection: string, where: string): Promise<unknown[]> {
    const path = `${XERO_ACCOUNTING_PATH}/${collection}?where=${encodeURIComponent(where)}`;
    const response = await this.call('GET', path, undefined, undefined, true);
    const rows = (response.body as Record<string, unknown> | undefined)?.[collection];
    if (!Array.isArray(rows))
      throw new AccountingApiError(
        'xero',
        'invalid_response',
        `/${collection}`,
        `answer has no ${collection} list`,
      );
    return rows;
  }

  private async create<T>(
    collectionPath: string,
    body: unknown,
    schema: z.ZodType<T>,
    idempotencyKey: string,
    method: JsonMethod = 'PUT',
    answerKey?: string,
  ): Promise<T> {
    assertLength(idempotencyKey, IDEMPOTENCY_KEY_CHARS_MAX, 'idempotencyKey');
    const path = `${XERO_ACCOUNTING_PATH}/${collectionPath}?summarizeErrors=true`;
    const response = await this.call(method, path, JSON.stringify(body), idempotencyKey, true);
    const key = answerKey ?? Object.keys(body as object)[0] ?? '';
    const element = (
      (response.body as Record<string, unknown> | undefined)?.[key] as unknown[] | undefined
    )?.[0];
    const parsed = schema.safeParse(element);
    if (!parsed.success)
      throw new AccountingApiError(
        'xero',
        'invalid_response',
        `/${collectionPath}`,
        `answer has no valid ${key} element`,
        {
          httpStatus: response.status,
          cause: parsed.error,
        },
      );
    return parsed.data;
  }

  /** One call with a valid token; a 401 renews the token once and retries; any non-2xx throws. */
  private async call(
    method: JsonMethod,
    path: string,
    body: string | undefined,
    idempotencyKey: string | undefined,
    isTenantCall: boolean,
  ): Promise<JsonResponse> {
    const attempt = (accessToken: string) =>
      this.send(
        method,
        path,
        {
          Authorization: `Bearer ${accessToken}`,
          ...(isTenantCall ? { 'xero-tenant-id': this.options.tenantId } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(idempotencyKey === undefined ? {} : { 'Idempotency-Key': idempotencyKey }),
        },
        body,
      );
    const accessToken = await this.options.tokens.accessToken();
    let response = await attempt(accessToken);
    if (response.status === 401)
      response = await attempt(await this.options.tokens.renewAfterRejection(accessToken));
    if (response.status >= 200 && response.status < 300) return response;
    throw this.errorFrom(path.split('?')[0] ?? path, response);
  }

  private errorFrom(path: string, response: JsonResponse): AccountingApiError {
    const kind = errorKindOfStatus(response.status);
    const parsed = errorBodySchema.safeParse(response.body);
    const problem = problemBodySchema.safeParse(response.body);
    const items: VendorErrorItem[] = [];
    if (parsed.success) {
      const code = parsed.data.ErrorNumber === undefined ? null : String(parsed.data.ErrorNumber);
      for (const element of parsed.data.Elements ?? [])
        for (const error of element.ValidationErrors ?? [])
          items.push({ code, message: error.Message, detail: null, element: null });
      if (items.length === 0 && parsed.data.Message)
        items.push({ code, message: parsed.data.Message, detail: null, element: null });
    }
    if (items.length === 0 && problem.success && (problem.data.Title || problem.data.Detail))
      items.push({
        code: null,
        message: problem.data.Title ?? 'Xero error',
        detail: problem.data.Detail ?? null,
        element: null,
      });
    const first = items[0];
    return new AccountingApiError(
      'xero',
      kind,
      path,
      first
        ? `${first.message}${first.detail ? `: ${first.detail}` : ''}`
        : `Xero answered HTTP ${response.status}`,
      {
        httpStatus: response.status,
        vendorType: parsed.success ? parsed.data.Type : undefined,
        items,
        retryAfterSeconds:
          kind === 'throttled'
            ? parseRetryAfter(response.headers.get('retry-after'), this.options.clock.now())
            : undefined,
      },
    );
  }
}

function salesDocumentBody(input: XeroSalesDocumentInput) {
  assertLength(input.reference, DOCUMENT_TEXT_CHARS_MAX, 'reference');
  return {
    Contact: { ContactID: input.contactId },
    Date: input.date,
    Reference: input.reference,
    Status: 'AUTHORISED',
    LineAmountTypes: 'NoTax',
    LineItems: input.lines.map((line) => ({
      Description: line.description,
      Quantity: 1,
      UnitAmount: vendorAmountOf(line.amountCents),
      AccountCode: input.accountCode,
    })),
  };
}

function paymentTargetBody(target: XeroPaymentTarget) {
  if (target.kind === 'invoice') return { Invoice: { InvoiceID: target.invoiceId } };
  if (target.kind === 'credit_note') return { CreditNote: { CreditNoteID: target.creditNoteId } };
  return { Overpayment: { OverpaymentID: target.overpaymentId } };
}

function firstOf<T>(rows: unknown[], schema: z.ZodType<T>, path: string): T | null {
  if (rows.length === 0) return null;
  const parsed = schema.safeParse(rows[0]);
  if (!parsed.success)
    throw new AccountingApiError('xero', 'invalid_response', path, 'list row is not the documented shape');
  return parsed.data;
}

/** Where-filters quote strings with double quotes; a double quote inside cannot be expressed, so it is refused. */
function quoteWhereText(text: string): string {
  if (text.includes('"')) throw new RangeError('a where-filter value may not contain a double quote');
  return text;
}

function assertLength(value: string, charsMax: number, name: string): void {
  if (value.length === 0 || value.length > charsMax)
    throw new RangeError(`${name} must be 1..${charsMax} characters`);
}
