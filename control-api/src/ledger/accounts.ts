// Ledger account names of one ISP's shard: the one scheme every transfer (billing, M-Pesa, staff) posts to.
//
// One scheme everywhere: `<kind>:<id>` for per-party accounts, bare names for the ISP's own books.
// The shard is the tenant, so names carry no tenant id. A subscriber's account is a receivable
// (debit-normal: positive = owes the ISP, negative = credit balance).
export const LedgerAccount = {
  /** M-Pesa money received and not yet settled to the ISP's bank. */
  mpesaClearing: 'mpesa_clearing',
  /** Cash taken over the counter by the ISP's staff. */
  cashOnHand: 'cash_on_hand',
  /** Bank transfers reconciled by hand. */
  bankClearing: 'bank_clearing',
  hotspotSales: 'hotspot_sales',
  /** Revenue from PPPoE/static invoices (charges credit it, credits and voids debit it). */
  subscriptionRevenue: 'subscription_revenue',
  /** C2B money whose reference matched nobody, until the ISP assigns it. */
  unassignedPayments: 'unassigned_payments',
  subscriber: (subscriberId: string) => `subscriber:${subscriberId}`,
} as const;

/** Where money recorded by staff lands, by how it was paid. */
export type ManualPaymentMethod = 'cash' | 'bank' | 'mpesa';

export function receivingAccountFor(method: ManualPaymentMethod): string {
  if (method === 'cash') return LedgerAccount.cashOnHand;
  if (method === 'bank') return LedgerAccount.bankClearing;
  return LedgerAccount.mpesaClearing;
}
