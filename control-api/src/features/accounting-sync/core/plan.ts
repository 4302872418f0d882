// The plan of a period's sync for one vendor: the ledger facts turned into vendor operations in the
// order they happened, each with a stable key. Pure: facts in, operations out.
//
// How Kiunga's ledger maps to each vendor (folder README, "Mapping"):
// - subscriber → customer (QuickBooks) / contact (Xero);
// - invoice with a positive total → invoice; with a negative total → credit note (neither vendor takes a
//   negative invoice);
// - payment → QuickBooks: one Payment applied to the invoices it settled, the rest left unapplied as the
//   customer's credit; Xero: one Payment per settled invoice (a Xero payment settles one document) and
//   the rest as a RECEIVE-OVERPAYMENT;
// - void of an unpaid invoice → the vendor's void; of an invoice with money paid towards it → a credit
//   note for its total (Xero: allocated to the invoice for what is still due), because both vendors keep
//   payments linked to a voided invoice or refuse the void, while Kiunga moves that money to credit;
// - refund of credit balance → QuickBooks: a journal entry (A/R debit for the customer, money account
//   credit); Xero: a payment out of the customer's credit notes and overpayments, oldest first.
import { type Cents, cents } from '@kiunga/schemas';
import type { LedgerInvoice, LedgerPayment, LedgerPeriodFacts, LedgerRefund, LedgerVoid } from './facts';
import { OperationKey, type SyncOperation } from './operations';

export type AccountingVendor = 'quickbooks' | 'xero';

/** Credit left from earlier periods that a Xero refund may be paid out of (from the sync log). */
export interface PriorCredit {
  readonly customerId: string;
  /** The operation key of the credit note or overpayment. */
  readonly sourceKey: string;
  readonly remainingCents: Cents;
}

/** Plans longer than this are split by the caller into smaller periods (a month of a large ISP fits). */
export const OPERATIONS_PER_PLAN_MAX = 50_000;

/** Same-instant events keep this order: invoices exist before money moves on them. */
const EVENT_ORDER = { invoice: 0, payment: 1, void: 2, refund: 3 } as const;

type LedgerEvent =
  | { readonly type: 'invoice'; readonly atMs: number; readonly invoice: LedgerInvoice }
  | { readonly type: 'payment'; readonly atMs: number; readonly payment: LedgerPayment }
  | { readonly type: 'void'; readonly atMs: number; readonly voided: LedgerVoid }
  | { readonly type: 'refund'; readonly atMs: number; readonly refund: LedgerRefund };

export function planSync(
  vendor: AccountingVendor,
  facts: LedgerPeriodFacts,
  priorCredits: readonly PriorCredit[] = [],
): SyncOperation[] {
  const invoicesById = new Map(facts.invoices.map((invoice) => [invoice.id, invoice]));
  const credits = new CreditQueue(priorCredits);
  const operations: SyncOperation[] = [];
  const customerIds = new Set(facts.customers.map((customer) => customer.id));
  for (const customer of [...facts.customers].sort((left, right) => left.id.localeCompare(right.id))) {
    operations.push({
      kind: 'customer',
      key: OperationKey.customer(customer.id),
      dependsOn: [],
      atMs: facts.periodStartMs,
      customer,
    });
  }
  for (const event of eventsInOrder(facts)) {
    const subscriberId = subscriberOf(event, invoicesById);
    if (subscriberId === null || !customerIds.has(subscriberId))
      throw new Error(
        `facts name subscriber ${subscriberId ?? '(unknown invoice)'} without a customer record`,
      );
    const customerKey = OperationKey.customer(subscriberId);
    if (event.type === 'invoice') operations.push(...planInvoice(event.invoice, customerKey, credits));
    else if (event.type === 'payment')
      operations.push(...planPayment(vendor, event.payment, customerKey, credits));
    else if (event.type === 'void')
      operations.push(
        ...planVoid(vendor, event.voided, invoicesById.get(event.voided.invoiceId), customerKey, credits),
      );
    else operations.push(...planRefund(vendor, event.refund, customerKey, credits));
  }
  if (operations.length > OPERATIONS_PER_PLAN_MAX)
    throw new RangeError(`a plan of ${operations.length} operations: sync a shorter period`);
  return operations;
}

