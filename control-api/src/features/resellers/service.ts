// Resellers of one ISP (issue 13): accounts in a hierarchy, wallets and commissions in the one ledger,
// stock bought as voucher batches, top-ups, payouts, commission rules and statements. The rules are the
// pure core's (./core); this wires them to the store, the vouchers feature and the identity accounts.
import {
  type Cents,
  cents,
  KiungaError,
  newId,
  normaliseKenyanPhone,
  readTenantSetting,
  type SqlDatabase,
  writeTenantSetting,
} from '@kiunga/schemas';
import { CENTS_PER_SHILLING } from '../../billing/core/units';
import { generateTemporaryPassword, hashPassword } from '../../identity/passwords';
import type { Principal } from '../../identity/permissions';
import { revokeAllSessionsOf } from '../../identity/refresh-tokens';
import { insertUser, updateUser } from '../../identity/users/store';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import type { PageRequest } from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';
import { postTransfers } from '../../ledger/ledger';
import { getPlan } from '../plans/service';
import type { Refusal } from '../shared/refusal';
import { pickUnusedShortCode } from '../shared/short-codes';
import { createVoucherBatch, voucherSheetOf } from '../vouchers/service';
import type { VoucherSheetInput } from '../vouchers/voucher-sheet';
import {
  CommissionRuleBook,
  type CommissionRuleInput,
  commissionTransfers,
  decideMove,
  decidePayout,
  decidePlacement,
  decideStockPurchase,
  type HierarchyActor,
  payoutTransfer,
  RESELLER_DEPTH_DEFAULT,
  ResellerHierarchy,
  ResellerLedgerAccount,
  type ResellerTransfer,
  resellerDepthSettingSchema,
  STOCK_PRICING_MODES,
  type StockPricingMode,
  stockTransfer,
  toCommissionRule,
  topUpTransfer,
} from './core';
import {
  type CashMovementRow,
  type CommissionRow,
  type CommissionRuleRow,
  deepestResellerDepth,
  findCommissionRuleRow,
  findReseller,
  findStockPurchaseByBatch,
  findTopUpByReference,
  insertCashMovement,
  insertCommissionItems,
  insertReseller,
  insertStockPurchase,
  isResellerCodeTaken,
  liabilityBalance,
  listCashMovements,
  listCommissionRows,
  listCommissionRuleRows,
  listResellerRows,
  listStockPurchases,
  loadResellerLinks,
  moveResellerRows,
  type ResellerRow,
  type StockPurchaseRow,
  stockCountsOf,
  updateResellerRow,
  upsertCommissionRule,
} from './store';

/** Commissions are paid in whole shillings (M-Pesa moves no cents): the split's unit. */
export const RESELLER_UNIT_CENTS = CENTS_PER_SHILLING;
/** Vouchers a reseller buys get codes of the portal's length: short enough to type on a phone. */
const STOCK_CODE_LENGTH = 8;
/** Commission rows in one answer: a month of a busy kiosk; older ones are in the statement. */
export const COMMISSION_ROWS_MAX = 1_000;

export const RESELLER_SETTING_KEYS = {
  depthMax: 'resellers.depth_max',
  stockPricing: 'resellers.stock_pricing',
} as const;

export interface ResellerSettings {
  depthMax: number;
  stockPricing: StockPricingMode;
}

export async function readResellerSettings(database: SqlDatabase): Promise<ResellerSettings> {
  const depth = resellerDepthSettingSchema.safeParse(
    await readTenantSetting(database, RESELLER_SETTING_KEYS.depthMax),
  );
  const pricing = await readTenantSetting(database, RESELLER_SETTING_KEYS.stockPricing);
  return {
    depthMax: depth.success ? depth.data : RESELLER_DEPTH_DEFAULT,
    stockPricing: STOCK_PRICING_MODES.find((mode) => mode === pricing) ?? 'commission',
  };
}

/**
 * The ISP's hierarchy depth and stock pricing mode. A depth below where resellers already sit is refused
 * (409) until they are moved up: a setting never leaves the tree deeper than it allows.
 */
