// What the Daraja simulator remembers: tokens, STK requests and their outcome, C2B registrations and payments.
import type { StkScenarioName } from './scenarios';

/** Tests look at a few hundred transactions; past this the oldest are forgotten (and counted). */
export const TRANSACTIONS_MAX = 10_000;
/** Every client fetches one token an hour; more live tokens than this means a client not caching. */
export const TOKENS_MAX = 1_000;
/** Per-number scenario overrides set by tests. */
export const PHONE_SCENARIOS_MAX = 1_000;

export interface CallbackDelivery {
  readonly url: string;
  /** 1 for the first POST, 2.. for duplicates. */
  readonly copy: number;
  readonly at: number;
  readonly status?: number;
  readonly responseBody?: unknown;
  readonly error?: string;
}

export interface StkTransaction {
  readonly merchantRequestId: string;
  readonly checkoutRequestId: string;
  readonly shortcode: string;
  readonly phone: string;
  /** Whole shillings, as requested. */
  readonly amount: number;
  readonly accountReference: string;
  readonly callbackUrl: string;
  readonly scenario: StkScenarioName;
  readonly createdAt: number;
  status: 'pending' | 'completed';
  resultCode?: number;
  resultDesc?: string;
  mpesaReceiptNumber?: string;
  transactionDate?: string;
  callbackBody?: unknown;
  readonly deliveries: CallbackDelivery[];
}

export interface C2bRegistration {
  readonly shortcode: string;
  /** The Register URL path's version: v2 confirmations carry a masked MSISDN, v1 a SHA-256 of it. */
  readonly apiVersion: 'v1' | 'v2';
  readonly responseType: 'Completed' | 'Cancelled';
  readonly confirmationUrl: string;
  readonly validationUrl: string;
  readonly registeredAt: number;
}

/** A receipt the transaction status API can find (STK payments and confirmed C2B payments). */
export interface CompletedPayment {
  readonly receipt: string;
  readonly shortcode: string;
  readonly msisdn: string;
  readonly amountCents: number;
  readonly transactionDate: string;
  readonly reasonType: string;
}

export interface SimulatorSnapshot {
  readonly tokensIssued: number;
  readonly stkTransactions: readonly StkTransaction[];
  readonly c2bRegistrations: readonly C2bRegistration[];
  readonly c2bPayments: readonly unknown[];
  readonly transactionStatusQueries: readonly unknown[];
  readonly phoneScenarios: Readonly<Record<string, StkScenarioName>>;
  readonly forgotten: number;
}

/** Insert into a Map that keeps at most `limit` entries, dropping the oldest; answers how many were dropped. */
function boundedSet<K, V>(map: Map<K, V>, key: K, value: V, limit: number): number {
  map.set(key, value);
  let dropped = 0;
  for (const oldest of map.keys()) {
    if (map.size <= limit) break;
    map.delete(oldest);
    dropped += 1;
  }
  return dropped;
}

function boundedPush<T>(list: T[], item: T, limit: number): number {
  list.push(item);
  const excess = list.length - limit;
  if (excess > 0) list.splice(0, excess);
  return Math.max(0, excess);
}

export class SimulatorState {
  private tokens = new Map<string, { consumerKey: string; expiresAtMs: number }>();
  private tokensIssued = 0;
  private stk = new Map<string, StkTransaction>();
  private registrations = new Map<string, C2bRegistration>();
  private c2bPayments: unknown[] = [];
  private statusQueries: unknown[] = [];
  private payments = new Map<string, CompletedPayment>();
  private phoneScenarios = new Map<string, StkScenarioName>();
  /** Per shortcode, what OrgAccountBalance reports after each confirmed payment. */
  private balances = new Map<string, number>();
  private forgotten = 0;

  issueToken(token: string, consumerKey: string, expiresAtMs: number): void {
    this.tokensIssued += 1;
    this.forgotten += boundedSet(this.tokens, token, { consumerKey, expiresAtMs }, TOKENS_MAX);
  }

  /** The consumer key a live token was issued to, or undefined for an unknown or expired one. */
  consumerKeyOfToken(token: string, nowMs: number): string | undefined {
    const entry = this.tokens.get(token);
    return entry !== undefined && nowMs < entry.expiresAtMs ? entry.consumerKey : undefined;
  }

  revokeTokens(): void {
    this.tokens.clear();
  }

  addStk(transaction: StkTransaction): void {
    this.forgotten += boundedSet(this.stk, transaction.checkoutRequestId, transaction, TRANSACTIONS_MAX);
  }

  getStk(checkoutRequestId: string): StkTransaction | undefined {
    return this.stk.get(checkoutRequestId);
  }

  register(registration: C2bRegistration): void {
    this.registrations.set(registration.shortcode, registration);
  }

  registration(shortcode: string): C2bRegistration | undefined {
    return this.registrations.get(shortcode);
  }

  addC2bPayment(record: unknown): void {
    this.forgotten += boundedPush(this.c2bPayments, record, TRANSACTIONS_MAX);
  }

  addStatusQuery(record: unknown): void {
    this.forgotten += boundedPush(this.statusQueries, record, TRANSACTIONS_MAX);
  }

  addPayment(payment: CompletedPayment): void {
    this.forgotten += boundedSet(this.payments, payment.receipt, payment, TRANSACTIONS_MAX);
  }

  payment(receipt: string): CompletedPayment | undefined {
    return this.payments.get(receipt);
  }

  isReceiptUsed(receipt: string): boolean {
    return this.payments.has(receipt);
  }

  /** Adds to the shortcode's balance and answers the new balance in cents. */
  credit(shortcode: string, amountCents: number): number {
    const balance = (this.balances.get(shortcode) ?? 0) + amountCents;
    this.balances.set(shortcode, balance);
    return balance;
  }

  setPhoneScenario(phone: string, scenario: StkScenarioName): void {
    boundedSet(this.phoneScenarios, phone, scenario, PHONE_SCENARIOS_MAX);
  }

  phoneScenario(phone: string): StkScenarioName | undefined {
    return this.phoneScenarios.get(phone);
  }

  reset(): void {
    this.tokens.clear();
    this.stk.clear();
    this.registrations.clear();
    this.c2bPayments = [];
    this.statusQueries = [];
    this.payments.clear();
    this.phoneScenarios.clear();
    this.balances.clear();
    this.tokensIssued = 0;
    this.forgotten = 0;
  }

  /** A JSON-ready copy for `GET /__sim/state` and tests. */
  snapshot(): SimulatorSnapshot {
    return structuredClone({
      tokensIssued: this.tokensIssued,
      stkTransactions: [...this.stk.values()],
      c2bRegistrations: [...this.registrations.values()],
      c2bPayments: this.c2bPayments,
      transactionStatusQueries: this.statusQueries,
      phoneScenarios: Object.fromEntries(this.phoneScenarios),
      forgotten: this.forgotten,
    });
  }
}