function eventsInOrder(facts: LedgerPeriodFacts): LedgerEvent[] {
  const events: LedgerEvent[] = [
    ...facts.invoices.map((invoice) => ({ type: 'invoice' as const, atMs: invoice.issuedAtMs, invoice })),
    ...facts.payments.map((payment) => ({ type: 'payment' as const, atMs: payment.receivedAtMs, payment })),
    ...facts.voids.map((voided) => ({ type: 'void' as const, atMs: voided.atMs, voided })),
    ...facts.refunds.map((refund) => ({ type: 'refund' as const, atMs: refund.atMs, refund })),
  ];
  return events.sort(
    (left, right) => left.atMs - right.atMs || EVENT_ORDER[left.type] - EVENT_ORDER[right.type],
  );
}

function subscriberOf(event: LedgerEvent, invoicesById: Map<string, LedgerInvoice>): string | null {
  if (event.type === 'invoice') return event.invoice.subscriberId;
  if (event.type === 'payment') return event.payment.subscriberId;
  if (event.type === 'refund') return event.refund.subscriberId;
  return invoicesById.get(event.voided.invoiceId)?.subscriberId ?? null;
}

function planInvoice(invoice: LedgerInvoice, customerKey: string, credits: CreditQueue): SyncOperation[] {
  if (invoice.totalCents > 0)
    return [
      {
        kind: 'invoice',
        key: OperationKey.invoice(invoice.id),
        dependsOn: [customerKey],
        atMs: invoice.issuedAtMs,
        customerKey,
        invoice,
      },
    ];
  if (invoice.totalCents === 0) return [];
  const key = OperationKey.invoiceCredit(invoice.id);
  const total = cents(-invoice.totalCents);
  credits.add(invoice.subscriberId, key, total);
  return [
    {
      kind: 'credit_note',
      key,
      dependsOn: [customerKey],
      atMs: invoice.issuedAtMs,
      customerKey,
      number: `${invoice.number}-CR`,
      reference: invoice.id,
      lines: invoice.lines.map((line) => ({
        description: line.description,
        amountCents: cents(-line.amountCents),
      })),
      totalCents: total,
      allocation: null,
    },
  ];
}

function planPayment(
  vendor: AccountingVendor,
  payment: LedgerPayment,
  customerKey: string,
  credits: CreditQueue,
): SyncOperation[] {
  const applied = payment.allocations.reduce((sum, allocation) => sum + allocation.amountCents, 0);
  const unapplied = cents(payment.amountCents - applied);
  if (unapplied < 0) throw new RangeError(`payment ${payment.id} settles more than it brought`);
  const reference = payment.providerTransactionId;
  if (vendor === 'quickbooks') {
    const applications = payment.allocations.map((allocation) => ({
      invoiceKey: OperationKey.invoice(allocation.invoiceId),
      amountCents: allocation.amountCents,
    }));
    return [
      {
        kind: 'payment',
        key: OperationKey.payment(payment.id),
        dependsOn: [customerKey, ...applications.map((application) => application.invoiceKey)],
        atMs: payment.receivedAtMs,
        customerKey,
        paymentId: payment.id,
        reference,
        amountCents: payment.amountCents,
        applications,
      },
    ];
  }
  const operations: SyncOperation[] = payment.allocations.map((allocation) => {
    const invoiceKey = OperationKey.invoice(allocation.invoiceId);
    return {
      kind: 'payment',
      key: OperationKey.paymentApplication(payment.id, allocation.invoiceId),
      dependsOn: [customerKey, invoiceKey],
      atMs: payment.receivedAtMs,
      customerKey,
      paymentId: payment.id,
      reference,
      amountCents: allocation.amountCents,
      applications: [{ invoiceKey, amountCents: allocation.amountCents }],
    };
  });
  if (unapplied > 0) {
    const key = OperationKey.overpayment(payment.id);
    credits.add(payment.subscriberId, key, unapplied);
    operations.push({
      kind: 'overpayment',
      key,
      dependsOn: [customerKey],
      atMs: payment.receivedAtMs,
      customerKey,
      paymentId: payment.id,
      reference,
      amountCents: unapplied,
    });
  }
  return operations;
}

