// Tables of data/platform.db for billing ISPs: their accounts, charges, payments, ledger, notices.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per ISP: what the billing job and the console read to decide access. */
export const platformAccounts = sqliteTable(
  'platform_accounts',
  {
    tenantId: text('tenant_id').primaryKey(),
    /** What the ISP quotes on a bank transfer or M-Pesa payment, e.g. KIU-7KQ2MX. */
    bankReference: text('bank_reference').notNull(),
    optedTier2: integer('opted_tier2', { mode: 'boolean' }).notNull().default(false),
    /** trial | active | grace | restricted, as last computed (notices fire on a change). */
    state: text('state').notNull().default('trial'),
    /** Due date of the oldest platform charge not yet covered by payments; null when nothing is owed. */
    oldestUnpaidDueAt: integer('oldest_unpaid_due_at'),
    /** Period key (YYYY-MM-DD) whose tier was last evaluated from revenue. */
    tierEvaluatedPeriod: text('tier_evaluated_period'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('platform_accounts_reference_unique').on(table.bankReference)],
);

/** A charge to an ISP; the id comes from platformCharges (tenant, period, kind), so a re-run adds nothing. */
export const platformCharges = sqliteTable(
  'platform_charges',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    periodKey: text('period_key').notNull(),
    /** registration | monthly */
    kind: text('kind').notNull(),
    /** tier1 | tier2 */
    tier: text('tier').notNull(),
    amountCents: integer('amount_cents').notNull(),
    description: text('description').notNull(),
    dueAt: integer('due_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('platform_charges_tenant_due').on(table.tenantId, table.dueAt)],
);

/** Money received by the platform; the provider's transaction id makes every recording idempotent. */
export const platformPayments = sqliteTable(
  'platform_payments',
  {
    id: text('id').primaryKey(),
    /** Null while unmatched (a bank reference nobody has). */
    tenantId: text('tenant_id'),
    /** mpesa_stk | bank | paypal */
    provider: text('provider').notNull(),
    /** M-Pesa receipt, bank transaction id, PayPal capture id. */
    providerTransactionId: text('provider_transaction_id').notNull(),
    /** Ksh cents credited to the ISP. */
    amountCents: integer('amount_cents').notNull(),
    /** What was actually paid when not Ksh (PayPal: USD cents), with the fixed rate used. */
    paidCurrency: text('paid_currency').notNull().default('KES'),
    paidAmountMinor: integer('paid_amount_minor').notNull(),
    /** Ksh cents per 1 unit of paidCurrency (12900 = Ksh 129.00 per USD); null for Ksh. */
    exchangeRateKesCents: integer('exchange_rate_kes_cents'),
    reference: text('reference'),
    /** matched | unmatched */
    status: text('status').notNull(),
    recordedBy: text('recorded_by'),
    receivedAt: integer('received_at').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('platform_payments_provider_transaction_unique').on(
      table.provider,
      table.providerTransactionId,
    ),
    index('platform_payments_tenant').on(table.tenantId, table.receivedAt),
    index('platform_payments_status').on(table.status, table.receivedAt),
  ],
);

/** Immutable transfers: +amount is a charge (the ISP owes), −amount a payment; balance = sum. */
export const platformLedgerEntries = sqliteTable(
  'platform_ledger_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** chg:<charge id> or pay:<payment id>: written once, whatever retries happen. */
    transferId: text('transfer_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    description: text('description').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [
    uniqueIndex('platform_ledger_transfer_unique').on(table.transferId),
    index('platform_ledger_tenant').on(table.tenantId, table.at),
  ],
);

/** A payment started by the ISP and not yet confirmed: an STK push or a PayPal order. */
export const platformPaymentIntents = sqliteTable(
  'platform_payment_intents',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** mpesa_stk | paypal */
    provider: text('provider').notNull(),
    /** CheckoutRequestID or PayPal order id. */
    providerReference: text('provider_reference'),
    amountCents: integer('amount_cents').notNull(),
    paidCurrency: text('paid_currency').notNull().default('KES'),
    paidAmountMinor: integer('paid_amount_minor').notNull(),
    exchangeRateKesCents: integer('exchange_rate_kes_cents'),
    /** pending | paid | failed */
    status: text('status').notNull(),
    failureMessage: text('failure_message'),
    paymentId: text('payment_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('platform_intents_reference_unique').on(table.provider, table.providerReference),
    index('platform_intents_tenant').on(table.tenantId, table.createdAt),
  ],
);

/** What the platform tells an ISP: tier changes, trial end, grace, restriction, restoration. */
export const platformNotices = sqliteTable(
  'platform_notices',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
  },
  (table) => [index('platform_notices_tenant').on(table.tenantId, table.createdAt)],
);

/** Every provider callback to the platform, stored raw before it is read. */
export const platformCallbacks = sqliteTable('platform_callbacks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  provider: text('provider').notNull(),
  kind: text('kind').notNull(),
  body: text('body').notNull(),
  /** stored | applied | duplicate | unmatched | rejected | failed */
  outcome: text('outcome').notNull(),
  receivedAt: integer('received_at').notNull(),
});
