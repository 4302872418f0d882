// A reseller tops up its own wallet by M-Pesa STK to the ISP's shortcode: a pending purchase row whose
// plan_id is the reseller's id, the existing STK push, and the wallet credited when the callback settles
// it (sales.ts's completeResellerTopUp, inside completePurchase's transaction).
import { cents, KiungaError, normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { CENTS_PER_SHILLING } from '../../billing/core/units';
import type { ApiDependencies } from '../../kernel/dependencies';
import { requireMpesaReady } from '../../mpesa/availability';
import { limitStkPush } from '../../mpesa/purchase-limits';
import { createPendingPurchase, getPurchase } from '../../mpesa/purchases';
import { darajaClientFor } from '../../mpesa/settings';
import { sendStkPushForPurchase } from '../../mpesa/stk-push';

/** Ksh 150,000: Safaricom's ceiling for one M-Pesa transaction (a larger float is topped up in cash). */
export const STK_TOP_UP_SHILLINGS_MAX = 150_000;

export interface StkTopUpView {
  id: string;
  status: 'pending' | 'paid' | 'failed';
  amountCents: number;
  error?: { code: string; message: string };
}

export async function startStkTopUp(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  reseller: { id: string; code: string },
  input: { shillings: number; phone: string },
  clientAddress: string,
): Promise<StkTopUpView> {
  const settings = await requireMpesaReady(dependencies, database, tenantId);
  const phone = normaliseKenyanPhone(input.phone);
  if (!phone) throw new KiungaError('validation_failed', 'Enter a Safaricom number like 0712 345 678.');
  await limitStkPush(dependencies, { tenantId, phone, address: clientAddress });
  const purchase = await createPendingPurchase(
    database,
    { planId: reseller.id, phone, macAddress: null, amount: cents(input.shillings * CENTS_PER_SHILLING) },
    dependencies.clock.now(),
  );
  await sendStkPushForPurchase(dependencies, database, {
    tenantId,
    purchaseId: purchase.id,
    settings,
    client: () => darajaClientFor(dependencies, tenantId, settings),
    amountShillings: input.shillings,
    phone,
    accountReference: reseller.code,
    description: 'Wallet top-up',
    failureLog: { message: 'reseller STK top-up failed', fields: { tenantId, purchaseId: purchase.id } },
  });
  return stkTopUpView(database, reseller.id, purchase.id);
}

/** The top-up's state as the reseller console follows it; 404 for another reseller's purchase. */
export async function stkTopUpView(
  database: SqlDatabase,
  resellerId: string,
  purchaseId: string,
): Promise<StkTopUpView> {
  const purchase = await getPurchase(database, purchaseId);
  if (purchase.planId !== resellerId) throw new KiungaError('not_found', 'No such top-up.');
  return {
    id: purchase.id,
    status: purchase.status,
    amountCents: purchase.amountCents,
    ...(purchase.status === 'failed'
      ? {
          error: {
            code: purchase.failureCode ?? 'payment_failed',
            message: purchase.failureMessage ?? 'M-Pesa could not complete the payment.',
          },
        }
      : {}),
  };
}
