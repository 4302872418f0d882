// The accounting sync's operations carried to QuickBooks Online through its client.
import type { QuickBooksClient } from '../../integrations/quickbooks/client';
import { DOC_NUMBER_CHARS_MAX } from '../../integrations/quickbooks/client';
import type { PortContext, PortOutcome, SyncPort } from './core/executor';
import type { SyncOperation } from './core/operations';
import { customerDisplayName, nairobiDateOf, outcomeOfError, requireVendorId } from './port-outcomes';

/** Per-connection choices the ISP makes when connecting (ids from its QuickBooks company). */
export interface QuickBooksSyncSettings {
  /** The Product/Service invoice and credit memo lines book to (its income account). */
  readonly itemId: string;
  /** Accounts Receivable. */
  readonly receivableAccountId: string;
  /** The account refunds are paid from (M-Pesa clearing, bank). */
  readonly refundFromAccountId: string;
  /** Where payments are deposited; null leaves them in Undeposited Funds. */
  readonly depositToAccountId: string | null;
}

export class QuickBooksSyncPort implements SyncPort {
  constructor(
    private readonly client: QuickBooksClient,
    private readonly settings: QuickBooksSyncSettings,
  ) {}

  async perform(operation: SyncOperation, context: PortContext): Promise<PortOutcome> {
    try {
      return { ok: true, vendorId: await this.send(operation, context) };
    } catch (error) {
      return outcomeOfError(error);
    }
  }

  private async send(operation: SyncOperation, context: PortContext): Promise<string> {
    const vendorId = (key: string) => requireVendorId(context.vendorIdOf, key);
    switch (operation.kind) {
      case 'customer': {
        const displayName = customerDisplayName(
          operation.customer.fullName,
          operation.customer.accountNumber,
        );
        // Found first: a customer created by a run whose answer was lost (or by hand) is not created twice.
        const existing = await this.client.findCustomerByDisplayName(displayName);
        if (existing) return existing.Id;
        const notes = `Kiunga subscriber ${operation.customer.id}, account ${operation.customer.accountNumber}`;
        return (
          await this.client.createCustomer(
            { displayName, phone: operation.customer.phone, notes },
            context.requestId,
          )
        ).Id;
      }
      case 'invoice': {
        const { invoice } = operation;
        const existing = await this.client.findInvoiceByDocNumber(invoice.number);
        if (existing) return existing.Id;
        const created = await this.client.createInvoice(
          {
            customerId: vendorId(operation.customerKey),
            docNumber: invoice.number,
            txnDate: nairobiDateOf(invoice.issuedAtMs),
            dueDate: nairobiDateOf(invoice.dueAtMs),
            lines: invoice.lines,
            itemId: this.settings.itemId,
            privateNote: `Kiunga invoice ${invoice.id}`,
          },
          context.requestId,
        );
        return created.Id;
      }
      case 'credit_note': {
        const created = await this.client.createCreditMemo(
          {
            customerId: vendorId(operation.customerKey),
            docNumber: lastCharacters(operation.number, DOC_NUMBER_CHARS_MAX),
            txnDate: nairobiDateOf(operation.atMs),
            lines: operation.lines,
            itemId: this.settings.itemId,
            privateNote: `Kiunga ${operation.key}`,
          },
          context.requestId,
        );
        return created.Id;
      }
      case 'payment': {
        const created = await this.client.createPayment(
          {
            customerId: vendorId(operation.customerKey),
            totalCents: operation.amountCents,
            txnDate: nairobiDateOf(operation.atMs),
            paymentRefNum: lastCharacters(operation.reference, DOC_NUMBER_CHARS_MAX),
            privateNote: `Kiunga payment ${operation.paymentId}`,
            depositToAccountId: this.settings.depositToAccountId,
            applications: operation.applications.map((application) => ({
              invoiceId: vendorId(application.invoiceKey),
              amountCents: application.amountCents,
            })),
          },
          context.requestId,
        );
        return created.Id;
      }
      case 'void_invoice':
        return (await this.client.voidInvoice(vendorId(operation.invoiceKey), context.requestId)).Id;
      case 'refund': {
        const created = await this.client.recordRefund(
          {
            customerId: vendorId(operation.customerKey),
            amountCents: operation.amountCents,
            txnDate: nairobiDateOf(operation.atMs),
            docNumber: lastCharacters(`RF-${operation.reference}`, DOC_NUMBER_CHARS_MAX),
            privateNote: `Kiunga refund ${operation.refundId}`,
            receivableAccountId: this.settings.receivableAccountId,
            paidFromAccountId: this.settings.refundFromAccountId,
          },
          context.requestId,
        );
        return created.Id;
      }
      case 'overpayment':
        throw new RangeError('an overpayment is a Xero operation; QuickBooks keeps it as unapplied payment');
    }
  }
}

/** QuickBooks' 21-character numbers keep their distinguishing tail. */
function lastCharacters(text: string, charsMax: number): string {
  return text.length <= charsMax ? text : text.slice(text.length - charsMax);
}
