// The platform's money with each ISP: charges and payments, each written with its ledger transfer in one
// transaction; a transfer id is unique, so a repeated charge run or a replayed payment changes nothing.
import { randomBytes } from 'node:crypto';
import type { SqlDatabase } from '@kiunga/schemas';
import { equals, whereAll } from '../kernel/listing';
import type { PlatformCharge } from './core/index';
import { TIER1_REGISTRATION_FEE_CENTS } from './core/tiers';

export type PlatformPaymentProvider = 'mpesa_stk' | 'bank' | 'paypal';

export interface NewPlatformPayment {
  tenantId: string | null;
  provider: PlatformPaymentProvider;
  providerTransactionId: string;
  /** Ksh cents credited. */
  amountCents: number;
  paidCurrency: string;
  paidAmountMinor: number;
  exchangeRateKesCents: number | null;
  reference: string | null;
  receivedAtMs: number;
  recordedBy: string | null;
}

export interface PlatformPaymentRow {
  id: string;
  tenantId: string | null;
  provider: string;
  providerTransactionId: string;
  amountCents: number;
  paidCurrency: string;
  paidAmountMinor: number;
  exchangeRateKesCents: number | null;
  reference: string | null;
  status: string;
  receivedAt: number;
}

export const PAYMENT_SELECT = `SELECT id, tenant_id AS "tenantId", provider,
  provider_transaction_id AS "providerTransactionId", amount_cents AS "amountCents",
  paid_currency AS "paidCurrency", paid_amount_minor AS "paidAmountMinor",
  exchange_rate_kes_cents AS "exchangeRateKesCents", reference, status, received_at AS "receivedAt"
  FROM platform_payments`;

/** Inserts the charge and its +amount transfer once; true when this call created it. */
export function recordCharge(
  platform: SqlDatabase,
  tenantId: string,
  charge: PlatformCharge,
  context: { periodKey: string; tier: string },
  nowMs: number,
): Promise<boolean> {
  return platform.transaction(async (transaction) => {
    const inserted = await transaction.run(
      `INSERT INTO platform_charges (id, tenant_id, period_key, kind, tier, amount_cents, description, due_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        charge.id,
        tenantId,
        context.periodKey,
        charge.kind,
        context.tier,
        charge.amountCents,
        charge.description,
        charge.dueAtMs,
        nowMs,
      ],
    );
    if (inserted.changes !== 1) return false;
    await insertTransfer(
      transaction,
      `chg:${charge.id}`,
      tenantId,
      charge.amountCents,
      charge.description,
      nowMs,
    );
    return true;
  });
}

/**
 * Records money received, once per (provider, provider transaction id). A matched payment gets its −amount
 * transfer in the same transaction. Returns the stored row and whether this call created it.
 */
export function recordPayment(
  platform: SqlDatabase,
  payment: NewPlatformPayment,
  nowMs: number,
): Promise<{ payment: PlatformPaymentRow; isNew: boolean }> {
  return platform.transaction(async (transaction) => {
    const id = `ppy_${randomBytes(12).toString('base64url')}`;
    const inserted = await transaction.run(
      `INSERT INTO platform_payments (id, tenant_id, provider, provider_transaction_id, amount_cents,
         paid_currency, paid_amount_minor, exchange_rate_kes_cents, reference, status, recorded_by, received_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        id,
        payment.tenantId,
        payment.provider,
        payment.providerTransactionId,
        payment.amountCents,
        payment.paidCurrency,
        payment.paidAmountMinor,
        payment.exchangeRateKesCents,
        payment.reference,
        payment.tenantId === null ? 'unmatched' : 'matched',
        payment.recordedBy,
        payment.receivedAtMs,
        nowMs,
      ],
    );
    const stored = await findPayment(transaction, payment.provider, payment.providerTransactionId);
    if (!stored) throw new Error('platform payment vanished inside its transaction');
    const isNew = inserted.changes === 1;
    if (isNew && stored.tenantId !== null) await creditPayment(transaction, stored, nowMs);
    return { payment: stored, isNew };
  });
}

/** Assigns an unmatched payment to an ISP (a finance user read the slip); false if it was already matched. */
export function matchPayment(
  platform: SqlDatabase,
  paymentId: string,
  tenantId: string,
  nowMs: number,
): Promise<boolean> {
  return platform.transaction(async (transaction) => {
    const updated = await transaction.run(
      `UPDATE platform_payments SET tenant_id = ?, status = 'matched' WHERE id = ? AND status = 'unmatched'`,
      [tenantId, paymentId],
    );
    if (updated.changes !== 1) return false;
    const payment = await transaction.get<PlatformPaymentRow>(`${PAYMENT_SELECT} WHERE id = ?`, [paymentId]);
    if (!payment) throw new Error('platform payment vanished inside its transaction');
    await creditPayment(transaction, payment, nowMs);
    return true;
  });
}

