// The receipt of a payment to Kiunga (issue 15): what the receipt page shows and the email sent to the
// ISP owner once the payment is credited (through the platform mail outbox, when email is on).
import { formatKsh, type SqlDatabase } from '@kiunga/schemas';
import { queueEmail } from '../features/email/outbox';
import { escapeHtml, formatEastAfricaDate } from '../integrations/email/messages';
import type { EmailMessage } from '../integrations/email/sender';
import type { ApiDependencies } from '../kernel/dependencies';
import type { PlatformPaymentRow } from './ledger';

export const PAYMENT_PROVIDER_NAMES: Readonly<Record<string, string>> = {
  mpesa_stk: 'M-Pesa',
  bank: 'bank transfer',
  paypal: 'PayPal',
};

/** The receipt page of one payment in the ISP console. */
export function receiptPath(paymentId: string): string {
  return `/isp/platform-account/receipts/${encodeURIComponent(paymentId)}`;
}

export function paymentReceiptMessage(input: {
  to: string;
  ispName: string;
  payment: PlatformPaymentRow;
  receiptUrl: string;
}): EmailMessage {
  const { payment } = input;
  const amount = formatKsh(payment.amountCents);
  const lines = [
    `Kiunga received ${amount} from ${input.ispName} by ${PAYMENT_PROVIDER_NAMES[payment.provider] ?? payment.provider}.`,
    `Transaction: ${payment.providerTransactionId}`,
    `Date: ${formatEastAfricaDate(payment.receivedAt)}`,
    `Receipt: ${input.receiptUrl}`,
    'Thank you.',
  ];
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>Receipt</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
</body></html>`;
  return { to: input.to, subject: `Kiunga receipt: ${amount} received`, text: lines.join('\n\n'), html };
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
  });
  await queueEmail(platform, secretBox, 'payment_receipt', message, dependencies.clock.now());
}
