// A thin typed client of the QuickBooks Online Accounting API v3 for the accounting sync: customers,
// invoices (create, void), payments applied to invoices, credit memos and refunds of credit (journal
// entries), each create carrying a `requestid` so a retry never books twice.
//
// Wire format (developer.intuit.com, "REST API features" and the API Explorer entity pages):
// POST {base}/v3/company/{realmId}/{entity}?minorversion=75&requestid=… with the entity as JSON;
// answers {"<Entity>": {...}, "time": …}; reads by GET …/{entity}/{id} and …/query?query=<select>.
// requestid: Intuit blog "Request ID update for QuickBooks Online integration" (2015-04-06) — unique per
// company, at most 50 characters, a repeat answers the original response instead of booking again.
// Minor version 75: Intuit blog "Changes to our Accounting API…" (2025-01-21) — from 2025-08-01 every
// request is served as 75 whatever is asked, so we ask for 75 and read its shapes.
import type { Clock } from '@kiunga/schemas';
import type { z } from 'zod';
import { vendorAmountOf } from '../accounting-common/amounts';
import { AccountingApiError, errorKindOfStatus, type VendorErrorItem } from '../accounting-common/errors';
import type { AccessTokenKeeper } from '../accounting-common/oauth2';
import { parseRetryAfter } from '../accounting-common/retry-after';
import { type JsonEndpoint, type JsonResponse, jsonEndpoint } from '../http-json';
import {
  creditMemoSchema,
  customerSchema,
  faultBodySchema,
  gatewayFaultBodySchema,
  invoiceSchema,
  journalEntrySchema,
  paymentSchema,
  type QuickBooksCreditMemo,
  type QuickBooksCustomer,
  type QuickBooksInvoice,
  type QuickBooksJournalEntry,
  type QuickBooksPayment,
} from './schemas';

export const QUICKBOOKS_MINOR_VERSION = 75;
/** Intuit's limit on requestid outside batch operations (the 2015 Request ID post). */
export const REQUEST_ID_CHARS_MAX = 50;
/** DocNumber and PaymentRefNum hold at most 21 characters ("You cannot enter more than 21 characters in the doc_num field"). */
export const DOC_NUMBER_CHARS_MAX = 21;
/** DisplayName is at most 100 characters and may not hold a colon (Customer entity reference). */
export const DISPLAY_NAME_CHARS_MAX = 100;
/** PrivateNote (memo) is at most 4000 characters. */
export const PRIVATE_NOTE_CHARS_MAX = 4000;
/** Entity answers are a few KB; a query page of one customer likewise. */
const RESPONSE_BODY_CHARS_MAX = 512 * 1024;
/** Scope of the Accounting API (OAuth 2.0 "Scopes" page). */
export const QUICKBOOKS_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

export interface QuickBooksClientOptions {
  /** `KIUNGA_QUICKBOOKS_BASE_URL`: https://quickbooks.api.intuit.com, the sandbox, or the simulator. */
  readonly baseUrl: string;
  /** The company (realmId) the ISP connected; Intuit sends it with the authorization code. */
  readonly realmId: string;
  readonly tokens: AccessTokenKeeper;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

export interface QuickBooksLineInput {
  readonly description: string;
  /** Positive charges; a negative line is a discount or proration credit on the same document. */
  readonly amountCents: number;
}

export interface CreateCustomerInput {
  /** Unique across customers, vendors and employees of the company (error 6240 otherwise). */
  readonly displayName: string;
  readonly phone: string | null;
  readonly notes: string;
}

export interface SalesDocumentInput {
  readonly customerId: string;
  readonly docNumber: string;
  /** YYYY-MM-DD in the ISP's local calendar. */
  readonly txnDate: string;
  readonly lines: readonly QuickBooksLineInput[];
  /** The Product/Service every line books to (its income account): a connection setting. */
  readonly itemId: string;
  readonly privateNote: string;
}

export interface CreateInvoiceInput extends SalesDocumentInput {
  readonly dueDate: string;
}

export interface CreatePaymentInput {
  readonly customerId: string;
  readonly totalCents: number;
  readonly txnDate: string;
  /** The M-Pesa receipt or bank reference. */
  readonly paymentRefNum: string;
  readonly privateNote: string;
  /** Where the money sits (M-Pesa clearing, bank); QuickBooks uses Undeposited Funds when absent. */
  readonly depositToAccountId: string | null;
  /** What of it settles which invoice; the rest stays with the customer as unapplied credit. */
  readonly applications: ReadonlyArray<{ invoiceId: string; amountCents: number }>;
}

export interface RecordRefundInput {
  readonly customerId: string;
  readonly amountCents: number;
  readonly txnDate: string;
  readonly docNumber: string;
  readonly privateNote: string;
  /** Accounts Receivable: the debit that uses up the customer's credit. */
  readonly receivableAccountId: string;
  /** The account the money leaves from (M-Pesa clearing, bank). */
  readonly paidFromAccountId: string;
}

export class QuickBooksClient {
  private readonly send: JsonEndpoint;
  private readonly options: QuickBooksClientOptions;
  private readonly companyPath: string;

