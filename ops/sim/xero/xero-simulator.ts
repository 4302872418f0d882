// A Xero simulator for tests and the demo: Xero's OAuth 2.0 endpoints, GET /connections, and the
// Accounting API 2.0 collections the sync uses (Contacts, Invoices with void, Payments, CreditNotes with
// Allocations, BankTransactions RECEIVE-OVERPAYMENT), on loopback, with Idempotency-Key replay, Xero's
// ValidationException bodies, the xero-tenant-id check and throttling on demand. Written apart from
// control-api/src/integrations/xero so a mistake in one shows in the other. Follows README.md's list.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { type Clock, systemClock } from '@kiunga/schemas';
import { SimulatedOAuthServer } from '../accounting-oauth';
import {
  amountOfCents,
  centsOfAmount,
  createJsonServer,
  headerOf,
  parseJsonObject,
  type ScriptedFailure,
  type SimulatorReply,
  type SimulatorRequest,
  stopServer,
  YYYY_MM_DD,
} from '../json-http';
import { listenHttp } from '../run';

export const XERO_AUTHORIZE_PATH = '/identity/connect/authorize';
export const XERO_TOKEN_PATH = '/connect/token';
const ACCOUNTING_PREFIX = '/api.xro/2.0/';
/** Xero FAQ "OAuth 2.0": access tokens live 30 minutes. */
const ACCESS_TOKEN_LIFETIME_SECONDS = 1800;
/** Idempotency-Key: 128 character max (xero_accounting.yaml parameters/idempotencyKey). */
const IDEMPOTENCY_KEY_CHARS_MAX = 128;
/** Answers remembered by key; a test run makes a few hundred. */
export const REMEMBERED_KEYS_MAX = 20_000;
export const DOCUMENTS_MAX = 20_000;

export interface XeroSimulatorOptions {
  readonly host?: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly tenantId: string;
  readonly tenantName?: string;
  /** Revenue account codes line items may book to. */
  readonly revenueAccountCodes?: readonly string[];
  /** Bank account codes payments and overpayments may move through. */
  readonly bankAccountCodes?: readonly string[];
  readonly clock?: Clock;
}

export type XeroDocumentType =
  | 'Contact'
  | 'Invoice'
  | 'Payment'
  | 'CreditNote'
  | 'Overpayment'
  | 'Allocation';

export interface SimulatedXeroDocument {
  readonly type: XeroDocumentType;
  readonly id: string;
  readonly data: Record<string, unknown>;
  /** Invoices: amount due; credit notes and overpayments: remaining credit (cents). */
  openCents: number;
  status: string;
}

export interface XeroSimulator {
  readonly baseUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly oauth: SimulatedOAuthServer;
  documents(type?: XeroDocumentType): SimulatedXeroDocument[];
  failNext(count: number, failure: ScriptedFailure): void;
  apiCallCount(): number;
  stop(): Promise<void>;
}

type Element = Record<string, unknown>;
type Outcome = { document: SimulatedXeroDocument } | { errors: string[] };

const idField: Record<XeroDocumentType, string> = {
  Contact: 'ContactID',
  Invoice: 'InvoiceID',
  Payment: 'PaymentID',
  CreditNote: 'CreditNoteID',
  Overpayment: 'BankTransactionID',
  Allocation: 'AllocationID',
};

const problem = (status: number, title: string, detail: string): SimulatorReply => ({
  status,
  body: { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} },
});

