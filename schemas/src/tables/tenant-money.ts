// Money tables of one ISP's shard: hotspot purchases, payments, the ledger, raw provider callbacks.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** A hotspot client's M-Pesa STK purchase of a plan from the captive portal. */
export const purchases = sqliteTable(
  'purchases',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id').notNull(),
    phone: text('phone').notNull(),
    macAddress: text('mac_address'),
    amountCents: integer('amount_cents').notNull(),
    /** pending | paid | failed */
    status: text('status').notNull(),
    merchantRequestId: text('merchant_request_id'),
    checkoutRequestId: text('checkout_request_id'),
    voucherId: text('voucher_id'),
    mpesaReceipt: text('mpesa_receipt'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    /** The referral code the buyer came with (`?ref=` or typed), if any (issue 13). */
    referralCode: text('referral_code'),
    /** The reseller whose link or code the buyer came through (issue 13): earns commission when paid. */
    resellerId: text('reseller_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('purchases_checkout_unique').on(table.checkoutRequestId),
    index('purchases_phone').on(table.phone, table.createdAt),
    index('purchases_status').on(table.status, table.createdAt),
    // The sales report leaves out vouchers a portal purchase made (they are sold as portal_stk).
    index('purchases_voucher').on(table.voucherId),
    // The sales report's partial days read a purchase's plan from the index alone.
    index('purchases_plan').on(table.id, table.planId),
  ],
);

/** Money received, idempotent by the provider's transaction id (M-Pesa receipt). */
export const payments = sqliteTable(
  'payments',
  {
    id: text('id').primaryKey(),
    /** mpesa_stk | mpesa_c2b | manual */
    provider: text('provider').notNull(),
    providerTransactionId: text('provider_transaction_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    phone: text('phone'),
    accountReference: text('account_reference'),
    /** purchase | subscriber | voucher | reseller (an STK wallet top-up) — null while unmatched, for the ISP to assign. */
    matchedKind: text('matched_kind'),
    matchedId: text('matched_id'),
    /** matched | unmatched */
    status: text('status').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (table) => [
    uniqueIndex('payments_provider_transaction_unique').on(table.provider, table.providerTransactionId),
    index('payments_status').on(table.status, table.receivedAt),
    index('payments_matched').on(table.matchedKind, table.matchedId),
    // Covers the sales report's partial days (issue 12 "Measure"): a range of matched payments is read
    // from the index alone, in order, instead of one table lookup per payment.
    index('payments_sales').on(
      table.status,
      table.receivedAt,
      table.provider,
      table.matchedKind,
      table.matchedId,
      table.amountCents,
    ),
  ],
);

/** Double-entry ledger: immutable transfers; corrections are new transfers. */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Chosen by the caller so that retrying a money mutation cannot post it twice. */
    transferId: text('transfer_id').notNull(),
    debitAccount: text('debit_account').notNull(),
    creditAccount: text('credit_account').notNull(),
    amountCents: integer('amount_cents').notNull(),
    kind: text('kind').notNull(),
    reference: text('reference'),
    createdAt: integer('created_at').notNull(),
    /** The invoice a billing transfer belongs to (charge, credit, void); null for payments. */
    invoiceId: text('invoice_id'),
  },
  (table) => [
    uniqueIndex('ledger_transfer_unique').on(table.transferId),
    index('ledger_invoice').on(table.invoiceId),
    index('ledger_debit').on(table.debitAccount),
    index('ledger_credit').on(table.creditAccount),
  ],
);

/** Every provider callback as received, for audit and replay. */
export const providerCallbacks = sqliteTable(
  'provider_callbacks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    provider: text('provider').notNull(),
    kind: text('kind').notNull(),
    receivedAt: integer('received_at').notNull(),
    body: text('body').notNull(),
    /** stored | applied | duplicate | rejected | unmatched */
    outcome: text('outcome').notNull(),
  },
  (table) => [index('callbacks_received').on(table.receivedAt)],
);
