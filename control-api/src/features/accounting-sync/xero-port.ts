// The accounting sync's operations carried to Xero through its client.
import type { XeroClient, XeroPaymentTarget } from '../../integrations/xero/client';
import type { PortContext, PortOutcome, SyncPort } from './core/executor';
import type { SyncOperation } from './core/operations';
import {
  customerDisplayName,
  nairobiDateOf,
  outcomeOfError,
  refusal,
  requireVendorId,
} from './port-outcomes';

/** Per-connection choices the ISP makes when connecting (codes from its Xero chart of accounts). */
export interface XeroSyncSettings {
  /** Revenue account invoice and credit note lines book to. */
  readonly revenueAccountCode: string;
  /** Bank (or M-Pesa clearing) account payments, overpayments and refunds move through. */
  readonly bankAccountCode: string;
}

export class XeroSyncPort implements SyncPort {
  constructor(
    private readonly client: XeroClient,
    private readonly settings: XeroSyncSettings,
  ) {}

  async perform(operation: SyncOperation, context: PortContext): Promise<PortOutcome> {
    if (operation.kind === 'refund' && operation.sourceKey === null)
      return refusal(
        'No synced credit note or overpayment of this customer covers the refund; sync the period the credit arose in first.',
        'no_credit_source',
      );
    try {
      return { ok: true, vendorId: await this.send(operation, context) };
    } catch (error) {
      return outcomeOfError(error);
    }
  }

  private async send(operation: SyncOperation, context: PortContext): Promise<string> {
    const vendorId = (key: string) => requireVendorId(context.vendorIdOf, key);
    const bankAccountCode = this.settings.bankAccountCode;
    switch (operation.kind) {
      case 'customer': {
        const existing = await this.client.findContactByNumber(operation.customer.id);
        if (existing) return existing.ContactID;
        const name = customerDisplayName(operation.customer.fullName, operation.customer.accountNumber);
        const input = { name, contactNumber: operation.customer.id, phone: operation.customer.phone };
        return (await this.client.createContact(input, context.requestId)).ContactID;
      }
      case 'invoice': {
        const { invoice } = operation;
        const existing = await this.client.findInvoiceByNumber(invoice.number);
        if (existing) return existing.InvoiceID;
        const created = await this.client.createInvoice(
          {
            contactId: vendorId(operation.customerKey),
            invoiceNumber: invoice.number,
            date: nairobiDateOf(invoice.issuedAtMs),
            dueDate: nairobiDateOf(invoice.dueAtMs),
            lines: invoice.lines,
            accountCode: this.settings.revenueAccountCode,
            reference: invoice.id,
          },
          context.requestId,
        );
        return created.InvoiceID;
      }
      case 'credit_note': {
        const created = await this.client.createCreditNote(
          {
            contactId: vendorId(operation.customerKey),
            creditNoteNumber: operation.number,
            date: nairobiDateOf(operation.atMs),
            lines: operation.lines,
            accountCode: this.settings.revenueAccountCode,
            reference: operation.reference,
          },
          context.requestId,
        );
        if (operation.allocation) {
          // Its own key: a replay of the credit note above answers the same note, and this allocates it once.
          await this.client.allocateCreditNote(
            {
              creditNoteId: created.CreditNoteID,
              invoiceId: vendorId(operation.allocation.invoiceKey),
              amountCents: operation.allocation.amountCents,
              date: nairobiDateOf(operation.atMs),
            },
            `${context.requestId}-allocation`,
          );
        }
        return created.CreditNoteID;
      }
      case 'payment': {
        const application = operation.applications[0];
        if (!application || operation.applications.length !== 1)
          throw new RangeError('a Xero payment settles exactly one invoice');
        const target: XeroPaymentTarget = { kind: 'invoice', invoiceId: vendorId(application.invoiceKey) };
        return (
          await this.paymentTo(target, operation.amountCents, operation.atMs, operation.reference, context)
        ).PaymentID;
      }
      case 'overpayment': {
        const created = await this.client.createOverpayment(
          {
            contactId: vendorId(operation.customerKey),
            bankAccountCode,
            date: nairobiDateOf(operation.atMs),
            amountCents: operation.amountCents,
            description: `Paid ahead: ${operation.reference} (Kiunga payment ${operation.paymentId})`,
          },
          context.requestId,
        );
        if (!created.OverpaymentID)
          throw new RangeError('Xero answered an overpayment without OverpaymentID');
        return created.OverpaymentID;
      }
      case 'void_invoice':
        return (await this.client.voidInvoice(vendorId(operation.invoiceKey), context.requestId)).InvoiceID;
      case 'refund': {
        const sourceKey = operation.sourceKey as string;
        const sourceId = vendorId(sourceKey);
        const target: XeroPaymentTarget = sourceKey.startsWith('overpayment:')
          ? { kind: 'overpayment', overpaymentId: sourceId }
          : { kind: 'credit_note', creditNoteId: sourceId };
        return (
          await this.paymentTo(
            target,
            operation.amountCents,
            operation.atMs,
            `Refund ${operation.reference}`,
            context,
          )
        ).PaymentID;
      }
    }
  }

  private paymentTo(
    target: XeroPaymentTarget,
    amountCents: number,
    atMs: number,
    reference: string,
    context: PortContext,
  ) {
    return this.client.createPayment(
      {
        target,
        bankAccountCode: this.settings.bankAccountCode,
        date: nairobiDateOf(atMs),
        amountCents,
        reference,
      },
      context.requestId,
    );
  }
}
