// A QuickBooks Online simulator for tests and the demo: Intuit's OAuth 2.0 endpoints and the Accounting
// API v3 entities the sync uses (Customer, Invoice with void, Payment, CreditMemo, JournalEntry, query),
// on loopback, with requestid replay, Intuit's Fault bodies and throttling on demand. Written apart from
// control-api/src/integrations/quickbooks so a mistake in one shows in the other. Follows README.md's list.
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

export const QUICKBOOKS_AUTHORIZE_PATH = '/connect/oauth2';
export const QUICKBOOKS_TOKEN_PATH = '/oauth2/v1/tokens/bearer';
/** Intuit's lifetimes: access tokens one hour, refresh tokens 100 days (x_refresh_token_expires_in 8726400). */
const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;
const REFRESH_TOKEN_LIFETIME_SECONDS = 8_726_400;
/** Intuit keeps requestid answers; the simulator keeps this many before refusing new writes. */
export const REMEMBERED_REQUESTS_MAX = 20_000;
/** Entities per company; a test creates a handful. */
export const ENTITIES_MAX = 20_000;
/** requestid length limit (Intuit "Request ID" post). */
const REQUEST_ID_CHARS_MAX = 50;
const DOC_NUMBER_CHARS_MAX = 21;

export interface QuickBooksSimulatorOptions {
  readonly host?: string;
  readonly port: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly realmId: string;
  /** Product/Service ids that exist (invoice and credit memo lines must name one). */
  readonly itemIds?: readonly string[];
  /** Accounts that exist; `receivable` is Accounts Receivable (journal lines on it need a customer). */
  readonly accounts?: { readonly receivable: string; readonly others: readonly string[] };
  readonly clock?: Clock;
}

type Line = Record<string, unknown>;
export interface SimulatedEntity {
  readonly type: 'Customer' | 'Invoice' | 'Payment' | 'CreditMemo' | 'JournalEntry';
  readonly Id: string;
  SyncToken: string;
  readonly data: Record<string, unknown>;
  /** Open amount of an invoice in cents (TotalAmt less payments); 0 when voided. */
  balanceCents: number;
  isVoided: boolean;
}

export interface QuickBooksSimulator {
  readonly baseUrl: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly oauth: SimulatedOAuthServer;
  entities(type?: SimulatedEntity['type']): SimulatedEntity[];
  /** The next `count` API calls answer this instead of doing anything. */
  failNext(count: number, failure: ScriptedFailure): void;
  /** API calls answered so far, scripted failures included (a test sees a retry happen). */
  apiCallCount(): number;
  stop(): Promise<void>;
}

function fault(
  status: number,
  type: string,
  code: string,
  message: string,
  detail: string,
  element = '',
): SimulatorReply {
  return {
    status,
    body: {
      Fault: { Error: [{ Message: message, Detail: detail, code, element }], type },
      time: new Date().toISOString(),
    },
  };
}

const validation = (code: string, message: string, detail: string, element = '') =>
  fault(400, 'ValidationFault', code, message, detail, element);
const missing = (element: string) =>
  validation(
    '2020',
    'Required param missing, need to supply the required value for the API',
    `Required parameter ${element} is missing in the request`,
    element,
  );
const invalidReference = (what: string, id: unknown) =>
  validation(
    '2500',
    'Invalid Reference Id',
    `Invalid Reference Id : ${what} element id ${String(id)} not found`,
  );
const businessRule = (detail: string) =>
  validation(
    '6000',
    'A business validation error has occurred while processing your request',
    `Business Validation Error: ${detail}`,
  );

