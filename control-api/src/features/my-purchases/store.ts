// "My purchases" reads: a phone's paid portal purchases with their vouchers and plans, and whether a
// receipt is one of them. Only this ISP's database is ever asked (the portal's slug chose it).
import type { SqlDatabase } from '@kiunga/schemas';

export interface PurchaseRow {
  id: string;
  createdAt: number;
  amountCents: number;
  planName: string;
  code: string;
  voucherStatus: string;
  validitySeconds: number;
  expiresAt: number | null;
}

/** The phone's paid purchases since `sinceMs`, newest first, at most `limit`. */
export function paidPurchasesOf(
  database: SqlDatabase,
  phone: string,
  sinceMs: number,
  limit: number,
): Promise<PurchaseRow[]> {
  return database.all<PurchaseRow>(
    `SELECT p.id, p.created_at AS "createdAt", p.amount_cents AS "amountCents", pl.name AS "planName",
            v.code, v.status AS "voucherStatus", v.validity_seconds AS "validitySeconds",
            v.expires_at AS "expiresAt"
       FROM purchases p
       JOIN vouchers v ON v.id = p.voucher_id
       JOIN plans pl ON pl.id = v.plan_id
      WHERE p.phone = ? AND p.status = 'paid' AND p.created_at >= ?
      ORDER BY p.created_at DESC, p.id DESC
      LIMIT ?`,
    [phone, sinceMs, limit],
  );
}

/** Whether the phone paid a purchase here since `sinceMs` with this M-Pesa receipt. */
export async function isReceiptOfPhone(
  database: SqlDatabase,
  phone: string,
  receipt: string,
  sinceMs: number,
): Promise<boolean> {
  const row = await database.get<{ found: number }>(
    `SELECT 1 AS found FROM purchases
      WHERE phone = ? AND mpesa_receipt = ? AND status = 'paid' AND created_at >= ?`,
    [phone, receipt, sinceMs],
  );
  return row !== undefined;
}

/** Whether the phone has any paid purchase here since `sinceMs` (an SMS code is sent only then). */
export async function hasPaidPurchases(
  database: SqlDatabase,
  phone: string,
  sinceMs: number,
): Promise<boolean> {
  const row = await database.get<{ found: number }>(
    `SELECT 1 AS found FROM purchases WHERE phone = ? AND status = 'paid' AND created_at >= ? LIMIT 1`,
    [phone, sinceMs],
  );
  return row !== undefined;
}
