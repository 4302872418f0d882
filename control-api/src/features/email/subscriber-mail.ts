// Mail to subscribers (issue 14), in each subscriber's language (their portal choice, else the ISP's
// default): a new invoice with its PDF, and the words of the customer portal's "forgot password" mail.
// Invoices are found by a leased job after the billing run committed them, not inside it: the invoices
// live in the ISP's database and the outbox in the platform's, so no one transaction holds both.
import { type SqlDatabase, servedTenantIds } from '@kiunga/schemas';
import { renderInvoicePdf } from '../../billing/invoice-document';
import { getInvoice } from '../../billing/queries';
import { type Language, t } from '../../i18n';
import { ispLanguageOf } from '../../i18n/request-language';
import {
  type InvoiceMailWording,
  invoiceMessage,
  type PasswordResetWording,
} from '../../integrations/email/messages';
import type { ApiDependencies } from '../../kernel/dependencies';
import { ispBranding } from '../branding/service';
import { queueEmail } from './outbox';

export const INVOICE_MAILS_CRON = '* * * * *';
/**
 * An invoice is mailed if it was issued at most this long ago: one issued while email was off, or before
 * the subscriber gave an address, still goes out the next days; older ones wait in the customer portal.
 */
export const INVOICE_MAIL_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
/** Invoices rendered and queued per ISP per run (a PDF takes a few milliseconds): a month's run drains in minutes. */
export const INVOICE_MAILS_PER_TENANT_PER_RUN = 200;

export function invoiceWording(language: Language): InvoiceMailWording {
  return {
    subject: (facts) => t(language, 'email.invoice.subject', facts),
    greeting: (name) => t(language, 'email.invoice.greeting', { name }),
    attached: (facts) => t(language, 'email.invoice.attached', facts),
    toPay: (instructions) => t(language, 'email.invoice.toPay', { instructions }),
    thanks: (isp) => t(language, 'email.invoice.thanks', { isp }),
  };
}

export function passwordResetWording(language: Language): PasswordResetWording {
  return {
    subject: (product) => t(language, 'email.reset.subject', { product }),
    asked: (product, account) => t(language, 'email.reset.asked', { product, account }),
    openWithin: (minutes) => t(language, 'email.reset.openWithin', { minutes }),
    ignore: t(language, 'email.reset.ignore'),
  };
}

/** The subscriber's own language, else the ISP's default. */
export async function subscriberLanguageOf(database: SqlDatabase, chosen: string | null): Promise<Language> {
  return chosen === 'en' || chosen === 'sw' ? chosen : ispLanguageOf(database);
}

interface InvoiceToMail {
  invoiceId: string;
  email: string;
  fullName: string;
  phone: string | null;
  language: string | null;
}

function invoicesToMail(database: SqlDatabase, sinceMs: number, limit: number): Promise<InvoiceToMail[]> {
  return database.all<InvoiceToMail>(
    `SELECT i.id AS "invoiceId", s.email AS email, s.full_name AS "fullName", s.phone AS phone,
            s.language AS language
       FROM invoices i
       JOIN subscribers s ON s.id = i.subscriber_id
       LEFT JOIN invoice_mails m ON m.invoice_id = i.id
      WHERE m.invoice_id IS NULL AND s.email IS NOT NULL AND i.status <> 'void' AND i.issued_at >= ?
      ORDER BY i.issued_at, i.id LIMIT ?`,
    [sinceMs, limit],
  );
}

export interface InvoiceMailRunResult {
  queued: number;
}

/**
 * Queues a mail for each invoice issued within INVOICE_MAIL_WINDOW_MS to a subscriber with an address,
 * once (invoice_mails). Nothing when email is off. At least once: a crash between the queue and the
 * mark would mail that invoice again on the next run, which beats never mailing it.
 */
export async function queueInvoiceEmails(dependencies: ApiDependencies): Promise<InvoiceMailRunResult> {
  const result: InvoiceMailRunResult = { queued: 0 };
  if (!dependencies.email) return result;
  const platform = dependencies.databases.platform;
  for (const tenantId of await servedTenantIds(platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    const database = dependencies.databases.forTenant(tenantId);
    const nowMs = dependencies.clock.now();
    const due = await invoicesToMail(
      database,
      nowMs - INVOICE_MAIL_WINDOW_MS,
      INVOICE_MAILS_PER_TENANT_PER_RUN,
    );
    if (due.length === 0) continue;
    const tenant = await platform.get<{ name: string }>('SELECT name FROM tenants WHERE id = ?', [tenantId]);
    const branding = await ispBranding(database, tenant?.name ?? '');
    for (const item of due) {
      const invoice = await getInvoice(database, item.invoiceId);
      const language = await subscriberLanguageOf(database, item.language);
      const subscriber = { fullName: item.fullName, phone: item.phone, accountNumber: invoice.accountNumber };
      const pdf = await renderInvoicePdf({ ispName: branding.name, subscriber, invoice, language });
      const message = invoiceMessage({
        to: item.email,
        ispName: branding.name,
        subscriberName: item.fullName || invoice.accountNumber,
        invoiceNumber: invoice.number,
        amountCents: invoice.totalCents,
        dueAt: invoice.dueAt,
        paymentInstructions: t(language, 'email.invoice.instructions', { account: invoice.accountNumber }),
        pdf,
        wording: invoiceWording(language),
      });
      const mailId = await queueEmail(platform, dependencies.secretBox, 'invoice', message, nowMs);
      await database.run(
        `INSERT INTO invoice_mails (invoice_id, mail_id, recipient, queued_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (invoice_id) DO NOTHING`,
        [item.invoiceId, mailId, item.email, nowMs],
      );
      result.queued += 1;
    }
  }
  return result;
}