  constructor(options: QuickBooksClientOptions) {
    if (!/^\d{1,30}$/.test(options.realmId)) throw new RangeError('realmId is a QuickBooks company number');
    this.options = options;
    this.companyPath = `/v3/company/${options.realmId}`;
    this.send = jsonEndpoint({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: RESPONSE_BODY_CHARS_MAX,
      providerName: 'QuickBooks',
      fail: (kind, message, details, path) =>
        new AccountingApiError('quickbooks', kind, path, message, details),
    });
  }

  /** `select * from Customer where DisplayName = '…'`: Kiunga's display names carry the account number. */
  async findCustomerByDisplayName(displayName: string): Promise<QuickBooksCustomer | null> {
    const rows = await this.query(
      `select * from Customer where DisplayName = '${quoteQueryText(displayName)}'`,
    );
    return firstOf(rows, 'Customer', customerSchema, this.queryPath());
  }

  createCustomer(input: CreateCustomerInput, requestId: string): Promise<QuickBooksCustomer> {
    assertDisplayName(input.displayName);
    const body = {
      DisplayName: input.displayName,
      ...(input.phone ? { PrimaryPhone: { FreeFormNumber: input.phone } } : {}),
      Notes: truncate(input.notes, PRIVATE_NOTE_CHARS_MAX),
    };
    return this.create('customer', 'Customer', customerSchema, body, requestId);
  }

  /** `select * from Invoice where DocNumber = '…'`: the invoice a lost answer may have created. */
  async findInvoiceByDocNumber(docNumber: string): Promise<QuickBooksInvoice | null> {
    const rows = await this.query(`select * from Invoice where DocNumber = '${quoteQueryText(docNumber)}'`);
    return firstOf(rows, 'Invoice', invoiceSchema, this.queryPath());
  }

  createInvoice(input: CreateInvoiceInput, requestId: string): Promise<QuickBooksInvoice> {
    const body = { ...salesDocumentBody(input), DueDate: input.dueDate };
    return this.create('invoice', 'Invoice', invoiceSchema, body, requestId);
  }

  /**
   * POST …/invoice?operation=void with {Id, SyncToken}: the invoice stays, its amounts become zero and
   * "Voided" is prepended to its PrivateNote. The current SyncToken is read first (stale ones are refused).
   */
  async voidInvoice(invoiceId: string, requestId: string): Promise<QuickBooksInvoice> {
    const current = await this.read('invoice', invoiceId, 'Invoice', invoiceSchema);
    return this.create(
      'invoice',
      'Invoice',
      invoiceSchema,
      { Id: current.Id, SyncToken: current.SyncToken },
      requestId,
      'void',
    );
  }

  createPayment(input: CreatePaymentInput, requestId: string): Promise<QuickBooksPayment> {
    assertDocNumber(input.paymentRefNum, 'paymentRefNum');
    const body = {
      CustomerRef: { value: input.customerId },
      TotalAmt: vendorAmountOf(input.totalCents),
      TxnDate: input.txnDate,
      PaymentRefNum: input.paymentRefNum,
      PrivateNote: truncate(input.privateNote, PRIVATE_NOTE_CHARS_MAX),
      ...(input.depositToAccountId ? { DepositToAccountRef: { value: input.depositToAccountId } } : {}),
      Line: input.applications.map((application) => ({
        Amount: vendorAmountOf(application.amountCents),
        LinkedTxn: [{ TxnId: application.invoiceId, TxnType: 'Invoice' }],
      })),
    };
    return this.create('payment', 'Payment', paymentSchema, body, requestId);
  }

  createCreditMemo(input: SalesDocumentInput, requestId: string): Promise<QuickBooksCreditMemo> {
    return this.create('creditmemo', 'CreditMemo', creditMemoSchema, salesDocumentBody(input), requestId);
  }

