// Following a captive-portal purchase through the Daraja simulator to its end, as the portal page does; and a
// purchase paid end to end, for tests that need a voucher and its M-Pesa receipt.
import type { DarajaSimulator } from '@kiunga/ops/sim/daraja';

export interface PurchaseView {
  status: string;
  voucherCode?: string;
  error?: { code: string; message: string };
}

/** How long a purchase may stay pending once the simulator has sent its callbacks. */
const SETTLE_POLLS_MAX = 50;
const SETTLE_POLL_MS = 100;

/** The purchase as `GET /portal/<slug>/api/purchases/<id>` shows it once it is paid or failed. */
export async function settledPurchase(
  daraja: DarajaSimulator,
  baseUrl: string,
  slug: string,
  purchaseId: string,
): Promise<PurchaseView> {
  await daraja.settled();
  for (let attempt = 0; attempt < SETTLE_POLLS_MAX; attempt += 1) {
    const response = await fetch(`${baseUrl}/portal/${slug}/api/purchases/${purchaseId}`);
    const view = (await response.json()) as PurchaseView;
    if (view.status !== 'pending') return view;
    await new Promise((done) => setTimeout(done, SETTLE_POLL_MS));
  }
  throw new Error('purchase stayed pending');
}

/** A portal purchase of `planId` by STK, paid: its voucher code and the M-Pesa receipt of the payment. */
export async function paidPortalPurchase(
  daraja: DarajaSimulator,
  baseUrl: string,
  purchase: { slug: string; planId: string; phone: string },
): Promise<{ voucherCode: string; receipt: string }> {
  const started = (await (
    await fetch(`${baseUrl}/portal/${purchase.slug}/api/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ planId: purchase.planId, phone: purchase.phone }),
    })
  ).json()) as { id: string };
  const view = await settledPurchase(daraja, baseUrl, purchase.slug, started.id);
  if (view.status !== 'paid') throw new Error(`purchase ${view.status}`);
  const receipt = daraja
    .state()
    .stkTransactions.filter((item) => item.status === 'completed')
    .at(-1)!.mpesaReceiptNumber!;
  return { voucherCode: view.voucherCode!, receipt };
}
