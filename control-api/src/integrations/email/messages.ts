// The emails Kiunga sends, as plain text plus simple HTML (no images, no outside links but ours): a
// password reset link, an invoice with its PDF, and an alert to an ISP owner. Pure builders.
import { formatKsh } from '@kiunga/schemas';
import { EmailError } from './errors';
import type { EmailMessage } from './sender';

/** Kenya keeps East Africa Time all year (UTC+3, no daylight saving): dates in mails are read there. */
const EAST_AFRICA_OFFSET_MS = 3 * 60 * 60 * 1000;
/** An alert is a short note: a few lines, each one short; longer belongs in the console. */
export const ALERT_LINES_MAX = 20;
const ALERT_LINE_CHARS_MAX = 500;
/** `%PDF-`: the first bytes of every PDF file (ISO 32000-1, 7.5.2). */
const PDF_MAGIC = Buffer.from('%PDF-', 'ascii');

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** 2030-01-14, in East Africa Time. */
export function formatEastAfricaDate(epochMs: number): string {
  return new Date(epochMs + EAST_AFRICA_OFFSET_MS).toISOString().slice(0, 10);
}

/** One line for a subject: newlines and runs of spaces folded. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function page(title: string, paragraphs: readonly string[]): string {
  const body = paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>`;
}

/** The link of the contract: `<public URL>/reset-password?token=…`. */
export function passwordResetUrl(publicUrl: string, token: string): string {
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token))
    throw new RangeError('a reset token is 16 to 256 URL-safe characters');
  const url = new URL('/reset-password', publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

export interface PasswordResetInput {
  readonly to: string;
  readonly resetUrl: string;
  /** How long the link works, said in the mail. */
  readonly validMinutes: number;
  /** The console's name for the account: "Kiunga" or the ISP's brand. */
  readonly productName: string;
}

export function passwordResetMessage(input: PasswordResetInput): EmailMessage {
  const product = oneLine(input.productName);
  const text = [
    `Someone asked to reset the password of your ${product} account (${input.to}).`,
    '',
    `To choose a new password, open this link within ${input.validMinutes} minutes. It works once:`,
    input.resetUrl,
    '',
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ].join('\n');
  const link = escapeHtml(input.resetUrl);
  const html = page(`Reset your ${product} password`, [
    `Someone asked to reset the password of your ${escapeHtml(product)} account (${escapeHtml(input.to)}).`,
    `To choose a new password, open this link within ${input.validMinutes} minutes. It works once:<br><a href="${link}">${link}</a>`,
    'If you did not ask for this, ignore this email: your password stays as it is.',
  ]);
  return { to: input.to, subject: `Reset your ${product} password`, text, html };
}

export interface InvoiceMailInput {
  readonly to: string;
  readonly ispName: string;
  readonly subscriberName: string;
  readonly invoiceNumber: string;
  readonly amountCents: number;
  readonly dueAt: number;
  /** How to pay: "Paybill 123456, account ACC-1001". */
  readonly paymentInstructions: string;
  readonly pdf: Buffer;
}

export function invoiceMessage(input: InvoiceMailInput): EmailMessage {
  if (input.pdf.length < PDF_MAGIC.length || !input.pdf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    throw new EmailError('invalid_request', 'the invoice attachment is not a PDF');
  }
  const isp = oneLine(input.ispName);
  const number = oneLine(input.invoiceNumber);
  const amount = formatKsh(input.amountCents, { fixed: true });
  const due = formatEastAfricaDate(input.dueAt);
  const lines = [
    `Hello ${oneLine(input.subscriberName)},`,
    `Your invoice ${number} from ${isp} is attached: ${amount}, due on ${due}.`,
    `To pay: ${oneLine(input.paymentInstructions)}`,
    `Thank you, ${isp}`,
  ];
  return {
    to: input.to,
    subject: `Invoice ${number} from ${isp}: ${amount} due ${due}`,
    text: lines.join('\n\n'),
    html: page(`Invoice ${number}`, lines.map(escapeHtml)),
    attachments: [
      {
        filename: `invoice-${number.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`,
        content: input.pdf,
        contentType: 'application/pdf',
      },
    ],
  };
}

export interface OwnerAlertInput {
  readonly to: string;
  readonly ispName: string;
  /** What happened, in a few words: "NAS Tower A is down". */
  readonly title: string;
  readonly lines: readonly string[];
  /** Where to look in the ISP console. */
  readonly consoleUrl?: string;
}

export function ownerAlertMessage(input: OwnerAlertInput): EmailMessage {
  if (
    input.lines.length > ALERT_LINES_MAX ||
    input.lines.some((line) => line.length > ALERT_LINE_CHARS_MAX)
  ) {
    throw new EmailError('invalid_request', `an alert has at most ${ALERT_LINES_MAX} short lines`);
  }
  const title = oneLine(input.title);
  const text = [
    title,
    '',
    ...input.lines,
    ...(input.consoleUrl === undefined ? [] : ['', `Details: ${input.consoleUrl}`]),
  ].join('\n');
  const paragraphs = [`<strong>${escapeHtml(title)}</strong>`, ...input.lines.map(escapeHtml)];
  if (input.consoleUrl !== undefined) {
    const link = escapeHtml(input.consoleUrl);
    paragraphs.push(`Details: <a href="${link}">${link}</a>`);
  }
  return {
    to: input.to,
    subject: `[${oneLine(input.ispName)}] ${title}`,
    text,
    html: page(title, paragraphs),
  };
}
