// The platform's money with each ISP: charges and payments, each written with its ledger transfer in one
// transaction; a transfer id is unique, so a repeated charge run or a replayed payment changes nothing.
import { randomBytes } from 'node:crypto';
import type { PlatformCharge } from '../billing/index';
import type { PlatformBillingDependencies } from './accounts';

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

export const PAYMENT_SELECT = `SELECT id, tenant_id AS tenantId, provider, provider_transaction_id AS providerTransactionId,
  amount_cents AS amountCents, paid_currency AS paidCurrency, paid_amount_minor AS paidAmountMinor,
  exchange_rate_kes_cents AS exchangeRateKesCents, reference, status, received_at AS receivedAt
  FROM platform_payments`;

/** Inserts the charge and its +amount transfer once; true when this call created it. */
export function recordCharge(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
  charge: PlatformCharge,
  context: { periodKey: string; tier: string },
  nowMs: number,
): boolean {
  const sqlite = dependencies.platform.sqlite;
  return sqlite.transaction(() => {
    const inserted = sqlite
      .prepare(
        `INSERT OR IGNORE INTO platform_charges (id, tenant_id, period_key, kind, tier, amount_cents, description, due_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        charge.id,
        tenantId,
        context.periodKey,
        charge.kind,
        context.tier,
        charge.amountCents,
        charge.description,
        charge.dueAtMs,
        nowMs,
      );
    if (inserted.changes !== 1) return false;
    insertTransfer(dependencies, `chg:${charge.id}`, tenantId, charge.amountCents, charge.description, nowMs);
    return true;
  })();
}

/**
 * Records money received, once per (provider, provider transaction id). A matched payment gets its −amount
 * transfer in the same transaction. Returns the stored row and whether this call created it.
 */
export function recordPayment(
  dependencies: PlatformBillingDependencies,
  payment: NewPlatformPayment,
  nowMs: number,
): { payment: PlatformPaymentRow; isNew: boolean } {
  const sqlite = dependencies.platform.sqlite;
  return sqlite.transaction(() => {
    const id = `ppy_${randomBytes(12).toString('base64url')}`;
    const inserted = sqlite
      .prepare(
        `INSERT OR IGNORE INTO platform_payments (id, tenant_id, provider, provider_transaction_id, amount_cents,
           paid_currency, paid_amount_minor, exchange_rate_kes_cents, reference, status, recorded_by, received_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
    const stored = findPayment(dependencies, payment.provider, payment.providerTransactionId);
    if (!stored) throw new Error('platform payment vanished inside its transaction');
    const isNew = inserted.changes === 1;
    if (isNew && stored.tenantId !== null) creditPayment(dependencies, stored, nowMs);
    return { payment: stored, isNew };
  })();
}

/** Assigns an unmatched payment to an ISP (a finance user read the slip); false if it was already matched. */
export function matchPayment(
  dependencies: PlatformBillingDependencies,
  paymentId: string,
  tenantId: string,
  nowMs: number,
): boolean {
  const sqlite = dependencies.platform.sqlite;
  return sqlite.transaction(() => {
    const updated = sqlite
      .prepare(
        `UPDATE platform_payments SET tenant_id = ?, status = 'matched' WHERE id = ? AND status = 'unmatched'`,
      )
      .run(tenantId, paymentId);
    if (updated.changes !== 1) return false;
    const payment = sqlite.prepare(`${PAYMENT_SELECT} WHERE id = ?`).get(paymentId) as PlatformPaymentRow;
    creditPayment(dependencies, payment, nowMs);
    return true;
  })();
}

function creditPayment(
  dependencies: PlatformBillingDependencies,
  payment: PlatformPaymentRow,
  nowMs: number,
): void {
  if (payment.tenantId === null) throw new Error('crediting an unmatched payment');
  const description = `Payment by ${payment.provider} ${payment.providerTransactionId}`;
  insertTransfer(
    dependencies,
    `pay:${payment.id}`,
    payment.tenantId,
    -payment.amountCents,
    description,
    nowMs,
  );
}

function insertTransfer(
  dependencies: PlatformBillingDependencies,
  transferId: string,
  tenantId: string,
  amountCents: number,
  description: string,
  nowMs: number,
): void {
  if (!Number.isSafeInteger(amountCents))
    throw new RangeError(`ledger amounts are integer cents, got ${amountCents}`);
  dependencies.platform.sqlite
    .prepare(
      `INSERT INTO platform_ledger_entries (transfer_id, tenant_id, amount_cents, description, at) VALUES (?, ?, ?, ?, ?)`,
    )
    .run(transferId, tenantId, amountCents, description, nowMs);
}

export function findPayment(
  dependencies: PlatformBillingDependencies,
  provider: string,
  providerTransactionId: string,
): PlatformPaymentRow | undefined {
  return dependencies.platform.sqlite
    .prepare(`${PAYMENT_SELECT} WHERE provider = ? AND provider_transaction_id = ?`)
    .get(provider, providerTransactionId) as PlatformPaymentRow | undefined;
}

/** What the ISP owes (positive) or has in credit (negative), from the ledger. */
export function balanceCents(dependencies: PlatformBillingDependencies, tenantId: string): number {
  const row = dependencies.platform.sqlite
    .prepare(
      'SELECT COALESCE(SUM(amount_cents), 0) AS total FROM platform_ledger_entries WHERE tenant_id = ?',
    )
    .get(tenantId) as { total: number };
  return row.total;
}

export function chargesOf(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
): Array<{ dueAtMs: number; amountCents: number }> {
  return dependencies.platform.sqlite
    .prepare(
      'SELECT due_at AS dueAtMs, amount_cents AS amountCents FROM platform_charges WHERE tenant_id = ?',
    )
    .all(tenantId) as Array<{ dueAtMs: number; amountCents: number }>;
}

export function paidCents(dependencies: PlatformBillingDependencies, tenantId: string): number {
  const row = dependencies.platform.sqlite
    .prepare(
      `SELECT COALESCE(SUM(amount_cents), 0) AS total FROM platform_payments WHERE tenant_id = ? AND status = 'matched'`,
    )
    .get(tenantId) as { total: number };
  return row.total;
}

export function hasRegistrationCharge(dependencies: PlatformBillingDependencies, tenantId: string): boolean {
  return (
    dependencies.platform.sqlite
      .prepare(`SELECT 1 FROM platform_charges WHERE tenant_id = ? AND kind = 'registration' LIMIT 1`)
      .get(tenantId) !== undefined
  );
}
