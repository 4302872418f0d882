// Reseller tables of one ISP's shard (issue 13): the hierarchy, commission rules, stock bought, commissions
// earned, top-ups and payouts. Wallet and commission balances live in the ledger (reseller_wallet:<id>,
// reseller_commission:<id>); these rows are what the consoles list and what makes each event happen once.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** An agent of the ISP; never deleted (a deactivated reseller keeps what it earned). */
export const resellers = sqliteTable(
  'resellers',
  {
    /** `rsl_…`; also the id of its sign-in account (users.id, kind 'reseller') in the platform database. */
    id: text('id').primaryKey(),
    /** Six characters of the voucher alphabet: the portal link's `?r=` and the code typed on the portal. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    /** null: created by the ISP (depth 1). */
    parentId: text('parent_id'),
    depth: integer('depth').notNull(),
    /** commission | discount; null: the ISP's setting resellers.stockPricing. */
    priceMode: text('price_mode'),
    /** active | deactivated */
    status: text('status').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [
    uniqueIndex('resellers_code_unique').on(table.code),
    index('resellers_parent').on(table.parentId, table.createdAt),
  ],
);

/** Per plan (or the default), per level: a percentage in basis points or a fixed amount. */
export const commissionRules = sqliteTable(
  'commission_rules',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id'),
    /** plan_id, or '' for the default: one unique key on both databases without an expression index. */
    planKey: text('plan_key').notNull(),
    level: integer('level').notNull(),
    percentBasisPoints: integer('percent_basis_points'),
    fixedCents: integer('fixed_cents'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [uniqueIndex('commission_rules_plan_level_unique').on(table.planKey, table.level)],
);

/** Voucher stock a reseller bought from its wallet: one voucher batch. */
export const resellerStockPurchases = sqliteTable(
  'reseller_stock_purchases',
  {
    id: text('id').primaryKey(),
    resellerId: text('reseller_id').notNull(),
    planId: text('plan_id').notNull(),
    batchId: text('batch_id').notNull(),
    count: integer('count').notNull(),
    unitCostCents: integer('unit_cost_cents').notNull(),
    costCents: integer('cost_cents').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('reseller_stock_reseller').on(table.resellerId, table.createdAt),
    uniqueIndex('reseller_stock_batch_unique').on(table.batchId),
  ],
);

/** One row per level that earned on a sale (a portal purchase or a stock purchase): posted once. */
export const resellerCommissions = sqliteTable(
  'reseller_commissions',
  {
    /** The purchase (`pur_…`) or stock purchase (`rsp_…`) id. */
    saleId: text('sale_id').notNull(),
    level: integer('level').notNull(),
    resellerId: text('reseller_id').notNull(),
    /** The reseller that made the sale (level 1's). */
    sellerId: text('seller_id').notNull(),
    planId: text('plan_id').notNull(),
    /** portal | stock */
    saleKind: text('sale_kind').notNull(),
    salePriceCents: integer('sale_price_cents').notNull(),
    amountCents: integer('amount_cents').notNull(),
    settledAt: integer('settled_at').notNull(),
  },
  (table) => [
    primaryKey({ name: 'reseller_commissions_pkey', columns: [table.saleId, table.level] }),
    index('reseller_commissions_reseller').on(table.resellerId, table.settledAt),
  ],
);

/** Float received from a reseller: cash recorded by the ISP, or an STK payment to the ISP's shortcode. */
export const resellerTopUps = sqliteTable(
  'reseller_top_ups',
  {
    id: text('id').primaryKey(),
    resellerId: text('reseller_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    /** cash | mpesa | bank */
    method: text('method').notNull(),
    /** The ISP's cash-book reference, or the M-Pesa receipt: a repeat of it is the same top-up. */
    reference: text('reference').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('reseller_top_ups_reference_unique').on(table.resellerId, table.reference),
    index('reseller_top_ups_reseller').on(table.resellerId, table.createdAt),
  ],
);

/** Commission paid out by the ISP (cash or M-Pesa reference): reduces what is owed. */
export const resellerPayouts = sqliteTable(
  'reseller_payouts',
  {
    id: text('id').primaryKey(),
    resellerId: text('reseller_id').notNull(),
    amountCents: integer('amount_cents').notNull(),
    method: text('method').notNull(),
    reference: text('reference').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [index('reseller_payouts_reseller').on(table.resellerId, table.createdAt)],
);

/** A stock voucher a reseller sold to a buyer's phone by SMS: sold once, counted in the reseller's sales. */
export const resellerVoucherSales = sqliteTable(
  'reseller_voucher_sales',
  {
    /** The voucher sold; its primary key, so a voucher is sold once. */
    voucherId: text('voucher_id').primaryKey(),
    resellerId: text('reseller_id').notNull(),
    /** The buyer's phone, 2547XXXXXXXX: where the code went. */
    phone: text('phone').notNull(),
    soldBy: text('sold_by').notNull(),
    soldAt: integer('sold_at').notNull(),
  },
  (table) => [index('reseller_voucher_sales_reseller').on(table.resellerId, table.soldAt)],
);
