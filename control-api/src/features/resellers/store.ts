// The SQL of the reseller feature on one ISP's shard: resellers, commission rules, stock purchases,
// commissions, top-ups, payouts, and the ledger sums that are the wallet and commission balances.
import { type Cents, cents, type SqlDatabase, type SqlValue } from '@kiunga/schemas';
import { afterCursor, createdPageOf, newestFirst, type PageRequest, whereAll } from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';
import {
  type CommissionItem,
  RESELLER_DEPTH_LIMIT,
  type ResellerLink,
  type ResellerTransfer,
  type ResellerTransferKind,
} from './core';

export interface ResellerRow {
  id: string;
  code: string;
  name: string;
  email: string;
  phone: string;
  parentId: string | null;
  depth: number;
  priceMode: string | null;
  status: 'active' | 'deactivated';
  createdAt: number;
  updatedAt: number;
}

const RESELLER_COLUMNS = `id, code, name, email, phone, parent_id AS "parentId", depth, price_mode AS "priceMode",
  status, created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function loadResellerLinks(database: SqlDatabase): Promise<ResellerLink[]> {
  return database.all<ResellerLink>('SELECT id, parent_id AS "parentId" FROM resellers');
}

/** The seller and its parents up to the top (at most RESELLER_DEPTH_LIMIT rows): one sale's chain. */
export async function loadChainLinks(database: SqlDatabase, resellerId: string): Promise<ResellerLink[]> {
  const links: ResellerLink[] = [];
  let current: string | null = resellerId;
  while (current !== null && links.length < RESELLER_DEPTH_LIMIT) {
    const link: ResellerLink | undefined = await database.get<ResellerLink>(
      'SELECT id, parent_id AS "parentId" FROM resellers WHERE id = ?',
      [current],
    );
    if (!link) break;
    links.push(link);
    current = link.parentId;
  }
  return links;
}

export async function findReseller(database: SqlDatabase, id: string): Promise<ResellerRow | undefined> {
  return database.get<ResellerRow>(`SELECT ${RESELLER_COLUMNS} FROM resellers WHERE id = ?`, [id]);
}

export async function findResellerByCode(
  database: SqlDatabase,
  code: string,
): Promise<ResellerRow | undefined> {
  return database.get<ResellerRow>(`SELECT ${RESELLER_COLUMNS} FROM resellers WHERE code = ?`, [code]);
}

export async function isResellerCodeTaken(database: SqlDatabase, code: string): Promise<boolean> {
  return (await database.get('SELECT 1 AS found FROM resellers WHERE code = ?', [code])) !== undefined;
}

export async function insertReseller(database: SqlDatabase, row: ResellerRow): Promise<void> {
  await database.run(
    `INSERT INTO resellers (id, code, name, email, phone, parent_id, depth, price_mode, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.id,
      row.code,
      row.name,
      row.email,
      row.phone,
      row.parentId,
      row.depth,
      row.priceMode,
      row.status,
      row.createdAt,
      row.updatedAt,
    ],
  );
}

export async function updateResellerRow(
  database: SqlDatabase,
  id: string,
  change: { name?: string | undefined; phone?: string | undefined; status?: string | undefined },
  nowMs: number,
): Promise<void> {
  await database.run(
    `UPDATE resellers SET name = coalesce(CAST(? AS TEXT), name), phone = coalesce(CAST(? AS TEXT), phone),
            status = coalesce(CAST(? AS TEXT), status), updated_at = ? WHERE id = ?`,
    [change.name ?? null, change.phone ?? null, change.status ?? null, nowMs, id],
  );
}

/** A moved reseller's new parent, and the new depth of it and of each reseller below it. */
export async function moveResellerRows(
  database: SqlDatabase,
  move: { id: string; parentId: string | null; depths: ReadonlyMap<string, number> },
  nowMs: number,
): Promise<void> {
  await database.run('UPDATE resellers SET parent_id = ?, updated_at = ? WHERE id = ?', [
    move.parentId,
    nowMs,
    move.id,
  ]);
  for (const [id, depth] of move.depths) {
    await database.run('UPDATE resellers SET depth = ?, updated_at = ? WHERE id = ? AND depth <> ?', [
      depth,
      nowMs,
      id,
      depth,
    ]);
  }
}