export async function saveResellerSettings(
  database: SqlDatabase,
  settings: ResellerSettings,
  options: { nowMs: number; audit: Auditor },
): Promise<ResellerSettings> {
  await database.transaction(
    async (transaction) => {
      const deepest = await deepestResellerDepth(transaction);
      if (deepest > settings.depthMax) {
        throw new KiungaError(
          'reseller_depth_exceeded',
          `Resellers sit ${deepest} levels deep today: move them higher up before allowing only ${settings.depthMax}.`,
        );
      }
      await writeTenantSetting(transaction, RESELLER_SETTING_KEYS.depthMax, settings.depthMax, options.nowMs);
      await writeTenantSetting(
        transaction,
        RESELLER_SETTING_KEYS.stockPricing,
        settings.stockPricing,
        options.nowMs,
      );
    },
    { isolation: 'serializable' },
  );
  await options.audit({ action: 'reseller_settings.update', target: 'resellers', detail: settings });
  return readResellerSettings(database);
}

/** The ISP's staff act on every reseller; a reseller's account on its own subtree only. */
export function hierarchyActorOf(principal: Principal): HierarchyActor {
  return principal.kind === 'reseller' ? { kind: 'reseller', resellerId: principal.id } : { kind: 'isp' };
}

function refused(refusal: Refusal<string>): KiungaError {
  return new KiungaError(refusal.code as never, refusal.message, refusal.httpStatus);
}

export interface ResellerOutput {
  id: string;
  code: string;
  name: string;
  email: string;
  phone: string;
  parentId: string | null;
  depth: number;
  priceMode: StockPricingMode | null;
  status: 'active' | 'deactivated';
  walletCents: number;
  commissionOwedCents: number;
  /** Stock vouchers sold to buyers' phones by SMS, and those still to sell (unused, unsold). */
  stockSoldCount: number;
  stockUnsoldCount: number;
  createdAt: number;
}

async function toResellerOutput(database: SqlDatabase, row: ResellerRow): Promise<ResellerOutput> {
  const stock = await stockCountsOf(database, row.id);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    email: row.email,
    phone: row.phone,
    parentId: row.parentId,
    depth: row.depth,
    priceMode: row.priceMode as StockPricingMode | null,
    status: row.status,
    walletCents: await liabilityBalance(database, ResellerLedgerAccount.wallet(row.id)),
    commissionOwedCents: await liabilityBalance(database, ResellerLedgerAccount.commission(row.id)),
    stockSoldCount: stock.soldCount,
    stockUnsoldCount: stock.unsoldCount,
    createdAt: row.createdAt,
  };
}

async function loadHierarchy(database: SqlDatabase): Promise<ResellerHierarchy> {
  return ResellerHierarchy.build(await loadResellerLinks(database));
}

/**
 * The reseller the actor names, or 404 when it is not there or outside the actor's subtree (a reseller
 * learns nothing of resellers it may not see, not even that they exist).
 */
export async function visibleReseller(
  database: SqlDatabase,
  actor: HierarchyActor,
  resellerId: string,
): Promise<ResellerRow> {
  const hierarchy = await loadHierarchy(database);
  const row = hierarchy.canSee(actor, resellerId) ? await findReseller(database, resellerId) : undefined;
  if (!row) throw new KiungaError('not_found', 'No such reseller.');
  return row;
}

export interface CreateResellerInput {
  name: string;
  email: string;
  phone: string;
  password?: string | undefined;
  parentId?: string | null | undefined;
  priceMode?: StockPricingMode | undefined;
}

/**
 * A reseller and its sign-in account (platform users row, kind 'reseller', the same id). Without a
 * password a temporary one is answered once and must be changed at the first sign-in.
 */
