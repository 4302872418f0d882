// Print sheets of a voucher batch: an A4 grid of cards as HTML (browser print) and as PDF (pdfkit).
import { formatKsh, type VoucherOutput } from '@kiunga/schemas';
import type { Context } from 'hono';
import PDFDocument from 'pdfkit';

export interface VoucherSheetInput {
  ispName: string;
  planName: string;
  vouchers: VoucherOutput[];
  /** The reseller selling this stock (issue 13): its name and phone on every card. */
  seller?: { name: string; phone: string } | undefined;
}

function sellerLine(input: VoucherSheetInput): string | null {
  return input.seller ? `Sold by ${input.seller.name} · ${input.seller.phone}` : null;
}

/** 3 × 8 cards per A4 page: big enough to cut with scissors and to read the code. */
const COLUMNS = 3;
const ROWS = 8;

export function formatValidity(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function renderVoucherSheetHtml(input: VoucherSheetInput): string {
  const seller = sellerLine(input);
  const cards = input.vouchers
    .map(
      (voucher) => `<div class="card">
  <div class="isp">${escapeHtml(input.ispName)}</div>
  <div class="plan">${escapeHtml(input.planName)} · ${escapeHtml(formatKsh(voucher.priceCents))}</div>
  <div class="code">${escapeHtml(voucher.code)}</div>
  <div class="terms">Valid ${escapeHtml(formatValidity(voucher.validitySeconds))} from first login · ${voucher.deviceLimit} device${voucher.deviceLimit === 1 ? '' : 's'}</div>
${seller === null ? '' : `  <div class="terms seller">${escapeHtml(seller)}</div>\n`}</div>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.ispName)} vouchers: ${escapeHtml(input.planName)}</title>
<style>
@page { size: A4; margin: 10mm; }
body { font-family: system-ui, sans-serif; margin: 0; }
.sheet { display: grid; grid-template-columns: repeat(${COLUMNS}, 1fr); gap: 3mm; }
.card { border: 1px dashed #555; padding: 3mm; height: 29mm; box-sizing: border-box; break-inside: avoid; }
.isp { font-weight: 700; font-size: 11pt; }
.plan, .terms { font-size: 8pt; color: #333; }
.code { font-family: ui-monospace, monospace; font-size: 16pt; letter-spacing: 1pt; margin: 1.5mm 0; }
@media screen { body { margin: 10mm; } }
</style>
</head>
<body>
<div class="sheet">
${cards}
</div>
</body>
</html>
`;
}

export function renderVoucherSheetPdf(input: VoucherSheetInput): Promise<Buffer> {
  const document = new PDFDocument({ size: 'A4', margin: 28 });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
  const margin = 28;
  const gap = 8;
  const cardWidth = (document.page.width - 2 * margin - (COLUMNS - 1) * gap) / COLUMNS;
  const cardHeight = (document.page.height - 2 * margin - (ROWS - 1) * gap) / ROWS;
  input.vouchers.forEach((voucher, index) => {
    const slot = index % (COLUMNS * ROWS);
    if (index > 0 && slot === 0) document.addPage();
    const x = margin + (slot % COLUMNS) * (cardWidth + gap);
    const y = margin + Math.floor(slot / COLUMNS) * (cardHeight + gap);
    document.rect(x, y, cardWidth, cardHeight).dash(3, { space: 2 }).stroke().undash();
    const inner = { width: cardWidth - 12 };
    document
      .font('Helvetica-Bold')
      .fontSize(10)
      .text(input.ispName, x + 6, y + 6, inner);
    document
      .font('Helvetica')
      .fontSize(7)
      .text(`${input.planName} · ${formatKsh(voucher.priceCents)}`, x + 6, y + 20, inner);
    document
      .font('Courier-Bold')
      .fontSize(15)
      .text(voucher.code, x + 6, y + 33, inner);
    document
      .font('Helvetica')
      .fontSize(6.5)
      .text(
        `Valid ${formatValidity(voucher.validitySeconds)} from first login · ${voucher.deviceLimit} device(s)`,
        x + 6,
        y + 55,
        inner,
      );
    const seller = sellerLine(input);
    if (seller !== null) document.text(seller, x + 6, y + 64, inner);
  });
  document.end();
  return done;
}

/** A batch's sheet as the answer to a print request: HTML for the browser's print, or an inline PDF. */
export async function voucherSheetResponse(
  context: Context,
  sheet: VoucherSheetInput,
  format: 'html' | 'pdf',
  batchId: string,
): Promise<Response> {
  if (format === 'html') return context.html(renderVoucherSheetHtml(sheet));
  const pdf = await renderVoucherSheetPdf(sheet);
  return context.body(new Uint8Array(pdf), 200, {
    'content-type': 'application/pdf',
    'content-disposition': `inline; filename="vouchers-${batchId}.pdf"`,
  });
}