export async function startXeroSimulator(options: XeroSimulatorOptions): Promise<XeroSimulator> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const revenueCodes = new Set(options.revenueAccountCodes ?? ['200']);
  const bankCodes = new Set(options.bankAccountCodes ?? ['090']);
  const oauth = new SimulatedOAuthServer({
    clients: [
      { clientId: options.clientId, clientSecret: options.clientSecret, redirectUris: options.redirectUris },
    ],
    requiredScopes: ['offline_access'],
    accessTokenLifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
    refreshTokenLifetimeSeconds: null,
    clock,
  });
  const documents: SimulatedXeroDocument[] = [];
  const answersByKey = new Map<string, SimulatorReply>();
  const failures: ScriptedFailure[] = [];
  let apiCalls = 0;

  const find = (type: XeroDocumentType, id: unknown) =>
    documents.find((document) => document.type === type && document.id === String(id));
  const xeroDate = () => `/Date(${clock.now()}+0000)/`;
  const representation = (document: SimulatedXeroDocument): Element => {
    const open = amountOfCents(document.openCents);
    const extra: Element =
      document.type === 'Invoice'
        ? { AmountDue: open, Status: document.status }
        : document.type === 'CreditNote'
          ? { RemainingCredit: open, Status: document.status }
          : document.type === 'Overpayment'
            ? { OverpaymentID: document.data.OverpaymentID, RemainingCredit: open, Status: document.status }
            : { Status: document.status };
    return { ...document.data, [idField[document.type]]: document.id, ...extra, UpdatedDateUTC: xeroDate() };
  };
  const save = (type: XeroDocumentType, data: Element, openCents: number, status = 'AUTHORISED'): Outcome => {
    const document: SimulatedXeroDocument = { type, id: randomUUID(), data, openCents, status };
    documents.push(document);
    return { document };
  };

  /** Line items of a sales document: each books to a known revenue account; returns the total. */
  const totalOf = (element: Element, errors: string[]): number => {
    const lines = Array.isArray(element.LineItems) ? (element.LineItems as Element[]) : [];
    if (lines.length === 0) errors.push('A line item must be specified');
    let total = 0;
    for (const line of lines) {
      const unit = centsOfAmount(line.UnitAmount ?? line.LineAmount);
      const quantity = line.Quantity === undefined ? 1 : line.Quantity;
      if (unit === null || quantity !== 1)
        errors.push('Line items need an amount with at most 2 decimals and Quantity 1');
      if (line.AccountCode !== undefined && !revenueCodes.has(String(line.AccountCode)))
        errors.push(`Account code '${String(line.AccountCode)}' is not a valid code for this document.`);
      total += unit ?? 0;
    }
    return total;
  };
  const contactOf = (element: Element, errors: string[]): SimulatedXeroDocument | undefined => {
    const reference = element.Contact as Element | undefined;
    if (!reference) {
      errors.push(
        'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber',
      );
      return undefined;
    }
    const contact = find('Contact', reference.ContactID);
    if (!contact) errors.push('The contact with the specified ContactID could not be found');
    return contact;
  };
  const checkDate = (element: Element, field: string, errors: string[]) => {
    if (
      element[field] !== undefined &&
      !(typeof element[field] === 'string' && YYYY_MM_DD.test(element[field] as string))
    )
      errors.push(`${field} must be a date (YYYY-MM-DD)`);
  };
  const isNumberTaken = (type: XeroDocumentType, field: string, value: unknown) =>
    value !== undefined &&
    documents.some((document) => document.type === type && document.data[field] === value);

  const createContact = (element: Element): Outcome => {
    const name = element.Name;
    if (typeof name !== 'string' || name.trim() === '')
      return {
        errors: [
          'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber',
        ],
      };
    if (isNumberTaken('Contact', 'Name', name))
      return {
        errors: [
          `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
        ],
      };
    return save('Contact', { ...element, ContactStatus: 'ACTIVE' }, 0, 'ACTIVE');
  };

  const createSalesDocument = (type: 'Invoice' | 'CreditNote', element: Element): Outcome => {
    const errors: string[] = [];
    const expectedType = type === 'Invoice' ? 'ACCREC' : 'ACCRECCREDIT';
    if (element.Type !== expectedType) errors.push(`Type must be ${expectedType} for this simulator`);
    contactOf(element, errors);
    checkDate(element, 'Date', errors);
    checkDate(element, 'DueDate', errors);
    const total = totalOf(element, errors);
    if (total < 0) errors.push('The document total cannot be negative');
    if (type === 'Invoice' && isNumberTaken('Invoice', 'InvoiceNumber', element.InvoiceNumber))
      errors.push('Invoice # must be unique.');
    if (type === 'CreditNote' && isNumberTaken('CreditNote', 'CreditNoteNumber', element.CreditNoteNumber))
      errors.push('Credit Note # must be unique.');
    if (errors.length > 0) return { errors };
    return save(
      type,
      { ...element, Total: amountOfCents(total), SubTotal: amountOfCents(total), TotalTax: 0 },
      total,
    );
  };

  const voidInvoice = (invoiceId: string, element: Element): Outcome => {
    const invoice = find('Invoice', invoiceId);
    if (!invoice) return { errors: ['The document with the supplied id was not found for this endpoint.'] };
    if (element.Status !== 'VOIDED') return { errors: ['Only a change of Status to VOIDED is simulated'] };
    if (invoice.status !== 'AUTHORISED' || centsOfAmount(invoice.data.Total) !== invoice.openCents)
      return {
        errors: ['This document cannot be edited as it has a payment or credit note allocated to it.'],
      };
    invoice.status = 'VOIDED';
    invoice.openCents = 0;
    return { document: invoice };
  };

  /** Money in on an invoice, or a refund out of a credit note / overpayment: at most what is open on it. */
  const createPayment = (element: Element): Outcome => {
    const amount = centsOfAmount(element.Amount);
    const code = (element.Account as Element | undefined)?.Code;
    const errors: string[] = [];
    if (amount === null || amount <= 0) errors.push('Payment amount must be greater than zero');
    if (!bankCodes.has(String(code)))
      errors.push('Account code must be a bank account (or have payments enabled)');
    checkDate(element, 'Date', errors);
    const targetOf = (): SimulatedXeroDocument | undefined => {
      const invoice = element.Invoice as Element | undefined;
      const creditNote = element.CreditNote as Element | undefined;
      const overpayment = element.Overpayment as Element | undefined;
      if (invoice) return find('Invoice', invoice.InvoiceID);
      if (creditNote) return find('CreditNote', creditNote.CreditNoteID);
      if (overpayment)
        return documents.find(
          (document) =>
            document.type === 'Overpayment' && document.data.OverpaymentID === overpayment.OverpaymentID,
        );
      return undefined;
    };
    const target = targetOf();
    if (!target) errors.push('The document with the supplied id was not found for this endpoint.');
    else if (target.status !== 'AUTHORISED')
      errors.push('Payments can only be made against Authorised documents');
    else if (amount !== null && amount > target.openCents)
      errors.push('Payment amount exceeds the amount outstanding on this document');
    if (errors.length > 0 || !target || amount === null) return { errors };
    target.openCents -= amount;
    if (target.openCents === 0) target.status = 'PAID';
    const paymentType =
      target.type === 'Invoice'
        ? 'ACCRECPAYMENT'
        : target.type === 'CreditNote'
          ? 'ARCREDITPAYMENT'
          : 'AROVERPAYMENTPAYMENT';
    return save('Payment', { ...element, PaymentType: paymentType }, 0);
  };

  const createOverpayment = (element: Element): Outcome => {
    const errors: string[] = [];
    if (element.Type !== 'RECEIVE-OVERPAYMENT')
      errors.push('Only RECEIVE-OVERPAYMENT bank transactions are simulated');
    contactOf(element, errors);
    if (!bankCodes.has(String((element.BankAccount as Element | undefined)?.Code)))
      errors.push('A valid BankAccount must be specified');
    checkDate(element, 'Date', errors);
    if ((element.LineItems as Element[] | undefined)?.some((line) => line.AccountCode !== undefined))
      errors.push('Overpayment line items may not have an AccountCode');
    const total = totalOf({ LineItems: element.LineItems }, errors);
    if (total <= 0) errors.push('The overpayment total must be greater than zero');
    if (errors.length > 0) return { errors };
    return save(
      'Overpayment',
      { ...element, OverpaymentID: randomUUID(), Total: amountOfCents(total) },
      total,
    );
  };

  const allocateCreditNote = (creditNoteId: string, element: Element): Outcome => {
    const creditNote = find('CreditNote', creditNoteId);
    if (!creditNote)
      return { errors: ['An existing Credit Note with the specified CreditNoteID could not be found'] };
    const invoice = find('Invoice', (element.Invoice as Element | undefined)?.InvoiceID);
    const amount = centsOfAmount(element.Amount);
    if (!invoice) return { errors: ['The document with the supplied id was not found for this endpoint.'] };
    if (amount === null || amount <= 0 || amount > creditNote.openCents || amount > invoice.openCents)
      return {
        errors: ['The amount allocated exceeds the remaining credit or the amount due on the invoice'],
      };
    creditNote.openCents -= amount;
    invoice.openCents -= amount;
    if (invoice.openCents === 0) invoice.status = 'PAID';
    if (creditNote.openCents === 0) creditNote.status = 'PAID';
    return save('Allocation', { ...element }, 0);
  };

  const envelope = (collection: string, elements: Element[]) => ({
    Id: randomUUID(),
    Status: 'OK',
    ProviderName: 'Kiunga',
    DateTimeUTC: xeroDate(),
    [collection]: elements,
  });

  /** One element of one collection; summarizeErrors=true turns a refusal into Xero's HTTP 400 body. */
  const write = (
    request: SimulatorRequest,
    collection: string,
    element: Element,
    perform: (element: Element) => Outcome,
  ): SimulatorReply => {
    if (documents.length >= DOCUMENTS_MAX)
      return problem(503, 'Service Unavailable', 'Simulator store is full');
    const outcome = perform(element);
    if ('document' in outcome)
      return { status: 200, body: envelope(collection, [representation(outcome.document)]) };
    const refused = {
      ...element,
      HasValidationErrors: true,
      ValidationErrors: outcome.errors.map((message) => ({ Message: message })),
    };
    if (request.url.searchParams.get('summarizeErrors') === 'false')
      return { status: 200, body: envelope(collection, [refused]) };
    return {
      status: 400,
      body: {
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
        Elements: [refused],
      },
    };
  };

  /** Kiunga sends one element per call; the body must be `{"<Collection>": [element]}`. */
  const singleElement = (
    request: SimulatorRequest,
    collection: string,
  ): { element: Element } | { reply: SimulatorReply } => {
    const elements = parseJsonObject(request.text)?.[collection];
    if (
      !Array.isArray(elements) ||
      elements.length !== 1 ||
      typeof elements[0] !== 'object' ||
      elements[0] === null
    )
      return {
        reply: {
          status: 400,
          body: {
            ErrorNumber: 14,
            Type: 'PostDataInvalidException',
            Message: `Send exactly one element in ${collection}`,
          },
        },
      };
    return { element: elements[0] as Element };
  };

  const writeOne = (
    request: SimulatorRequest,
    collection: string,
    perform: (element: Element) => Outcome,
  ): SimulatorReply => {
    const parsed = singleElement(request, collection);
    return 'reply' in parsed ? parsed.reply : write(request, collection, parsed.element, perform);
  };

  const list = (collection: string, where: string | null): SimulatorReply => {
    const type = collection === 'Contacts' ? 'Contact' : 'Invoice';
    const field = collection === 'Contacts' ? 'ContactNumber' : 'InvoiceNumber';
    const match = where === null ? null : new RegExp(`^${field}=="([^"]*)"$`).exec(where);
    if (!match)
      return {
        status: 400,
        body: { ErrorNumber: 16, Type: 'QueryParseException', Message: `Unsupported where filter: ${where}` },
      };
    const rows = documents
      .filter((document) => document.type === type && document.data[field] === match[1])
      .map(representation);
    return { status: 200, body: envelope(collection, rows) };
  };

  const accounting = (request: SimulatorRequest, path: string): SimulatorReply => {
    const [collection, id, child] = path.split('/');
    if (request.method === 'GET' && (collection === 'Contacts' || collection === 'Invoices') && !id)
      return list(collection, request.url.searchParams.get('where'));
    const key = headerOf(request, 'idempotency-key');
    if (key !== undefined && (key === '' || key.length > IDEMPOTENCY_KEY_CHARS_MAX))
      return {
        status: 400,
        body: {
          ErrorNumber: 10,
          Type: 'ValidationException',
          Message: `Idempotency-Key must be 1..${IDEMPOTENCY_KEY_CHARS_MAX} characters`,
        },
      };
    const replayed = key === undefined ? undefined : answersByKey.get(key);
    if (replayed) return replayed;
    if (key !== undefined && answersByKey.size >= REMEMBERED_KEYS_MAX)
      return problem(503, 'Service Unavailable', 'Simulator key memory is full');
    const reply = accountingWrite(request, collection ?? '', id, child);
    if (key !== undefined && reply.status < 500) answersByKey.set(key, reply);
    return reply;
  };

  const accountingWrite = (
    request: SimulatorRequest,
    collection: string,
    id: string | undefined,
    child: string | undefined,
  ): SimulatorReply => {
    const isCreate = request.method === 'PUT' || request.method === 'POST';
    const performers: Record<string, (element: Element) => Outcome> = {
      Contacts: createContact,
      Invoices: (element) => createSalesDocument('Invoice', element),
      CreditNotes: (element) => createSalesDocument('CreditNote', element),
      Payments: createPayment,
      BankTransactions: createOverpayment,
    };
    const perform = performers[collection];
    if (isCreate && !id && perform) return writeOne(request, collection, perform);
    if (request.method === 'POST' && collection === 'Invoices' && id && !child)
      return writeOne(request, 'Invoices', (element) => voidInvoice(id, element));
    if (request.method === 'PUT' && collection === 'CreditNotes' && id && child === 'Allocations')
      return writeOne(request, 'Allocations', (element) => allocateCreditNote(id, element));
    return problem(404, 'Not Found', `No resource ${request.method} ${collection}`);
  };

  const api = (request: SimulatorRequest, path: string): SimulatorReply => {
    const grant = oauth.grantOf(headerOf(request, 'authorization'));
    if (!grant) return problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    if (path === '/connections' && request.method === 'GET')
      return {
        status: 200,
        body: [
          {
            id: randomUUID(),
            tenantId: options.tenantId,
            tenantType: 'ORGANISATION',
            tenantName: options.tenantName ?? 'Demo ISP',
            createdDateUtc: new Date(clock.now()).toISOString(),
            updatedDateUtc: new Date(clock.now()).toISOString(),
          },
        ],
      };
    if (!path.startsWith(ACCOUNTING_PREFIX)) return problem(404, 'Not Found', `No resource at ${path}`);
    if (headerOf(request, 'xero-tenant-id') !== options.tenantId || grant.subject !== options.tenantId)
      return problem(403, 'Forbidden', 'AuthorizationUnsuccessful');
    apiCalls++;
    const failure = failures.shift();
    if (failure)
      return {
        ...problem(
          failure.status,
          failure.status === 429 ? 'Too Many Requests' : 'Internal Server Error',
          failure.status === 429 ? 'Rate limit exceeded' : 'An error occurred',
        ),
        headers: {
          ...(failure.retryAfterSeconds === undefined
            ? {}
            : { 'retry-after': String(failure.retryAfterSeconds) }),
          ...(failure.status === 429 ? { 'x-rate-limit-problem': 'minute' } : {}),
        },
      };
    return accounting(request, path.slice(ACCOUNTING_PREFIX.length));
  };

  const route = (request: SimulatorRequest): SimulatorReply => {
    const path = request.url.pathname;
    if (request.method === 'GET' && path === XERO_AUTHORIZE_PATH)
      return oauth.authorize(request.url.searchParams, options.tenantId, {});
    if (request.method === 'POST' && path === XERO_TOKEN_PATH)
      return oauth.token(headerOf(request, 'authorization'), new URLSearchParams(request.text));
    return api(request, path);
  };

  const server: Server = createJsonServer(route, problem(413, 'Payload Too Large', 'body too large'));
  const port = await listenHttp(server, host, options.port);
  const baseUrl = `http://${host}:${port}`;
  return {
    baseUrl,
    authorizeUrl: `${baseUrl}${XERO_AUTHORIZE_PATH}`,
    tokenUrl: `${baseUrl}${XERO_TOKEN_PATH}`,
    oauth,
    documents: (type) => documents.filter((document) => type === undefined || document.type === type),
    failNext: (count, failure) => {
      for (let index = 0; index < count; index++) failures.push(failure);
    },
    apiCallCount: () => apiCalls,
    stop: () => stopServer(server),
  };
}
