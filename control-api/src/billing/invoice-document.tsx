// An invoice as a printable page (hono/jsx; reusable by the subscriber portal) and as a PDF (pdfkit).
import { formatKsh } from '@kiunga/schemas';
import PDFDocument from 'pdfkit';
import { formatLocalDate, localDateOf } from './core/calendar';
import type { InvoiceDetail } from './queries';

export interface InvoiceDocumentInput {
  ispName: string;
  subscriber: { fullName: string; accountNumber: string; phone: string | null };
  invoice: InvoiceDetail;
}

const statusLabels: Record<string, string> = {
  open: 'Unpaid',
  partially_paid: 'Partly paid',
  paid: 'Paid',
  void: 'Void',
};

export const formatKshCents = (amountCents: number): string => formatKsh(amountCents, { fixed: true });

const day = (timeMs: number) => formatLocalDate(localDateOf(timeMs));

const styles = `
body { font-family: system-ui, sans-serif; max-width: 720px; margin: 24px auto; color: #111; }
h1 { font-size: 20px; margin: 0 0 4px; } .muted { color: #555; font-size: 13px; }
table { width: 100%; border-collapse: collapse; margin-top: 16px; font-size: 14px; }
th, td { text-align: left; padding: 6px 4px; border-bottom: 1px solid #ddd; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
.totals td { border: none; font-weight: 600; } .status { font-weight: 700; }
@media print { body { margin: 0; } }`;

/** The invoice body, for embedding in a page of the console or the subscriber portal. */
export function InvoiceDocument({ ispName, subscriber, invoice }: InvoiceDocumentInput) {
  return (
    <article class="invoice">
      <h1>{ispName}</h1>
      <p class="muted">
        Invoice {invoice.number} · issued {day(invoice.issuedAt)} · due {day(invoice.dueAt)}
      </p>
      <p>
        {subscriber.fullName || subscriber.accountNumber}
        <br />
        Account number {subscriber.accountNumber}
        {subscriber.phone ? ` · ${subscriber.phone}` : ''}
      </p>
      <p class="muted">
        Service period {day(invoice.periodStart)} to {day(invoice.periodEnd - 1)}
      </p>
      <table>
        <thead>
          <tr>
            <th>Description</th>
            <th class="amount">Amount</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line) => (
            <tr>
              <td>{line.description}</td>
              <td class="amount">{formatKshCents(line.amountCents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot class="totals">
          <tr>
            <td>Total</td>
            <td class="amount">{formatKshCents(invoice.totalCents)}</td>
          </tr>
          <tr>
            <td>Paid</td>
            <td class="amount">{formatKshCents(invoice.paidCents)}</td>
          </tr>
          <tr>
            <td>Amount due</td>
            <td class="amount">{formatKshCents(invoice.outstandingCents)}</td>
          </tr>
        </tfoot>
      </table>
      <p class="status">{statusLabels[invoice.status] ?? invoice.status}</p>
      <p class="muted">
        Pay with M-Pesa using account number {subscriber.accountNumber}. Overpayments are kept as credit for
        your next invoice.
      </p>
    </article>
  );
}

export function renderInvoiceHtml(input: InvoiceDocumentInput): string {
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`Invoice ${input.invoice.number}`}</title>
        <style>{styles}</style>
      </head>
      <body>
        <InvoiceDocument {...input} />
      </body>
    </html>
  );
  return `<!DOCTYPE html>${page.toString()}`;
}

export function renderInvoicePdf({ ispName, subscriber, invoice }: InvoiceDocumentInput): Promise<Buffer> {
  const document = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `Invoice ${invoice.number}` } });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
  const left = 48;
  const amountX = document.page.width - 48 - 120;
  document.font('Helvetica-Bold').fontSize(18).text(ispName);
  document
    .font('Helvetica')
    .fontSize(10)
    .text(`Invoice ${invoice.number} · issued ${day(invoice.issuedAt)} · due ${day(invoice.dueAt)}`)
    .moveDown()
    .fontSize(11)
    .text(subscriber.fullName || subscriber.accountNumber)
    .text(`Account number ${subscriber.accountNumber}${subscriber.phone ? ` · ${subscriber.phone}` : ''}`)
    .text(`Service period ${day(invoice.periodStart)} to ${day(invoice.periodEnd - 1)}`)
    .moveDown();
  const row = (label: string, amountCents: number, isBold = false) => {
    const y = document.y;
    document.font(isBold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    document.text(label, left, y, { width: amountX - left - 12 });
    const afterLabel = document.y;
    document.text(formatKshCents(amountCents), amountX, y, { width: 120, align: 'right' });
    document.y = Math.max(afterLabel, document.y) + 4;
  };
  for (const line of invoice.lines) row(line.description, line.amountCents);
  document.moveDown(0.5);
  row('Total', invoice.totalCents, true);
  row('Paid', invoice.paidCents, true);
  row('Amount due', invoice.outstandingCents, true);
  document
    .moveDown()
    .font('Helvetica-Bold')
    .text(statusLabels[invoice.status] ?? invoice.status, left)
    .font('Helvetica')
    .text(`Pay with M-Pesa using account number ${subscriber.accountNumber}.`);
  document.end();
  return done;
}