  /**
   * Money paid back out of a customer's credit: a journal entry debiting Accounts Receivable for the
   * customer (Entity is required on A/R lines) and crediting the account the money left from. A
   * RefundReceipt would book the refund against income a second time (the credit already reversed it).
   */
  recordRefund(input: RecordRefundInput, requestId: string): Promise<QuickBooksJournalEntry> {
    assertDocNumber(input.docNumber, 'docNumber');
    const amount = vendorAmountOf(input.amountCents);
    const line = (postingType: 'Debit' | 'Credit', accountId: string, withCustomer: boolean) => ({
      DetailType: 'JournalEntryLineDetail',
      Amount: amount,
      Description: truncate(input.privateNote, PRIVATE_NOTE_CHARS_MAX),
      JournalEntryLineDetail: {
        PostingType: postingType,
        AccountRef: { value: accountId },
        ...(withCustomer ? { Entity: { Type: 'Customer', EntityRef: { value: input.customerId } } } : {}),
      },
    });
    const body = {
      DocNumber: input.docNumber,
      TxnDate: input.txnDate,
      PrivateNote: truncate(input.privateNote, PRIVATE_NOTE_CHARS_MAX),
      Line: [line('Debit', input.receivableAccountId, true), line('Credit', input.paidFromAccountId, false)],
    };
    return this.create('journalentry', 'JournalEntry', journalEntrySchema, body, requestId);
  }

  private queryPath(): string {
    return `${this.companyPath}/query`;
  }

  private async query(statement: string): Promise<Record<string, unknown>> {
    const path = `${this.queryPath()}?query=${encodeURIComponent(statement)}&minorversion=${QUICKBOOKS_MINOR_VERSION}`;
    const response = await this.call('GET', path, undefined);
    const queryResponse = (response.body as { QueryResponse?: unknown } | undefined)?.QueryResponse;
    if (typeof queryResponse !== 'object' || queryResponse === null)
      throw new AccountingApiError(
        'quickbooks',
        'invalid_response',
        this.queryPath(),
        'query answer has no QueryResponse',
      );
    return queryResponse as Record<string, unknown>;
  }

  private async read<T>(entity: string, id: string, key: string, schema: z.ZodType<T>): Promise<T> {
    const path = `${this.companyPath}/${entity}/${encodeURIComponent(id)}?minorversion=${QUICKBOOKS_MINOR_VERSION}`;
    const response = await this.call('GET', path, undefined);
    return parseEntity(response, key, schema, `${this.companyPath}/${entity}`);
  }

  private async create<T>(
    entity: string,
    key: string,
    schema: z.ZodType<T>,
    body: unknown,
    requestId: string,
    operation?: 'void',
  ): Promise<T> {
    assertRequestId(requestId);
    const query = new URLSearchParams({
      minorversion: String(QUICKBOOKS_MINOR_VERSION),
      requestid: requestId,
    });
    if (operation) query.set('operation', operation);
    const response = await this.call('POST', `${this.companyPath}/${entity}?${query}`, JSON.stringify(body));
    return parseEntity(response, key, schema, `${this.companyPath}/${entity}`);
  }

