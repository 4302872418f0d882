// An invoice as a printable page (hono/jsx; reusable by the subscriber portal) and as a PDF (pdfkit),
// in the reader's language (the i18n catalogues; the lines keep the words they were issued with).
import { formatKsh } from '@kiunga/schemas';
import PDFDocument from 'pdfkit';
import { DEFAULT_LANGUAGE, type Language, t } from '../i18n';
import { formatLocalDate, localDateOf } from './core/calendar';
import type { InvoiceDetail } from './queries';

export interface InvoiceDocumentInput {
  ispName: string;
  subscriber: { fullName: string; accountNumber: string; phone: string | null };
  invoice: InvoiceDetail;
  /** English when not given (the staff console). */
  language?: Language;
}

const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'void'] as const;

function statusLabel(language: Language, status: string): string {
  const known = INVOICE_STATUSES.find((candidate) => candidate === status);
  return known === undefined ? status : t(language, `invoice.status.${known}`);
}

/** The document's words in one language. */
function wordsOf(input: InvoiceDocumentInput) {
  const language = input.language ?? DEFAULT_LANGUAGE;
  const { invoice, subscriber } = input;
  return {
    heading: t(language, 'invoice.heading', {
      number: invoice.number,
      issued: day(invoice.issuedAt),
      due: day(invoice.dueAt),
    }),
    account: `${t(language, 'invoice.accountNumber', { account: subscriber.accountNumber })}${subscriber.phone ? ` · ${subscriber.phone}` : ''}`,
    period: t(language, 'invoice.servicePeriod', {
      from: day(invoice.periodStart),
      to: day(invoice.periodEnd - 1),
    }),
    description: t(language, 'invoice.description'),
    amount: t(language, 'invoice.amount'),
    total: t(language, 'invoice.total'),
    paid: t(language, 'invoice.paid'),
    amountDue: t(language, 'invoice.amountDue'),
    status: statusLabel(language, invoice.status),
    howToPay: t(language, 'invoice.howToPay', { account: subscriber.accountNumber }),
  };
}

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
export function InvoiceDocument(input: InvoiceDocumentInput) {
  const { ispName, subscriber, invoice } = input;
  const words = wordsOf(input);
  return (
    <article class="invoice">
      <h1>{ispName}</h1>
      <p class="muted">{words.heading}</p>
      <p>
        {subscriber.fullName || subscriber.accountNumber}
        <br />
        {words.account}
      </p>
      <p class="muted">{words.period}</p>
      <table>
        <thead>
          <tr>
            <th>{words.description}</th>
            <th class="amount">{words.amount}</th>
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
            <td>{words.total}</td>
            <td class="amount">{formatKshCents(invoice.totalCents)}</td>
          </tr>
          <tr>
            <td>{words.paid}</td>
            <td class="amount">{formatKshCents(invoice.paidCents)}</td>
          </tr>
          <tr>
            <td>{words.amountDue}</td>
            <td class="amount">{formatKshCents(invoice.outstandingCents)}</td>
          </tr>
        </tfoot>
      </table>
      <p class="status">{words.status}</p>
      <p class="muted">{words.howToPay}</p>
    </article>
  );
}

export function renderInvoiceHtml(input: InvoiceDocumentInput): string {
  const page = (
    <html lang={input.language ?? DEFAULT_LANGUAGE}>
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

export function renderInvoicePdf(input: InvoiceDocumentInput): Promise<Buffer> {
  const { ispName, subscriber, invoice } = input;
  const words = wordsOf(input);
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
    .text(words.heading)
    .moveDown()
    .fontSize(11)
    .text(subscriber.fullName || subscriber.accountNumber)
    .text(words.account)
    .text(words.period)
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
  row(words.total, invoice.totalCents, true);
  row(words.paid, invoice.paidCents, true);
  row(words.amountDue, invoice.outstandingCents, true);
  document.moveDown().font('Helvetica-Bold').text(words.status, left).font('Helvetica').text(words.howToPay);
  document.end();
  return done;
}
