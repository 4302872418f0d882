// The receipt of a payment to Kiunga (issue 15): what the receipt page shows and the email sent to the
// ISP owner once the payment is credited (through the platform mail outbox, when email is on).
import { formatKsh, type SqlDatabase } from '@kiunga/schemas';
import { queueEmail } from '../features/email/outbox';
import { isLanguage, type Language, t } from '../i18n';
import { escapeHtml, formatEastAfricaDate } from '../integrations/email/messages';
import type { EmailMessage } from '../integrations/email/sender';
import type { ApiDependencies } from '../kernel/dependencies';
import type { PlatformPaymentRow } from './ledger';

export const PAYMENT_PROVIDER_NAMES: Readonly<Record<string, string>> = {
  mpesa_stk: 'M-Pesa',
  bank: 'bank transfer',
  paypal: 'PayPal',
};

/** How a payment came in, in `language`: M-Pesa and PayPal are names in every language, a bank transfer is not. */
export function providerName(provider: string, language: Language): string {
  if (provider === 'bank') return t(language, 'platformPay.provider.bank');
  return PAYMENT_PROVIDER_NAMES[provider] ?? provider;
}

/**
 * The owner's language is kept per ISP in platform_settings under this prefix: the language the owner last
 * opened the payment page in (the sign-up's `lang` cookie or Accept-Language carries over to it), so the
 * receipt mailed later from a payment callback, with no owner request in hand, is in that language too.
 */
const OWNER_LANGUAGE_KEY_PREFIX = 'platform_billing.owner_language.';

/** Remembers the language the owner uses the payment pages in; written only when it changes. */
export async function rememberOwnerLanguage(
  platform: SqlDatabase,
  tenantId: string,
  language: Language,
  nowMs: number,
): Promise<void> {
  await platform.run(
    `INSERT INTO platform_settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
       WHERE platform_settings.value <> excluded.value`,
    [`${OWNER_LANGUAGE_KEY_PREFIX}${tenantId}`, language, nowMs],
  );
}

/** The owner's remembered language, English when they never opened the payment pages. */
export async function ownerLanguageOf(platform: SqlDatabase, tenantId: string): Promise<Language> {
  const row = await platform.get<{ value: string }>('SELECT value FROM platform_settings WHERE key = ?', [
    `${OWNER_LANGUAGE_KEY_PREFIX}${tenantId}`,
  ]);
  return isLanguage(row?.value) ? row.value : 'en';
}

/** The receipt page of one payment in the ISP console. */
export function receiptPath(paymentId: string): string {
  return `/isp/platform-account/receipts/${encodeURIComponent(paymentId)}`;
}

export function paymentReceiptMessage(input: {
  to: string;
  ispName: string;
  payment: PlatformPaymentRow;
  receiptUrl: string;
  language: Language;
}): EmailMessage {
  const { payment, language } = input;
  const amount = formatKsh(payment.amountCents);
  const lines = [
    t(language, 'platformPay.receipt.received', {
      amount,
      ispName: input.ispName,
      provider: providerName(payment.provider, language),
    }),
    t(language, 'platformPay.receiptMail.transaction', { transaction: payment.providerTransactionId }),
    t(language, 'platformPay.receiptMail.date', { date: formatEastAfricaDate(payment.receivedAt) }),
    t(language, 'platformPay.receiptMail.link', { url: input.receiptUrl }),
    t(language, 'platformPay.receiptMail.thanks'),
  ];
  const html = `<!doctype html>\n<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(t(language, 'platformPay.receipt.title'))}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
</body></html>`;
  return {
    to: input.to,
    subject: t(language, 'platformPay.receiptMail.subject', { amount }),
    text: lines.join('\n\n'),
    html,
  };
}

async function ownerOf(platform: SqlDatabase, tenantId: string) {
  return platform.get<{ email: string; ispName: string }>(
    `SELECT u.email, t.name AS "ispName" FROM tenants t JOIN users u ON u.tenant_id = t.id AND u.kind = 'isp_owner'
      WHERE t.id = ? AND u.status = 'active' ORDER BY u.created_at LIMIT 1`,
    [tenantId],
  );
}

/** Queues the receipt mail to the ISP's owner; nothing when email is off or the ISP has no owner. */
export async function queuePaymentReceipt(
  dependencies: Pick<ApiDependencies, 'databases' | 'clock'> &
    Partial<Pick<ApiDependencies, 'secretBox' | 'email' | 'publicUrl'>>,
  payment: PlatformPaymentRow,
): Promise<void> {
  const { secretBox, email, publicUrl } = dependencies;
  if (!secretBox || !email || !publicUrl || payment.tenantId === null) return;
  const platform = dependencies.databases.platform;
  const owner = await ownerOf(platform, payment.tenantId);
  if (!owner) return;
  const message = paymentReceiptMessage({
    to: owner.email,
    ispName: owner.ispName,
    payment,
    receiptUrl: new URL(receiptPath(payment.id), publicUrl).toString(),
    language: await ownerLanguageOf(platform, payment.tenantId),
  });
  await queueEmail(platform, secretBox, 'payment_receipt', message, dependencies.clock.now());
}