  /** One call with a valid token; a 401 renews the token once and retries; any non-2xx throws. */
  private async call(method: 'GET' | 'POST', path: string, body: string | undefined): Promise<JsonResponse> {
    const attempt = async (accessToken: string) =>
      this.send(
        method,
        path,
        {
          Authorization: `Bearer ${accessToken}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body,
      );
    const accessToken = await this.options.tokens.accessToken();
    let response = await attempt(accessToken);
    if (response.status === 401) {
      response = await attempt(await this.options.tokens.renewAfterRejection(accessToken));
    }
    const fault = faultBodySchema.safeParse(response.body);
    // "Error codes": a 200 may still carry a Fault; treat it as the error it is.
    if (response.status >= 200 && response.status < 300 && !fault.success) return response;
    throw this.errorFrom(path.split('?')[0] ?? path, response);
  }

  private errorFrom(path: string, response: JsonResponse): AccountingApiError {
    const { items, type } = faultItemsOf(response.body);
    const kind = kindOfFault(type, response.status);
    const first = items[0];
    const message = first
      ? `${first.message}${first.detail ? `: ${first.detail}` : ''}${first.code ? ` (${first.code})` : ''}`
      : `QuickBooks answered HTTP ${response.status}`;
    return new AccountingApiError('quickbooks', kind, path, message, {
      httpStatus: response.status,
      vendorType: type,
      items,
      retryAfterSeconds:
        kind === 'throttled'
          ? parseRetryAfter(response.headers.get('retry-after'), this.options.clock.now())
          : undefined,
    });
  }
}

function faultItemsOf(body: unknown): { items: VendorErrorItem[]; type: string | undefined } {
  const fault = faultBodySchema.safeParse(body);
  if (fault.success) {
    return {
      type: fault.data.Fault.type,
      items: fault.data.Fault.Error.map((error) => ({
        code: error.code ?? null,
        message: error.Message ?? 'QuickBooks error',
        detail: error.Detail ?? null,
        element: error.element ? error.element : null,
      })),
    };
  }
  const gateway = gatewayFaultBodySchema.safeParse(body);
  if (gateway.success) {
    return {
      type: gateway.data.fault.type,
      items: gateway.data.fault.error.map((error) => ({
        code: error.code ?? null,
        message: error.message ?? 'QuickBooks error',
        detail: error.detail ?? null,
        element: null,
      })),
    };
  }
  return { items: [], type: undefined };
}

/** Fault types ("Error codes"): ValidationFault, AuthenticationFault, AuthorizationFault, SystemFault. */
function kindOfFault(type: string | undefined, status: number): AccountingApiError['kind'] {
  if (status === 429) return 'throttled';
  if (type === 'AuthenticationFault') return 'authentication';
  if (type === 'AuthorizationFault') return 'forbidden';
  if (type === 'SystemFault') return 'server';
  if (type === 'ValidationFault') return 'validation';
  return status >= 200 && status < 300 ? 'validation' : errorKindOfStatus(status);
}

function parseEntity<T>(response: JsonResponse, key: string, schema: z.ZodType<T>, path: string): T {
  const parsed = schema.safeParse((response.body as Record<string, unknown> | undefined)?.[key]);
  if (!parsed.success)
    throw new AccountingApiError('quickbooks', 'invalid_response', path, `answer has no valid ${key}`, {
      httpStatus: response.status,
      cause: parsed.error,
    });
  return parsed.data;
}

function firstOf<T>(
  rows: Record<string, unknown>,
  key: string,
  schema: z.ZodType<T>,
  path: string,
): T | null {
  const list = rows[key];
  if (list === undefined) return null;
  if (!Array.isArray(list) || list.length === 0) return null;
  const parsed = schema.safeParse(list[0]);
  if (!parsed.success)
    throw new AccountingApiError('quickbooks', 'invalid_response', path, `query row is not a ${key}`);
  return parsed.data;
}

function salesDocumentBody(input: SalesDocumentInput) {
  assertDocNumber(input.docNumber, 'docNumber');
  return {
    CustomerRef: { value: input.customerId },
    DocNumber: input.docNumber,
    TxnDate: input.txnDate,
    PrivateNote: truncate(input.privateNote, PRIVATE_NOTE_CHARS_MAX),
    Line: input.lines.map((line) => ({
      DetailType: 'SalesItemLineDetail',
      Amount: vendorAmountOf(line.amountCents),
      Description: line.description,
      SalesItemLineDetail: {
        ItemRef: { value: input.itemId },
        Qty: 1,
        UnitPrice: vendorAmountOf(line.amountCents),
      },
    })),
  };
}

/** Query literals are single-quoted; a quote inside is escaped with a backslash (Query operations reference). */
function quoteQueryText(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
}

function truncate(text: string, charsMax: number): string {
  return text.length <= charsMax ? text : text.slice(0, charsMax);
}

function assertRequestId(requestId: string): void {
  if (requestId.length === 0 || requestId.length > REQUEST_ID_CHARS_MAX)
    throw new RangeError(`requestid must be 1..${REQUEST_ID_CHARS_MAX} characters`);
}

function assertDocNumber(value: string, name: string): void {
  if (value.length === 0 || value.length > DOC_NUMBER_CHARS_MAX)
    throw new RangeError(`${name} must be 1..${DOC_NUMBER_CHARS_MAX} characters`);
}

function assertDisplayName(displayName: string): void {
  if (displayName.length === 0 || displayName.length > DISPLAY_NAME_CHARS_MAX || displayName.includes(':'))
    throw new RangeError(`displayName must be 1..${DISPLAY_NAME_CHARS_MAX} characters without a colon`);
}
