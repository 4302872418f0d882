// Following a captive-portal purchase through the Daraja simulator to its end, as the portal page does.
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