function planVoid(
  vendor: AccountingVendor,
  voided: LedgerVoid,
  invoice: LedgerInvoice | undefined,
  customerKey: string,
  credits: CreditQueue,
): SyncOperation[] {
  if (!invoice)
    throw new Error(`void of invoice ${voided.invoiceId} whose facts are missing: include the invoice`);
  if (invoice.totalCents <= 0) return [];
  const invoiceKey = OperationKey.invoice(invoice.id);
  if (voided.paidCents === 0)
    return [
      {
        kind: 'void_invoice',
        key: OperationKey.void(invoice.id),
        dependsOn: [invoiceKey],
        atMs: voided.atMs,
        invoiceKey,
      },
    ];
  const key = OperationKey.voidCredit(invoice.id);
  const due = cents(invoice.totalCents - voided.paidCents);
  credits.add(invoice.subscriberId, key, voided.paidCents);
  return [
    {
      kind: 'credit_note',
      key,
      dependsOn: [customerKey, invoiceKey],
      atMs: voided.atMs,
      customerKey,
      number: `${invoice.number}-VOID`,
      reference: invoice.id,
      lines: [{ description: `Cancels invoice ${invoice.number}`, amountCents: invoice.totalCents }],
      totalCents: invoice.totalCents,
      allocation: vendor === 'xero' && due > 0 ? { invoiceKey, amountCents: due } : null,
    },
  ];
}

function planRefund(
  vendor: AccountingVendor,
  refund: LedgerRefund,
  customerKey: string,
  credits: CreditQueue,
): SyncOperation[] {
  const base = {
    kind: 'refund' as const,
    dependsOn: [customerKey],
    atMs: refund.atMs,
    customerKey,
    refundId: refund.id,
    reference: refund.reference,
  };
  if (vendor === 'quickbooks')
    return [
      { ...base, key: OperationKey.refund(refund.id), amountCents: refund.amountCents, sourceKey: null },
    ];
  const parts = credits.take(refund.subscriberId, refund.amountCents);
  const operations: SyncOperation[] = parts.taken.map((part) => ({
    ...base,
    key: OperationKey.refundPart(refund.id, part.sourceKey),
    dependsOn: [customerKey, part.sourceKey],
    amountCents: part.amountCents,
    sourceKey: part.sourceKey,
  }));
  // Credit this plan does not know of: the step is kept so the sync log shows it as refused.
  if (parts.missingCents > 0)
    operations.push({
      ...base,
      key: OperationKey.refund(refund.id),
      amountCents: parts.missingCents,
      sourceKey: null,
    });
  return operations;
}

/** Each customer's credit documents, oldest first; a refund is paid out of them in that order. */
class CreditQueue {
  private readonly byCustomer = new Map<string, Array<{ sourceKey: string; remainingCents: number }>>();

  constructor(priorCredits: readonly PriorCredit[]) {
    for (const credit of priorCredits) this.add(credit.customerId, credit.sourceKey, credit.remainingCents);
  }

  add(customerId: string, sourceKey: string, amountCents: number): void {
    if (amountCents <= 0) return;
    const queue = this.byCustomer.get(customerId) ?? [];
    queue.push({ sourceKey, remainingCents: amountCents });
    this.byCustomer.set(customerId, queue);
  }

  take(
    customerId: string,
    amountCents: Cents,
  ): { taken: Array<{ sourceKey: string; amountCents: Cents }>; missingCents: Cents } {
    const queue = this.byCustomer.get(customerId) ?? [];
    const taken: Array<{ sourceKey: string; amountCents: Cents }> = [];
    let missing = amountCents as number;
    for (const credit of queue) {
      if (missing === 0) break;
      const part = Math.min(credit.remainingCents, missing);
      if (part === 0) continue;
      credit.remainingCents -= part;
      missing -= part;
      taken.push({ sourceKey: credit.sourceKey, amountCents: cents(part) });
    }
    return { taken, missingCents: cents(missing) };
  }
}