export async function createReseller(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  tenantId: string,
  actor: HierarchyActor,
  input: CreateResellerInput,
  audit: Auditor,
): Promise<ResellerOutput & { temporaryPassword?: string }> {
  const phone = normaliseKenyanPhone(input.phone);
  if (!phone) throw new KiungaError('validation_failed', 'Enter a Kenyan phone number like 0712 345 678.');
  const settings = await readResellerSettings(database);
  // Without parentId a reseller creates under itself and the ISP at the top; an explicit null is the top.
  const parentId =
    input.parentId === undefined ? (actor.kind === 'reseller' ? actor.resellerId : null) : input.parentId;
  const placement = decidePlacement({
    hierarchy: await loadHierarchy(database),
    actor,
    parentId,
    depthMax: settings.depthMax,
  });
  if (!placement.ok) throw refused(placement);
  const nowMs = dependencies.clock.now();
  const id = newId('reseller');
  const temporaryPassword = input.password === undefined ? generateTemporaryPassword() : undefined;
  const isInserted = await insertUser(dependencies.databases.platform, {
    id,
    email: input.email,
    passwordHash: await hashPassword(input.password ?? temporaryPassword!),
    displayName: input.name,
    kind: 'reseller',
    tenantId,
    roleId: null,
    mustChangePassword: input.password === undefined,
    createdAt: nowMs,
  });
  if (!isInserted) throw new KiungaError('conflict', 'An account with this email already exists.');
  const row: ResellerRow = {
    id,
    code: await pickUnusedShortCode('reseller', (code) => isResellerCodeTaken(database, code)),
    name: input.name,
    email: input.email,
    phone,
    parentId,
    depth: placement.depth,
    priceMode: input.priceMode ?? null,
    status: 'active',
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  await insertReseller(database, row);
  await audit({ action: 'reseller.create', target: id, detail: { parentId, code: row.code } });
  const output = await toResellerOutput(database, row);
  return temporaryPassword === undefined ? output : { ...output, temporaryPassword };
}

export async function getReseller(
  database: SqlDatabase,
  actor: HierarchyActor,
  resellerId: string,
): Promise<ResellerOutput> {
  return toResellerOutput(database, await visibleReseller(database, actor, resellerId));
}

export async function listResellers(
  database: SqlDatabase,
  actor: HierarchyActor,
  filter: { parentId?: string | undefined },
  page: PageRequest,
): Promise<Page<ResellerOutput>> {
  const visibleIds = actor.kind === 'isp' ? null : (await loadHierarchy(database)).visibleTo(actor);
  const rows = await listResellerRows(database, { visibleIds, parentId: filter.parentId }, page);
  const items: ResellerOutput[] = [];
  for (const row of rows.items) items.push(await toResellerOutput(database, row));
  return { items, nextCursor: rows.nextCursor };
}

/**
 * Name and phone by the reseller itself, its parents or the ISP; deactivating (which also disables
 * its sign-in) by a superior only: a reseller cannot switch itself off or on.
 */
export async function updateReseller(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  actor: HierarchyActor,
  resellerId: string,
  change: {
    name?: string | undefined;
    phone?: string | undefined;
    status?: 'active' | 'deactivated' | undefined;
  },
  audit: Auditor,
): Promise<ResellerOutput> {
  await visibleReseller(database, actor, resellerId);
  if (change.status !== undefined && actor.kind === 'reseller' && actor.resellerId === resellerId) {
    throw new KiungaError('forbidden', 'A reseller cannot change its own status; ask whoever created it.');
  }
  const phone = change.phone === undefined ? undefined : normaliseKenyanPhone(change.phone);
  if (phone === null)
    throw new KiungaError('validation_failed', 'Enter a Kenyan phone number like 0712 345 678.');
  const nowMs = dependencies.clock.now();
  await updateResellerRow(database, resellerId, { name: change.name, phone, status: change.status }, nowMs);
  if (change.status !== undefined || change.name !== undefined) {
    const userStatus =
      change.status === undefined ? undefined : change.status === 'active' ? 'active' : 'disabled';
    await updateUser(
      dependencies.databases.platform,
      resellerId,
      { displayName: change.name, status: userStatus },
      nowMs,
    );
    if (userStatus === 'disabled') await revokeAllSessionsOf(dependencies, resellerId);
  }
  await audit({ action: 'reseller.update', target: resellerId, detail: change });
  return getReseller(database, actor, resellerId);
}

/**
 * Re-parents a reseller with its whole subtree (the ISP only): refused when the new parent is the reseller
 * itself or below it (409 `reseller_move_creates_cycle`) or when the subtree would sit deeper than the ISP's
 * depth (409 `reseller_depth_exceeded`); the depths below follow, in one serializable transaction.
 */
export async function moveReseller(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  actor: HierarchyActor,
  resellerId: string,
  newParentId: string | null,
  audit: Auditor,
): Promise<ResellerOutput> {
  const before = await visibleReseller(database, actor, resellerId);
  const { depthMax } = await readResellerSettings(database);
  const nowMs = dependencies.clock.now();
  await database.transaction(
    async (transaction) => {
      const hierarchy = await loadHierarchy(transaction);
      const decision = decideMove({ hierarchy, actor, resellerId, newParentId, depthMax });
      if (!decision.ok) throw refused(decision);
      const shift = decision.depth - hierarchy.depthOf(resellerId);
      const depths = new Map(
        hierarchy.subtreeOf(resellerId).map((id) => [id, hierarchy.depthOf(id) + shift]),
      );
      await moveResellerRows(transaction, { id: resellerId, parentId: newParentId, depths }, nowMs);
    },
    { isolation: 'serializable' },
  );
  await audit({
    action: 'reseller.move',
    target: resellerId,
    detail: { fromParentId: before.parentId, toParentId: newParentId },
  });
  return getReseller(database, actor, resellerId);
}

export interface TopUpOutput extends CashMovementRow {
  walletCents: number;
}

/**
 * Float received from a reseller, in one transaction with its ledger transfer. A repeat of the same
 * reference is the same top-up (answered as it was); the same reference with another amount is a 409.
 */
export async function recordTopUp(
  database: SqlDatabase,
  resellerId: string,
  input: { amountCents: number; reference: string; method: 'cash' | 'mpesa' | 'bank' },
  options: { createdBy: string; nowMs: number },
): Promise<TopUpOutput> {
  const row = await database.transaction(async (transaction) => {
    const candidate: CashMovementRow = {
      id: newId('resellerTopUp'),
      resellerId,
      amountCents: input.amountCents,
      method: input.method,
      reference: input.reference,
      createdBy: options.createdBy,
      createdAt: options.nowMs,
    };
    if (!(await insertCashMovement(transaction, 'reseller_top_ups', candidate))) {
      const existing = (await findTopUpByReference(transaction, resellerId, input.reference))!;
      if (existing.amountCents !== input.amountCents) {
        throw new KiungaError('conflict', 'This reference is already recorded with another amount.');
      }
      return existing;
    }
    await postResellerTransfers(transaction, [
      topUpTransfer({ ...candidate, amountCents: cents(candidate.amountCents), atMs: options.nowMs }),
    ]);
    return candidate;
  });
  return { ...row, walletCents: await liabilityBalance(database, ResellerLedgerAccount.wallet(resellerId)) };
}

/** The core's transfers in the ledger's shape; replays of the same event collide on the id and post nothing. */
export async function postResellerTransfers(
  database: SqlDatabase,
  transfers: readonly ResellerTransfer[],
): Promise<number> {
  return postTransfers(
    database,
    transfers.map((transfer) => ({
      id: transfer.transferId,
      debitAccount: transfer.debitAccount,
      creditAccount: transfer.creditAccount,
      amount: transfer.amount,
      kind: transfer.kind,
      reference: transfer.reference ?? '',
      invoiceId: null,
      atMs: transfer.atMs,
    })),
  );
}

export interface StockPurchaseOutput {
  id: string;
  batchId: string;
  planId: string;
  count: number;
  codes: string[];
  unitCostCents: number;
  costCents: number;
  walletCents: number;
}

/**
 * Voucher stock from the reseller's wallet: the balance is read, the purchase decided and the batch,
 * the ledger transfers and the commission rows written in one serializable transaction, so two purchases
 * cannot spend the same shillings; a short wallet refuses with 402 and writes nothing.
 */
export async function buyStock(
  database: SqlDatabase,
  actor: HierarchyActor,
  resellerId: string,
  input: { planId: string; count: number },
  options: { createdBy: string; nowMs: number; audit: Auditor },
): Promise<StockPurchaseOutput> {
  const reseller = await visibleReseller(database, actor, resellerId);
  if (actor.kind === 'reseller' && actor.resellerId !== resellerId) {
    throw new KiungaError('forbidden', 'A reseller buys stock from its own wallet only.');
  }
  if (reseller.status !== 'active') throw new KiungaError('conflict', 'This reseller is deactivated.');
  const settings = await readResellerSettings(database);
  const output = await database.transaction(
    async (transaction) => {
      const plan = await getPlan(transaction, input.planId);
      const hierarchy = await loadHierarchy(transaction);
      const decision = decideStockPurchase({
        walletCents: await liabilityBalance(transaction, ResellerLedgerAccount.wallet(resellerId)),
        planId: plan.id,
        planName: plan.name,
        priceCents: cents(plan.priceCents),
        count: input.count,
        chain: hierarchy.chainOf(resellerId),
        rules: await loadRuleBook(transaction),
        mode: (reseller.priceMode as StockPricingMode | null) ?? settings.stockPricing,
        unitCents: RESELLER_UNIT_CENTS,
      });
      if (!decision.ok) throw refused(decision);
      const batch = await createVoucherBatch(
        transaction,
        { planId: plan.id, count: input.count, length: STOCK_CODE_LENGTH, prefix: '' },
        { nowMs: options.nowMs, createdBy: `reseller:${resellerId}` },
      );
      const purchase: StockPurchaseRow = {
        id: newId('resellerStockPurchase'),
        resellerId,
        planId: plan.id,
        batchId: batch.batchId,
        count: input.count,
        unitCostCents: decision.unitCostCents,
        costCents: decision.costCents,
        createdBy: options.createdBy,
        createdAt: options.nowMs,
      };
      await insertStockPurchase(transaction, purchase);
      const transfers = [
        ...(decision.costCents > 0
          ? [
              stockTransfer({
                purchaseId: purchase.id,
                resellerId,
                costCents: decision.costCents,
                atMs: options.nowMs,
              }),
            ]
          : []),
        ...commissionTransfers({ saleId: purchase.id, shares: decision.commissions, atMs: options.nowMs }),
      ];
      await postResellerTransfers(transaction, transfers);
      await insertCommissionItems(
        transaction,
        decision.commissions.map((commission) => ({
          ...commission,
          saleId: purchase.id,
          planId: plan.id,
          salePriceCents: cents(plan.priceCents * input.count),
          settledAtMs: options.nowMs,
        })),
        { sellerId: resellerId, kind: 'stock' },
      );
      return {
        id: purchase.id,
        batchId: batch.batchId,
        planId: plan.id,
        count: input.count,
        codes: batch.codes,
        unitCostCents: decision.unitCostCents,
        costCents: decision.costCents,
        walletCents: decision.walletAfterCents,
      };
    },
    { isolation: 'serializable' },
  );
  await options.audit({
    action: 'reseller.stock_purchase',
    target: resellerId,
    detail: {
      purchaseId: output.id,
      planId: output.planId,
      count: output.count,
      costCents: output.costCents,
    },
  });
  return output;
}

export function stockPurchasesOf(
  database: SqlDatabase,
  resellerId: string,
  page: PageRequest,
): Promise<Page<StockPurchaseRow>> {
  return listStockPurchases(database, resellerId, page);
}

export interface PayoutOutput extends CashMovementRow {
  commissionOwedCents: number;
}

/** Commission paid out by the ISP; refused (409) above what is owed, nothing written then. */
export async function recordPayout(
  database: SqlDatabase,
  resellerId: string,
  input: { amountCents: number; method: 'cash' | 'mpesa' | 'bank'; reference: string },
  options: { createdBy: string; nowMs: number; audit: Auditor },
): Promise<PayoutOutput> {
  const account = ResellerLedgerAccount.commission(resellerId);
  const output = await database.transaction(
    async (transaction) => {
      const decision = decidePayout({
        owedCents: await liabilityBalance(transaction, account),
        amountCents: cents(input.amountCents),
      });
      if (!decision.ok) throw refused(decision);
      const row: CashMovementRow = {
        id: newId('resellerPayout'),
        resellerId,
        ...input,
        createdBy: options.createdBy,
        createdAt: options.nowMs,
      };
      await insertCashMovement(transaction, 'reseller_payouts', row);
      await postResellerTransfers(transaction, [
        payoutTransfer({ ...row, amountCents: cents(row.amountCents), atMs: options.nowMs }),
      ]);
      return { ...row, commissionOwedCents: decision.owedAfterCents };
    },
    { isolation: 'serializable' },
  );
  await options.audit({
    action: 'reseller.payout',
    target: resellerId,
    detail: { payoutId: output.id, amountCents: output.amountCents, method: output.method },
  });
  return output;
}

export function cashMovementsOf(
  database: SqlDatabase,
  kind: 'topups' | 'payouts',
  resellerId: string,
  page: PageRequest,
): Promise<Page<CashMovementRow>> {
  return listCashMovements(
    database,
    kind === 'topups' ? 'reseller_top_ups' : 'reseller_payouts',
    resellerId,
    page,
  );
}

export interface CommissionsOutput {
  items: CommissionRow[];
  totals: { amountCents: number };
}

export async function commissionsOf(
  database: SqlDatabase,
  resellerId: string,
  range: { fromMs: number; toMs: number },
): Promise<CommissionsOutput> {
  const { items, totalCents } = await listCommissionRows(database, resellerId, range, COMMISSION_ROWS_MAX);
  return { items, totals: { amountCents: totalCents } };
}

export async function loadRuleBook(database: SqlDatabase): Promise<CommissionRuleBook> {
  return new CommissionRuleBook((await listCommissionRuleRows(database)).map(ruleOfRow));
}

function ruleOfRow(row: CommissionRuleRow) {
  return toCommissionRule({
    planId: row.planId,
    level: row.level,
    ...(row.fixedCents === null
      ? { percentBasisPoints: row.percentBasisPoints ?? 0 }
      : { fixedCents: row.fixedCents }),
  });
}

export type CommissionRuleOutput = Omit<CommissionRuleRow, 'createdAt'>;

function toRuleOutput(row: CommissionRuleRow): CommissionRuleOutput {
  return {
    id: row.id,
    planId: row.planId,
    level: row.level,
    percentBasisPoints: row.percentBasisPoints,
    fixedCents: row.fixedCents,
  };
}

export async function listCommissionRules(database: SqlDatabase): Promise<CommissionRuleOutput[]> {
  return (await listCommissionRuleRows(database)).map(toRuleOutput);
}

/** Sets the rule of (plan, level), replacing the one there was: one rule per pair. */
export async function setCommissionRule(
  database: SqlDatabase,
  input: CommissionRuleInput,
  options: { nowMs: number; audit: Auditor },
): Promise<CommissionRuleOutput> {
  if (input.planId !== null) await getPlan(database, input.planId);
  await upsertCommissionRule(database, {
    id: newId('commissionRule'),
    planId: input.planId,
    level: input.level,
    percentBasisPoints: input.percentBasisPoints ?? null,
    fixedCents: input.fixedCents ?? null,
    createdAt: options.nowMs,
  });
  const row = (await findCommissionRuleRow(database, input.planId, input.level))!;
  await options.audit({ action: 'commission_rule.set', target: row.id, detail: input });
  return toRuleOutput(row);
}

/** What the ISP owes a reseller in commissions now. */
export function commissionOwed(database: SqlDatabase, resellerId: string): Promise<Cents> {
  return liabilityBalance(database, ResellerLedgerAccount.commission(resellerId));
}

/** A stock batch's print sheet, carrying the reseller's name and phone; 404 for another reseller's batch. */
export async function resellerSheetOf(
  database: SqlDatabase,
  platform: SqlDatabase,
  tenantId: string,
  reseller: ResellerRow,
  batchId: string,
): Promise<VoucherSheetInput> {
  const purchase = await findStockPurchaseByBatch(database, batchId);
  if (purchase?.resellerId !== reseller.id) throw new KiungaError('not_found', 'No such stock batch.');
  const sheet = await voucherSheetOf(database, platform, tenantId, batchId);
  return { ...sheet, seller: { name: reseller.name, phone: reseller.phone } };
}