export async function startQuickBooksSimulator(
  options: QuickBooksSimulatorOptions,
): Promise<QuickBooksSimulator> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const itemIds = new Set(options.itemIds ?? ['1']);
  const accounts = options.accounts ?? { receivable: '84', others: ['35', '4'] };
  const accountIds = new Set([accounts.receivable, ...accounts.others]);
  const oauth = new SimulatedOAuthServer({
    clients: [
      { clientId: options.clientId, clientSecret: options.clientSecret, redirectUris: options.redirectUris },
    ],
    requiredScopes: ['com.intuit.quickbooks.accounting'],
    accessTokenLifetimeSeconds: ACCESS_TOKEN_LIFETIME_SECONDS,
    refreshTokenLifetimeSeconds: REFRESH_TOKEN_LIFETIME_SECONDS,
    clock,
  });
  const entities: SimulatedEntity[] = [];
  const answersByRequestId = new Map<string, SimulatorReply>();
  const failures: ScriptedFailure[] = [];
  let apiCalls = 0;
  let nextId = 1;

  const find = (type: SimulatedEntity['type'], id: unknown) =>
    entities.find((entity) => entity.type === type && entity.Id === String(id));
  const representation = (entity: SimulatedEntity) => ({
    ...entity.data,
    Id: entity.Id,
    SyncToken: entity.SyncToken,
    domain: 'QBO',
    ...(entity.type === 'Invoice' ? { Balance: amountOfCents(entity.balanceCents) } : {}),
    MetaData: { CreateTime: new Date(clock.now()).toISOString() },
  });
  const answer = (entity: SimulatedEntity, status = 200): SimulatorReply => ({
    status,
    body: { [entity.type]: representation(entity), time: new Date(clock.now()).toISOString() },
  });
  const store = (
    type: SimulatedEntity['type'],
    data: Record<string, unknown>,
    balanceCents = 0,
  ): SimulatorReply => {
    const entity: SimulatedEntity = {
      type,
      Id: String(nextId++),
      SyncToken: '0',
      data,
      balanceCents,
      isVoided: false,
    };
    entities.push(entity);
    return answer(entity);
  };

  const customerOf = (body: Record<string, unknown>): SimulatedEntity | SimulatorReply => {
    const reference = (body.CustomerRef as { value?: unknown } | undefined)?.value;
    if (reference === undefined) return missing('CustomerRef');
    const customer = find('Customer', reference);
    return customer ?? invalidReference('Names', reference);
  };

  /** Sales lines (invoice, credit memo): each names an existing item; the total is the sum of Amounts. */
  const salesTotalOf = (body: Record<string, unknown>): number | SimulatorReply => {
    const lines = body.Line;
    if (!Array.isArray(lines) || lines.length === 0) return missing('Line');
    let total = 0;
    for (const line of lines as Line[]) {
      const amount = centsOfAmount(line.Amount);
      if (amount === null) return missing('Line.Amount');
      if (line.DetailType !== 'SalesItemLineDetail')
        return validation(
          '2050',
          'Invalid String',
          `DetailType ${String(line.DetailType)} is not valid here`,
          'DetailType',
        );
      const itemId = (
        (line.SalesItemLineDetail as Line | undefined)?.ItemRef as { value?: unknown } | undefined
      )?.value;
      if (!itemIds.has(String(itemId))) return invalidReference('Item', itemId);
      total += amount;
    }
    return total;
  };

  const checkDocument = (body: Record<string, unknown>): SimulatorReply | null => {
    if (body.TxnDate !== undefined && !(typeof body.TxnDate === 'string' && YYYY_MM_DD.test(body.TxnDate)))
      return validation('2070', 'Invalid Date', `TxnDate ${String(body.TxnDate)} is not a date`, 'TxnDate');
    if (typeof body.DocNumber === 'string' && body.DocNumber.length > DOC_NUMBER_CHARS_MAX)
      return businessRule(
        `You cannot enter more than ${DOC_NUMBER_CHARS_MAX} characters in the doc_num field`,
      );
    return null;
  };

  const createCustomer = (body: Record<string, unknown>): SimulatorReply => {
    const name = body.DisplayName;
    if (typeof name !== 'string' || name.trim() === '') return missing('DisplayName');
    if (name.includes(':'))
      return validation('2050', 'Invalid String', 'DisplayName may not contain a colon', 'DisplayName');
    const existing = entities.find(
      (entity) => entity.type === 'Customer' && entity.data.DisplayName === name,
    );
    if (existing)
      return validation(
        '6240',
        'Duplicate Name Exists Error',
        `The name supplied already exists. : Another customer is already using this name. Please use a different name. Id=${existing.Id}`,
      );
    return store('Customer', { ...body, Active: true, Balance: 0 });
  };

  const createSalesDocument = (
    type: 'Invoice' | 'CreditMemo',
    body: Record<string, unknown>,
  ): SimulatorReply => {
    const customer = customerOf(body);
    if (!('type' in customer)) return customer;
    const problem = checkDocument(body);
    if (problem) return problem;
    const total = salesTotalOf(body);
    if (typeof total !== 'number') return total;
    if (total < 0)
      return businessRule(`${type === 'Invoice' ? 'Invoice' : 'Credit memo'} amount cannot be negative`);
    const data = {
      ...body,
      TotalAmt: amountOfCents(total),
      ...(type === 'CreditMemo' ? { RemainingCredit: amountOfCents(total) } : {}),
    };
    return store(type, data, type === 'Invoice' ? total : 0);
  };

  const voidInvoice = (body: Record<string, unknown>): SimulatorReply => {
    const invoice = find('Invoice', body.Id);
    if (!invoice) return invalidReference('Invoice', body.Id);
    if (body.SyncToken !== invoice.SyncToken)
      return validation(
        '5010',
        'Stale Object Error',
        'Stale Object Error : You and another user were working on the same thing. Please try again.',
      );
    invoice.isVoided = true;
    invoice.balanceCents = 0;
    invoice.SyncToken = String(Number(invoice.SyncToken) + 1);
    invoice.data.TotalAmt = 0;
    invoice.data.PrivateNote = `Voided${invoice.data.PrivateNote ? ` - ${String(invoice.data.PrivateNote)}` : ''}`;
    return answer(invoice);
  };

  const createPayment = (body: Record<string, unknown>): SimulatorReply => {
    const customer = customerOf(body);
    if (!('type' in customer)) return customer;
    const total = centsOfAmount(body.TotalAmt);
    if (total === null) return missing('TotalAmt');
    if (total < 0) return businessRule('Payment amount cannot be negative');
    const lines = Array.isArray(body.Line) ? (body.Line as Line[]) : [];
    const applications: Array<{ invoice: SimulatedEntity; amount: number }> = [];
    for (const line of lines) {
      const amount = centsOfAmount(line.Amount);
      const linked = (line.LinkedTxn as Array<{ TxnId?: unknown; TxnType?: unknown }> | undefined)?.[0];
      if (amount === null || amount <= 0 || !linked) return missing('Line.LinkedTxn');
      const invoice = linked.TxnType === 'Invoice' ? find('Invoice', linked.TxnId) : undefined;
      if (!invoice) return invalidReference('Invoice', linked.TxnId);
      if (invoice.data.CustomerRef && (invoice.data.CustomerRef as { value?: unknown }).value !== customer.Id)
        return businessRule('The invoice you are paying belongs to another customer');
      if (invoice.isVoided || amount > invoice.balanceCents)
        return businessRule('The payment amount applied to an invoice cannot exceed its open balance');
      applications.push({ invoice, amount });
    }
    const applied = applications.reduce((sum, application) => sum + application.amount, 0);
    if (applied > total) return businessRule('The amount applied to transactions exceeds the payment total');
    for (const application of applications) application.invoice.balanceCents -= application.amount;
    return store('Payment', { ...body, UnappliedAmt: amountOfCents(total - applied) });
  };

  const createJournalEntry = (body: Record<string, unknown>): SimulatorReply => {
    const problem = checkDocument(body);
    if (problem) return problem;
    const lines = Array.isArray(body.Line) ? (body.Line as Line[]) : [];
    if (lines.length < 2) return missing('Line');
    let balance = 0;
    for (const line of lines) {
      const detail = line.JournalEntryLineDetail as Line | undefined;
      const amount = centsOfAmount(line.Amount);
      if (!detail || amount === null || amount < 0) return missing('Line.JournalEntryLineDetail');
      const accountId = (detail.AccountRef as { value?: unknown } | undefined)?.value;
      if (!accountIds.has(String(accountId))) return invalidReference('Account', accountId);
      const entityId = ((detail.Entity as Line | undefined)?.EntityRef as { value?: unknown } | undefined)
        ?.value;
      if (String(accountId) === accounts.receivable && !find('Customer', entityId))
        return businessRule(
          'When you use Accounts Receivable, you must choose a customer in the Name field.',
        );
      if (detail.PostingType === 'Debit') balance += amount;
      else if (detail.PostingType === 'Credit') balance -= amount;
      else return missing('PostingType');
    }
    if (balance !== 0) return businessRule('Transaction must balance: debits must equal credits');
    return store('JournalEntry', body);
  };

  const query = (statement: string): SimulatorReply => {
    const match =
      /^select \* from (Customer|Invoice) where (DisplayName|DocNumber) = '((?:[^'\\]|\\.)*)'$/i.exec(
        statement.trim(),
      );
    if (!match)
      return fault(400, 'ValidationFault', '4000', 'Error parsing query', `QueryParserError: ${statement}`);
    const type = match[1] === 'Customer' ? 'Customer' : 'Invoice';
    const value = (match[3] ?? '').replace(/\\(.)/g, '$1');
    const rows = entities
      .filter((entity) => entity.type === type && entity.data[match[2] ?? ''] === value)
      .map(representation);
    return {
      status: 200,
      body: {
        QueryResponse: rows.length === 0 ? {} : { [type]: rows, startPosition: 1, maxResults: rows.length },
        time: new Date(clock.now()).toISOString(),
      },
    };
  };

  const write = (entity: string, operation: string | null, body: Record<string, unknown>): SimulatorReply => {
    if (entities.length >= ENTITIES_MAX)
      return fault(503, 'SystemFault', '10000', 'Simulator store is full', 'ENTITIES_MAX reached');
    if (entity === 'customer') return createCustomer(body);
    if (entity === 'invoice' && operation === 'void') return voidInvoice(body);
    if (entity === 'invoice') return createSalesDocument('Invoice', body);
    if (entity === 'creditmemo') return createSalesDocument('CreditMemo', body);
    if (entity === 'payment') return createPayment(body);
    if (entity === 'journalentry') return createJournalEntry(body);
    return fault(
      400,
      'ValidationFault',
      '4001',
      'Unsupported Operation',
      `Operation ${entity} is not supported.`,
    );
  };

  const api = (request: SimulatorRequest, entity: string, rest: string | undefined): SimulatorReply => {
    const grant = oauth.grantOf(headerOf(request, 'authorization'));
    if (!grant)
      return {
        status: 401,
        body: {
          fault: {
            error: [
              {
                message: 'message=AuthenticationFailed; errorDetail=Token expired or invalid; statusCode=401',
                detail: 'Token expired or invalid',
                code: '3200',
              },
            ],
            type: 'SERVICE',
          },
        },
      };
    apiCalls++;
    const failure = failures.shift();
    if (failure)
      return {
        status: failure.status,
        headers:
          failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) },
        body:
          failure.status === 429
            ? {
                fault: {
                  error: [
                    {
                      message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
                      detail: 'The request limit was reached.',
                      code: '003001',
                    },
                  ],
                  type: 'SERVICE',
                },
              }
            : {
                Fault: {
                  Error: [
                    {
                      Message: 'An application error has occurred while processing your request',
                      Detail: 'System Failure Error',
                      code: '10000',
                    },
                  ],
                  type: 'SystemFault',
                },
              },
      };
    if (request.method === 'GET' && entity === 'query')
      return query(request.url.searchParams.get('query') ?? '');
    if (request.method === 'GET' && rest) {
      const type = (
        {
          invoice: 'Invoice',
          customer: 'Customer',
          payment: 'Payment',
          creditmemo: 'CreditMemo',
          journalentry: 'JournalEntry',
        } as const
      )[entity as 'invoice'];
      const found = type ? find(type, rest) : undefined;
      return found
        ? answer(found)
        : fault(
            400,
            'ValidationFault',
            '610',
            'Object Not Found',
            `Object Not Found : Something you're trying to use has been made inactive or deleted.`,
          );
    }
    if (request.method !== 'POST' || rest)
      return fault(405, 'ValidationFault', '4001', 'Unsupported Operation', 'Method not allowed');
    const requestId = request.url.searchParams.get('requestid');
    if (requestId !== null && (requestId === '' || requestId.length > REQUEST_ID_CHARS_MAX))
      return validation(
        '4000',
        'Invalid requestid',
        `requestid must be 1..${REQUEST_ID_CHARS_MAX} characters`,
      );
    const replayed = requestId === null ? undefined : answersByRequestId.get(requestId);
    if (replayed) return replayed;
    if (requestId !== null && answersByRequestId.size >= REMEMBERED_REQUESTS_MAX)
      return fault(
        503,
        'SystemFault',
        '10000',
        'Simulator request memory is full',
        'REMEMBERED_REQUESTS_MAX reached',
      );
    const body = parseJsonObject(request.text);
    const reply = body
      ? write(entity, request.url.searchParams.get('operation'), body)
      : fault(400, 'ValidationFault', '2030', 'Invalid JSON', 'The request body is not a JSON object');
    // The "same response as it did for the original request": a processed request is remembered either way.
    if (requestId !== null) answersByRequestId.set(requestId, reply);
    return reply;
  };

  let baseUrl = '';
  const route = (request: SimulatorRequest): SimulatorReply => {
    const path = request.url.pathname;
    if (request.method === 'GET' && path === QUICKBOOKS_AUTHORIZE_PATH)
      return oauth.authorize(request.url.searchParams, options.realmId, { realmId: options.realmId });
    if (request.method === 'POST' && path === QUICKBOOKS_TOKEN_PATH)
      return oauth.token(headerOf(request, 'authorization'), new URLSearchParams(request.text));
    const match = /^\/v3\/company\/([^/]+)\/([a-z]+)(?:\/([^/]+))?$/.exec(path);
    if (!match)
      return fault(404, 'ValidationFault', '4001', 'Unsupported Operation', `No resource at ${path}`);
    if (match[1] !== options.realmId)
      return fault(
        403,
        'AuthorizationFault',
        '120',
        'Authorization Failure',
        'AuthorizationFailure: no access to this company',
      );
    return api(request, match[2] ?? '', match[3]);
  };

  const server: Server = createJsonServer(
    route,
    fault(413, 'ValidationFault', '4000', 'Request too large', 'body too large'),
  );
  const port = await listenHttp(server, host, options.port);
  baseUrl = `http://${host}:${port}`;
  return {
    baseUrl,
    authorizeUrl: `${baseUrl}${QUICKBOOKS_AUTHORIZE_PATH}`,
    tokenUrl: `${baseUrl}${QUICKBOOKS_TOKEN_PATH}`,
    oauth,
    entities: (type) => entities.filter((entity) => type === undefined || entity.type === type),
    failNext: (count, failure) => {
      for (let index = 0; index < count; index++) failures.push(failure);
    },
    apiCallCount: () => apiCalls,
    stop: () => stopServer(server),
  };
}