/** The deepest level any reseller of the ISP sits at (0 without resellers). */
export async function deepestResellerDepth(database: SqlDatabase): Promise<number> {
  const row = await database.get<{ depth: number | null }>('SELECT MAX(depth) AS depth FROM resellers');
  return Number(row?.depth ?? 0);
}

/** A page of resellers among `visibleIds` (null: all of the ISP's), optionally under one parent. */
export async function listResellerRows(
  database: SqlDatabase,
  filter: { visibleIds: readonly string[] | null; parentId?: string | undefined },
  page: PageRequest,
): Promise<Page<ResellerRow>> {
  const visible =
    filter.visibleIds === null
      ? undefined
      : filter.visibleIds.length === 0
        ? { sql: '1 = 0', params: [] }
        : { sql: `id IN (${filter.visibleIds.map(() => '?').join(', ')})`, params: [...filter.visibleIds] };
  const where = whereAll([
    visible,
    filter.parentId === undefined ? undefined : { sql: 'parent_id = ?', params: [filter.parentId] },
    afterCursor(page.cursor),
  ]);
  const rows = await database.all<ResellerRow>(
    `SELECT ${RESELLER_COLUMNS} FROM resellers${where.sql} ORDER BY ${newestFirst()} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rows, page.limit, (row) => row);
}

/** What the ISP owes on a liability account: credits minus debits over the whole ledger. */
export async function liabilityBalance(database: SqlDatabase, account: string): Promise<Cents> {
  const row = await database.get<{ credits: number | null; debits: number | null }>(
    `SELECT (SELECT SUM(amount_cents) FROM ledger_entries WHERE credit_account = ?) AS credits,
            (SELECT SUM(amount_cents) FROM ledger_entries WHERE debit_account = ?) AS debits`,
    [account, account],
  );
  return cents(Number(row?.credits ?? 0) - Number(row?.debits ?? 0));
}

export interface CommissionRuleRow {
  id: string;
  planId: string | null;
  level: number;
  percentBasisPoints: number | null;
  fixedCents: number | null;
  createdAt: number;
}

const RULE_COLUMNS = `id, plan_id AS "planId", level, percent_basis_points AS "percentBasisPoints",
  fixed_cents AS "fixedCents", created_at AS "createdAt"`;

export async function listCommissionRuleRows(database: SqlDatabase): Promise<CommissionRuleRow[]> {
  return database.all<CommissionRuleRow>(
    `SELECT ${RULE_COLUMNS} FROM commission_rules ORDER BY plan_key, level`,
  );
}

/** Inserts or replaces the rule of (plan, level): the unique key makes one rule per pair. */
export async function upsertCommissionRule(database: SqlDatabase, row: CommissionRuleRow): Promise<void> {
  await database.run(
    `INSERT INTO commission_rules (id, plan_id, plan_key, level, percent_basis_points, fixed_cents, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (plan_key, level) DO UPDATE SET percent_basis_points = excluded.percent_basis_points,
       fixed_cents = excluded.fixed_cents, updated_at = excluded.updated_at`,
    [
      row.id,
      row.planId,
      row.planId ?? '',
      row.level,
      row.percentBasisPoints,
      row.fixedCents,
      row.createdAt,
      row.createdAt,
    ],
  );
}

export async function findCommissionRuleRow(
  database: SqlDatabase,
  planId: string | null,
  level: number,
): Promise<CommissionRuleRow | undefined> {
  return database.get<CommissionRuleRow>(
    `SELECT ${RULE_COLUMNS} FROM commission_rules WHERE plan_key = ? AND level = ?`,
    [planId ?? '', level],
  );
}

export interface CashMovementRow {
  id: string;
  resellerId: string;
  amountCents: number;
  method: 'cash' | 'mpesa' | 'bank';
  reference: string;
  createdBy: string;
  createdAt: number;
}

const MOVEMENT_COLUMNS = `id, reseller_id AS "resellerId", amount_cents AS "amountCents", method, reference,
  created_by AS "createdBy", created_at AS "createdAt"`;

type MovementTable = 'reseller_top_ups' | 'reseller_payouts';

/** False when a top-up with this reference is already recorded for the reseller (the retry is a no-op). */
export async function insertCashMovement(
  database: SqlDatabase,
  table: MovementTable,
  row: CashMovementRow,
): Promise<boolean> {
  const conflict = table === 'reseller_top_ups' ? ' ON CONFLICT (reseller_id, reference) DO NOTHING' : '';
  const result = await database.run(
    `INSERT INTO ${table} (id, reseller_id, amount_cents, method, reference, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)${conflict}`,
    [row.id, row.resellerId, row.amountCents, row.method, row.reference, row.createdBy, row.createdAt],
  );
  return result.changes === 1;
}

export async function findTopUpByReference(
  database: SqlDatabase,
  resellerId: string,
  reference: string,
): Promise<CashMovementRow | undefined> {
  return database.get<CashMovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM reseller_top_ups WHERE reseller_id = ? AND reference = ?`,
    [resellerId, reference],
  );
}

export async function listCashMovements(
  database: SqlDatabase,
  table: MovementTable,
  resellerId: string,
  page: PageRequest,
): Promise<Page<CashMovementRow>> {
  const where = whereAll([{ sql: 'reseller_id = ?', params: [resellerId] }, afterCursor(page.cursor)]);
  const rows = await database.all<CashMovementRow>(
    `SELECT ${MOVEMENT_COLUMNS} FROM ${table}${where.sql} ORDER BY ${newestFirst()} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rows, page.limit, (row) => row);
}

export interface StockPurchaseRow {
  id: string;
  resellerId: string;
  planId: string;
  batchId: string;
  count: number;
  unitCostCents: number;
  costCents: number;
  createdBy: string;
  createdAt: number;
}

const STOCK_COLUMNS = `id, reseller_id AS "resellerId", plan_id AS "planId", batch_id AS "batchId", count,
  unit_cost_cents AS "unitCostCents", cost_cents AS "costCents", created_by AS "createdBy", created_at AS "createdAt"`;

export async function insertStockPurchase(database: SqlDatabase, row: StockPurchaseRow): Promise<void> {
  await database.run(
    `INSERT INTO reseller_stock_purchases (id, reseller_id, plan_id, batch_id, count, unit_cost_cents, cost_cents,
                                           created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      row.id,
      row.resellerId,
      row.planId,
      row.batchId,
      row.count,
      row.unitCostCents,
      row.costCents,
      row.createdBy,
      row.createdAt,
    ],
  );
}

export async function findStockPurchaseByBatch(
  database: SqlDatabase,
  batchId: string,
): Promise<StockPurchaseRow | undefined> {
  return database.get<StockPurchaseRow>(
    `SELECT ${STOCK_COLUMNS} FROM reseller_stock_purchases WHERE batch_id = ?`,
    [batchId],
  );
}

export async function listStockPurchases(
  database: SqlDatabase,
  resellerId: string,
  page: PageRequest,
): Promise<Page<StockPurchaseRow>> {
  const where = whereAll([{ sql: 'reseller_id = ?', params: [resellerId] }, afterCursor(page.cursor)]);
  const rows = await database.all<StockPurchaseRow>(
    `SELECT ${STOCK_COLUMNS} FROM reseller_stock_purchases${where.sql} ORDER BY ${newestFirst()} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rows, page.limit, (row) => row);
}

/** Rows of one sale; a sale already settled keeps its rows (primary key (sale_id, level)). */
export async function insertCommissionItems(
  database: SqlDatabase,
  items: readonly CommissionItem[],
  sale: { sellerId: string; kind: 'portal' | 'stock' },
): Promise<void> {
  for (const item of items) {
    await database.run(
      `INSERT INTO reseller_commissions (sale_id, level, reseller_id, seller_id, plan_id, sale_kind, sale_price_cents,
                                         amount_cents, settled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sale_id, level) DO NOTHING`,
      [
        item.saleId,
        item.level,
        item.resellerId,
        sale.sellerId,
        item.planId,
        sale.kind,
        item.salePriceCents,
        item.amountCents,
        item.settledAtMs,
      ],
    );
  }
}

export interface CommissionRow {
  saleId: string;
  level: number;
  resellerId: string;
  sellerId: string;
  planId: string;
  saleKind: 'portal' | 'stock';
  salePriceCents: number;
  amountCents: number;
  settledAt: number;
}

/** One reseller's commissions in [fromMs, toMs), newest first, bounded; and their total. */
export async function listCommissionRows(
  database: SqlDatabase,
  resellerId: string,
  range: { fromMs: number; toMs: number },
  rowsMax: number,
): Promise<{ items: CommissionRow[]; totalCents: Cents }> {
  const params: SqlValue[] = [resellerId, range.fromMs, range.toMs];
  const items = await database.all<CommissionRow>(
    `SELECT sale_id AS "saleId", level, reseller_id AS "resellerId", seller_id AS "sellerId", plan_id AS "planId",
            sale_kind AS "saleKind", sale_price_cents AS "salePriceCents", amount_cents AS "amountCents",
            settled_at AS "settledAt"
       FROM reseller_commissions WHERE reseller_id = ? AND settled_at >= ? AND settled_at < ?
      ORDER BY settled_at DESC, sale_id DESC, level LIMIT ?`,
    [...params, rowsMax],
  );
  const total = await database.get<{ total: number | null }>(
    `SELECT SUM(amount_cents) AS total FROM reseller_commissions
      WHERE reseller_id = ? AND settled_at >= ? AND settled_at < ?`,
    params,
  );
  return { items, totalCents: cents(Number(total?.total ?? 0)) };
}

/** Every transfer on a reseller's two accounts before `beforeMs`, for its statement. */
export async function loadResellerTransfers(
  database: SqlDatabase,
  accounts: readonly [string, string],
  beforeMs: number,
): Promise<ResellerTransfer[]> {
  const rows = await database.all<{
    transferId: string;
    debitAccount: string;
    creditAccount: string;
    amount: number;
    kind: ResellerTransferKind;
    reference: string | null;
    atMs: number;
  }>(
    `SELECT transfer_id AS "transferId", debit_account AS "debitAccount", credit_account AS "creditAccount",
            amount_cents AS amount, kind, reference, created_at AS "atMs"
       FROM ledger_entries
      WHERE (debit_account IN (?, ?) OR credit_account IN (?, ?)) AND created_at < ?
      ORDER BY created_at, transfer_id`,
    [...accounts, ...accounts, beforeMs],
  );
  return rows.map((row) => ({ ...row, amount: cents(row.amount) }));
}

/** The STK purchase row of a reseller's top-up, paid with what M-Pesa says was paid. */
export async function markTopUpPurchasePaid(
  database: SqlDatabase,
  purchaseId: string,
  payment: { receipt: string; amount: number },
  nowMs: number,
): Promise<void> {
  await database.run(
    `UPDATE purchases SET status = 'paid', mpesa_receipt = ?, amount_cents = ?, failure_code = NULL,
            failure_message = NULL, updated_at = ? WHERE id = ?`,
    [payment.receipt, payment.amount, nowMs, purchaseId],
  );
}

/** A voucher of a reseller's stock as a sale by SMS sees it. */
export interface StockVoucherRow {
  id: string;
  code: string;
  planId: string;
  planName: string;
  priceCents: number;
  status: string;
  isSold: boolean;
}

const STOCK_VOUCHER_SQL = `SELECT v.id, v.code, v.plan_id AS "planId", p.name AS "planName", v.price_cents AS "priceCents",
         v.status, CASE WHEN s.voucher_id IS NULL THEN 0 ELSE 1 END AS "isSold"
    FROM vouchers v
    JOIN reseller_stock_purchases sp ON sp.batch_id = v.batch_id
    JOIN plans p ON p.id = v.plan_id
    LEFT JOIN reseller_voucher_sales s ON s.voucher_id = v.id`;

function stockVoucherOf(row: StockVoucherRow | undefined): StockVoucherRow | undefined {
  return row === undefined ? undefined : { ...row, isSold: Number(row.isSold) === 1 };
}

/** The voucher of that code in the reseller's own stock (sold or not), or undefined. */
export async function findStockVoucherByCode(
  database: SqlDatabase,
  resellerId: string,
  code: string,
): Promise<StockVoucherRow | undefined> {
  return stockVoucherOf(
    await database.get<StockVoucherRow>(`${STOCK_VOUCHER_SQL} WHERE sp.reseller_id = ? AND v.code = ?`, [
      resellerId,
      code,
    ]),
  );
}

/** The reseller's oldest unused, unsold voucher of a plan (first bought, first sold), or undefined. */
export async function findUnsoldStockVoucher(
  database: SqlDatabase,
  resellerId: string,
  planId: string,
): Promise<StockVoucherRow | undefined> {
  return stockVoucherOf(
    await database.get<StockVoucherRow>(
      `${STOCK_VOUCHER_SQL}
        WHERE sp.reseller_id = ? AND v.plan_id = ? AND v.status = 'unused' AND s.voucher_id IS NULL
        ORDER BY v.created_at, v.id LIMIT 1`,
      [resellerId, planId],
    ),
  );
}

export interface VoucherSaleRow {
  voucherId: string;
  resellerId: string;
  phone: string;
  soldBy: string;
  soldAt: number;
}

/** Records the sale; false when the voucher was sold already (its primary key). */
export async function insertVoucherSale(database: SqlDatabase, row: VoucherSaleRow): Promise<boolean> {
  const { changes } = await database.run(
    `INSERT INTO reseller_voucher_sales (voucher_id, reseller_id, phone, sold_by, sold_at)
     VALUES (?, ?, ?, ?, ?) ON CONFLICT (voucher_id) DO NOTHING`,
    [row.voucherId, row.resellerId, row.phone, row.soldBy, row.soldAt],
  );
  return changes > 0;
}

/** Vouchers of a reseller's stock sold by SMS, and those still to sell (unused, unsold). */
export async function stockCountsOf(
  database: SqlDatabase,
  resellerId: string,
): Promise<{ soldCount: number; unsoldCount: number }> {
  const row = await database.get<{ soldCount: number | null; unsoldCount: number | null }>(
    `SELECT SUM(CASE WHEN s.voucher_id IS NULL THEN 0 ELSE 1 END) AS "soldCount",
            SUM(CASE WHEN s.voucher_id IS NULL AND v.status = 'unused' THEN 1 ELSE 0 END) AS "unsoldCount"
       FROM reseller_stock_purchases sp
       JOIN vouchers v ON v.batch_id = sp.batch_id
       LEFT JOIN reseller_voucher_sales s ON s.voucher_id = v.id
      WHERE sp.reseller_id = ?`,
    [resellerId],
  );
  return { soldCount: Number(row?.soldCount ?? 0), unsoldCount: Number(row?.unsoldCount ?? 0) };
}

export interface VoucherSaleListRow {
  voucherId: string;
  code: string;
  planId: string;
  phone: string;
  soldBy: string;
  soldAt: number;
}

/** A reseller's sales by SMS, newest first. */
export async function listVoucherSales(
  database: SqlDatabase,
  resellerId: string,
  page: PageRequest,
): Promise<Page<VoucherSaleListRow>> {
  const columns = { createdAt: 's.sold_at', id: 's.voucher_id' };
  const where = whereAll([
    { sql: 's.reseller_id = ?', params: [resellerId] },
    afterCursor(page.cursor, columns),
  ]);
  const rows = await database.all<VoucherSaleListRow & { createdAt: number; id: string }>(
    `SELECT s.voucher_id AS "voucherId", v.code, v.plan_id AS "planId", s.phone, s.sold_by AS "soldBy",
            s.sold_at AS "soldAt", s.sold_at AS "createdAt", s.voucher_id AS id
       FROM reseller_voucher_sales s JOIN vouchers v ON v.id = s.voucher_id${where.sql}
      ORDER BY ${newestFirst(columns)} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rows, page.limit, ({ createdAt: _createdAt, id: _id, ...row }) => row);
}