async function creditPayment(
  platform: SqlDatabase,
  payment: PlatformPaymentRow,
  nowMs: number,
): Promise<void> {
  if (payment.tenantId === null) throw new Error('crediting an unmatched payment');
  const description = `Payment by ${payment.provider} ${payment.providerTransactionId}`;
  await insertTransfer(
    platform,
    `pay:${payment.id}`,
    payment.tenantId,
    -payment.amountCents,
    description,
    nowMs,
  );
}

async function insertTransfer(
  platform: SqlDatabase,
  transferId: string,
  tenantId: string,
  amountCents: number,
  description: string,
  nowMs: number,
): Promise<void> {
  if (!Number.isSafeInteger(amountCents))
    throw new RangeError(`ledger amounts are integer cents, got ${amountCents}`);
  await platform.run(
    `INSERT INTO platform_ledger_entries (transfer_id, tenant_id, amount_cents, description, at) VALUES (?, ?, ?, ?, ?)`,
    [transferId, tenantId, amountCents, description, nowMs],
  );
}

export function findPayment(
  platform: SqlDatabase,
  provider: string,
  providerTransactionId: string,
): Promise<PlatformPaymentRow | undefined> {
  return platform.get<PlatformPaymentRow>(
    `${PAYMENT_SELECT} WHERE provider = ? AND provider_transaction_id = ?`,
    [provider, providerTransactionId],
  );
}

/** What the ISP owes (positive) or has in credit (negative), from the ledger. */
export async function balanceCents(platform: SqlDatabase, tenantId: string): Promise<number> {
  const row = await platform.get<{ total: number }>(
    'SELECT COALESCE(SUM(amount_cents), 0) AS total FROM platform_ledger_entries WHERE tenant_id = ?',
    [tenantId],
  );
  return row?.total ?? 0;
}

export function chargesOf(
  platform: SqlDatabase,
  tenantId: string,
): Promise<Array<{ dueAtMs: number; amountCents: number }>> {
  return platform.all<{ dueAtMs: number; amountCents: number }>(
    'SELECT due_at AS "dueAtMs", amount_cents AS "amountCents" FROM platform_charges WHERE tenant_id = ?',
    [tenantId],
  );
}

export async function paidCents(platform: SqlDatabase, tenantId: string): Promise<number> {
  const row = await platform.get<{ total: number }>(
    `SELECT COALESCE(SUM(amount_cents), 0) AS total FROM platform_payments WHERE tenant_id = ? AND status = 'matched'`,
    [tenantId],
  );
  return row?.total ?? 0;
}

export async function hasRegistrationCharge(platform: SqlDatabase, tenantId: string): Promise<boolean> {
  const row = await platform.get(
    `SELECT 1 AS found FROM platform_charges WHERE tenant_id = ? AND kind = 'registration' LIMIT 1`,
    [tenantId],
  );
  return row !== undefined;
}

/**
 * What a Tier 1 ISP not yet charged its registration fee still has to pay ahead for it: the fee less any
 * credit (`balance` ≤ 0 is credit); 0 for Tier 2, or once the fee is charged. Paid in the trial, the fee's
 * charge at the trial's end is then covered by this credit.
 */
export async function registrationFeeAheadCents(
  platform: SqlDatabase,
  tenantId: string,
  balance: number,
): Promise<number> {
  const tenant = await platform.get<{ tier: string }>('SELECT tier FROM tenants WHERE id = ?', [tenantId]);
  if (tenant?.tier !== 'tier1' || (await hasRegistrationCharge(platform, tenantId))) return 0;
  return Math.max(0, TIER1_REGISTRATION_FEE_CENTS + Math.min(0, balance));
}

/** The ISP's charges, newest due first. */
export function listCharges(platform: SqlDatabase, tenantId: string, limit: number): Promise<unknown[]> {
  return platform.all(
    `SELECT id, period_key AS "periodKey", kind, tier, amount_cents AS "amountCents", description,
            due_at AS "dueAt", created_at AS "createdAt"
       FROM platform_charges WHERE tenant_id = ? ORDER BY due_at DESC, id LIMIT ?`,
    [tenantId, limit],
  );
}

/** Payments newest first: one ISP's, or (for the operator) all, optionally of one status. */
export function listPayments(
  platform: SqlDatabase,
  filter: { tenantId?: string | undefined; status?: string | undefined },
  limit: number,
): Promise<PlatformPaymentRow[]> {
  const where = whereAll([equals('tenant_id', filter.tenantId), equals('status', filter.status)]);
  return platform.all<PlatformPaymentRow>(
    `${PAYMENT_SELECT}${where.sql} ORDER BY received_at DESC, id DESC LIMIT ?`,
    [...where.params, limit],
  );
}

export function findPaymentById(
  platform: SqlDatabase,
  paymentId: string,
): Promise<PlatformPaymentRow | undefined> {
  return platform.get<PlatformPaymentRow>(`${PAYMENT_SELECT} WHERE id = ?`, [paymentId]);
}
