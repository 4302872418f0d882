// Where resellers meet the M-Pesa purchase path: the reseller a portal buyer came through (`?r=<code>` or a
// typed code), the commissions a paid portal purchase posts (inside the callback's transaction), and a
// reseller's own STK top-up to the ISP's shortcode, credited to its wallet when the callback settles it.
import { type Cents, cents, KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { kindOfCode, normaliseTypedCode } from '../shared/short-codes';
import { ResellerHierarchy, settleSale } from './core';
import { loadRuleBook, postResellerTransfers, RESELLER_UNIT_CENTS, recordTopUp } from './service';
import {
  findReseller,
  findResellerByCode,
  insertCommissionItems,
  loadChainLinks,
  markTopUpPurchasePaid,
} from './store';

/** What the portal accepts as a typed reseller code: the code with spaces or dashes a person adds. */
export const RESELLER_TYPED_CODE_MAX = 32;

/** A reseller's STK top-up rides the purchases table: its plan_id holds the reseller's id (`rsl_…`). */
const RESELLER_ID_PREFIX = 'rsl_';

export interface PortalReseller {
  id: string;
  code: string;
  name: string;
}

/**
 * The active reseller a portal code names; null for no code. A code that is not a reseller's (mistyped,
 * or a deactivated reseller's) is refused, so the buyer can correct it before paying.
 */
export async function portalResellerOf(
  database: SqlDatabase,
  typed: string | null | undefined,
): Promise<PortalReseller | null> {
  if (typed === undefined || typed === null || typed.trim() === '') return null;
  const code = normaliseTypedCode(typed);
  const reseller =
    code !== null && kindOfCode(code) === 'reseller' ? await findResellerByCode(database, code) : undefined;
  if (reseller?.status !== 'active') throw new KiungaError('reseller_code_unknown');
  return { id: reseller.id, code: reseller.code, name: reseller.name };
}

/** For the portal page: the reseller of a `?r=` link, or null when the link names none (never an error page). */
export async function linkedReseller(
  database: SqlDatabase,
  typed: string | undefined,
): Promise<PortalReseller | null> {
  try {
    return await portalResellerOf(database, typed);
  } catch (error) {
    if (error instanceof KiungaError) return null;
    throw error;
  }
}

/**
 * Inside completePurchase's transaction, when a portal purchase through a reseller is paid: the split,
 * the commission rows and transfers. Ids derive from the purchase, so a repeated callback posts nothing.
 */
export async function settlePortalSale(
  transaction: SqlDatabase,
  purchase: { id: string; planId: string; amountCents: number; resellerId: string },
  nowMs: number,
): Promise<void> {
  const settled = settleSale(
    {
      saleId: purchase.id,
      planId: purchase.planId,
      priceCents: cents(purchase.amountCents),
      resellerId: purchase.resellerId,
      settledAtMs: nowMs,
    },
    {
      // The seller's chain is all a split needs: a few rows, however many resellers the ISP has.
      hierarchy: ResellerHierarchy.build(await loadChainLinks(transaction, purchase.resellerId)),
      rules: await loadRuleBook(transaction),
      unitCents: RESELLER_UNIT_CENTS,
    },
  );
  await insertCommissionItems(transaction, settled.items, { sellerId: purchase.resellerId, kind: 'portal' });
  await postResellerTransfers(transaction, settled.transfers);
}

/** The reseller an STK purchase row tops up, or null for any other purchase. */
export function resellerOfTopUpPurchase(purchase: { planId: string }): string | null {
  return purchase.planId.startsWith(RESELLER_ID_PREFIX) ? purchase.planId : null;
}

/**
 * Inside completePurchase's transaction: the STK payment credits the reseller's wallet, with the M-Pesa
 * receipt as the top-up's reference (a repeated callback finds it recorded and changes nothing).
 */
export async function completeResellerTopUp(
  transaction: SqlDatabase,
  purchase: { id: string; status: string },
  resellerId: string,
  payment: { receipt: string; amount: Cents },
  nowMs: number,
): Promise<'paid' | 'already_paid'> {
  if (purchase.status === 'paid') return 'already_paid';
  if (!(await findReseller(transaction, resellerId))) throw new Error(`reseller ${resellerId} is gone`);
  await recordTopUp(
    transaction,
    resellerId,
    { amountCents: payment.amount, reference: payment.receipt, method: 'mpesa' },
    { createdBy: `mpesa:${payment.receipt}`, nowMs },
  );
  await markTopUpPurchasePaid(transaction, purchase.id, payment, nowMs);
  return 'paid';
}
