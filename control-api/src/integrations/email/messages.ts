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

/** The words of a reset mail, in the reader's language (English below when not given). */
export interface PasswordResetWording {
  readonly subject: (product: string) => string;
  readonly asked: (product: string, account: string) => string;
  readonly openWithin: (minutes: number) => string;
  readonly ignore: string;
}

const ENGLISH_RESET_WORDING: PasswordResetWording = {
  subject: (product) => `Reset your ${product} password`,
  asked: (product, account) => `Someone asked to reset the password of your ${product} account (${account}).`,
  openWithin: (minutes) =>
    `To choose a new password, open this link within ${minutes} minutes. It works once:`,
  ignore: 'If you did not ask for this, ignore this email: your password stays as it is.',
};

export interface PasswordResetInput {
  readonly to: string;
  readonly resetUrl: string;
  /** How long the link works, said in the mail. */
  readonly validMinutes: number;
  /** The console's name for the account: "Kiunga" or the ISP's brand. */
  readonly productName: string;
  /** The account as the reader knows it; the email address when not given. */
  readonly accountName?: string;
  readonly wording?: PasswordResetWording;
}

export function passwordResetMessage(input: PasswordResetInput): EmailMessage {
  const product = oneLine(input.productName);
  const wording = input.wording ?? ENGLISH_RESET_WORDING;
  const account = oneLine(input.accountName ?? input.to);
  const text = [
    wording.asked(product, account),
    '',
    wording.openWithin(input.validMinutes),
    input.resetUrl,
    '',
    wording.ignore,
  ].join('\n');
  const link = escapeHtml(input.resetUrl);
  const html = page(wording.subject(product), [
    escapeHtml(wording.asked(product, account)),
    `${escapeHtml(wording.openWithin(input.validMinutes))}<br><a href="${link}">${link}</a>`,
    escapeHtml(wording.ignore),
  ]);
  return { to: input.to, subject: oneLine(wording.subject(product)), text, html };
}

/** What an invoice mail says, in the reader's language (English below when not given). */
export interface InvoiceMailWording {
  readonly subject: (facts: InvoiceMailFacts) => string;
  readonly greeting: (name: string) => string;
  readonly attached: (facts: InvoiceMailFacts) => string;
  readonly toPay: (instructions: string) => string;
  readonly thanks: (isp: string) => string;
}

/** The invoice's facts as the mail says them: names on one line, the amount and date formatted. */
export interface InvoiceMailFacts {
  readonly isp: string;
  readonly number: string;
  readonly amount: string;
  readonly due: string;
}

const ENGLISH_INVOICE_WORDING: InvoiceMailWording = {
  subject: ({ number, isp, amount, due }) => `Invoice ${number} from ${isp}: ${amount} due ${due}`,
  greeting: (name) => `Hello ${name},`,
  attached: ({ number, isp, amount, due }) =>
    `Your invoice ${number} from ${isp} is attached: ${amount}, due on ${due}.`,
  toPay: (instructions) => `To pay: ${instructions}`,
  thanks: (isp) => `Thank you, ${isp}`,
};

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
  readonly wording?: InvoiceMailWording;
}

export function invoiceMessage(input: InvoiceMailInput): EmailMessage {
  if (input.pdf.length < PDF_MAGIC.length || !input.pdf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    throw new EmailError('invalid_request', 'the invoice attachment is not a PDF');
  }
  const wording = input.wording ?? ENGLISH_INVOICE_WORDING;
  const facts: InvoiceMailFacts = {
    isp: oneLine(input.ispName),
    number: oneLine(input.invoiceNumber),
    amount: formatKsh(input.amountCents, { fixed: true }),
    due: formatEastAfricaDate(input.dueAt),
  };
  const lines = [
    wording.greeting(oneLine(input.subscriberName)),
    wording.attached(facts),
    wording.toPay(oneLine(input.paymentInstructions)),
    wording.thanks(facts.isp),
  ];
  return {
    to: input.to,
    subject: oneLine(wording.subject(facts)),
    text: lines.join('\n\n'),
    html: page(oneLine(wording.subject(facts)), lines.map(escapeHtml)),
    attachments: [
      {
        filename: `invoice-${facts.number.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`,
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
