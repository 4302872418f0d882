// A reseller's statement for a period, from its ledger transfers, as JSON, CSV (RFC 4180) and PDF (pdfkit).
import { formatKsh, type SqlDatabase } from '@kiunga/schemas';
import PDFDocument from 'pdfkit';
import { nairobiDateTime } from '../shared/nairobi-time';
import { ResellerLedgerAccount, type ResellerStatement, resellerStatement } from './core';
import { loadResellerTransfers } from './store';

export async function statementOf(
  database: SqlDatabase,
  resellerId: string,
  period: { fromMs: number; toMs: number },
): Promise<ResellerStatement> {
  const transfers = await loadResellerTransfers(
    database,
    [ResellerLedgerAccount.wallet(resellerId), ResellerLedgerAccount.commission(resellerId)],
    period.toMs,
  );
  return resellerStatement(transfers, resellerId, { startMs: period.fromMs, endMs: period.toMs });
}

const KIND_LABELS: Record<ResellerStatement['lines'][number]['kind'], string> = {
  reseller_topup: 'Top-up',
  reseller_stock: 'Voucher stock',
  reseller_commission: 'Commission',
  reseller_payout: 'Payout',
  reseller_adjustment: 'Adjustment',
};

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Amounts in cents (what a spreadsheet sums exactly); times in Nairobi time, as printed. */
export function renderStatementCsv(statement: ResellerStatement): string {
  const header = [
    'time',
    'kind',
    'reference',
    'walletChangeCents',
    'walletBalanceCents',
    'commissionChangeCents',
    'commissionBalanceCents',
  ];
  const rows = [
    ['', 'Opening', '', '', statement.wallet.openingCents, '', statement.commissions.openingCents],
    ...statement.lines.map((line) => [
      nairobiDateTime(line.atMs),
      KIND_LABELS[line.kind],
      line.reference ?? '',
      line.walletChangeCents,
      line.walletBalanceCents,
      line.commissionChangeCents,
      line.commissionBalanceCents,
    ]),
    ['', 'Closing', '', '', statement.wallet.closingCents, '', statement.commissions.closingCents],
  ];
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function renderStatementPdf(statement: ResellerStatement, resellerName: string): Promise<Buffer> {
  const document = new PDFDocument({ size: 'A4', margin: 40 });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
  const { wallet, commissions, period } = statement;
  document.font('Helvetica-Bold').fontSize(14).text(`Statement: ${resellerName}`);
  document
    .font('Helvetica')
    .fontSize(9)
    .text(`${nairobiDateTime(period.startMs)} to ${nairobiDateTime(period.endMs)} (Nairobi time)`)
    .moveDown();
  document.text(
    `Wallet: opening ${formatKsh(wallet.openingCents)}, top-ups ${formatKsh(wallet.topUpsCents)}, ` +
      `stock ${formatKsh(wallet.stockCents)}, closing ${formatKsh(wallet.closingCents)}`,
  );
  document
    .text(
      `Commissions: opening ${formatKsh(commissions.openingCents)}, earned ${formatKsh(commissions.earnedCents)}, ` +
        `paid out ${formatKsh(commissions.payoutsCents)}, closing ${formatKsh(commissions.closingCents)}`,
    )
    .moveDown();
  for (const line of statement.lines) {
    const change = line.walletChangeCents !== 0 ? line.walletChangeCents : line.commissionChangeCents;
    document.text(
      `${nairobiDateTime(line.atMs)}  ${KIND_LABELS[line.kind]}  ${formatKsh(change)}  ` +
        `wallet ${formatKsh(line.walletBalanceCents)}  owed ${formatKsh(line.commissionBalanceCents)}`,
    );
  }
  document.end();
  return done;
}
