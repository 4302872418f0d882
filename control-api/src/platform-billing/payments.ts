// Money in from any channel lands here: recorded once, a notice to the ISP, and its state recomputed.
import { randomBytes } from 'node:crypto';
import { formatKsh, insertReturningId } from '@kiunga/schemas';
import { addNotice, auditSystem, type PlatformBillingDependencies } from './accounts';
import { type NewPlatformPayment, type PlatformPaymentRow, recordPayment } from './ledger';
import { PAYMENT_PROVIDER_NAMES, queuePaymentReceipt } from './receipt';
import { refreshAccount } from './state';

export async function acceptPayment(
  dependencies: PlatformBillingDependencies,
  payment: NewPlatformPayment,
): Promise<{ payment: PlatformPaymentRow; isNew: boolean }> {
  const nowMs = dependencies.clock.now();
  const recorded = await recordPayment(dependencies.databases.platform, payment, nowMs);
  if (!recorded.isNew) return recorded;
  await auditSystem(dependencies.databases.platform, dependencies.clock.now(), {
    tenantId: recorded.payment.tenantId,
    actorId: payment.recordedBy,
    action: 'platform_billing.payment',
    target: recorded.payment.id,
    detail: {
      provider: payment.provider,
      providerTransactionId: payment.providerTransactionId,
      amountCents: payment.amountCents,
      status: recorded.payment.status,
    },
  });
  if (recorded.payment.tenantId !== null) await afterPaymentCredited(dependencies, recorded.payment);
  return recorded;
}

export async function afterPaymentCredited(
  dependencies: PlatformBillingDependencies,
  payment: PlatformPaymentRow,
): Promise<void> {
  if (payment.tenantId === null) return;
  const nowMs = dependencies.clock.now();
  await addNotice(
    dependencies.databases.platform,
    payment.tenantId,
    {
      kind: 'payment_received',
      message: `Received ${formatKsh(payment.amountCents)} by ${PAYMENT_PROVIDER_NAMES[payment.provider] ?? payment.provider} (${payment.providerTransactionId}).`,
    },
    nowMs,
  );
  await refreshAccount(dependencies, payment.tenantId, nowMs);
  await queuePaymentReceipt(dependencies, payment);
}

export interface IntentRow {
  id: string;
  tenantId: string;
  provider: string;
  providerReference: string | null;
  amountCents: number;
  paidCurrency: string;
  paidAmountMinor: number;
  exchangeRateKesCents: number | null;
  status: string;
  failureMessage: string | null;
  paymentId: string | null;
  createdAt: number;
}

const INTENT_SELECT = `SELECT id, tenant_id AS "tenantId", provider, provider_reference AS "providerReference",
  amount_cents AS "amountCents", paid_currency AS "paidCurrency", paid_amount_minor AS "paidAmountMinor",
  exchange_rate_kes_cents AS "exchangeRateKesCents", status, failure_message AS "failureMessage",
  payment_id AS "paymentId", created_at AS "createdAt" FROM platform_payment_intents`;

export async function createIntent(
  dependencies: PlatformBillingDependencies,
  intent: Pick<
    IntentRow,
    'tenantId' | 'provider' | 'amountCents' | 'paidCurrency' | 'paidAmountMinor' | 'exchangeRateKesCents'
  >,
): Promise<IntentRow> {
  const nowMs = dependencies.clock.now();
  const id = `pin_${randomBytes(12).toString('base64url')}`;
  await dependencies.databases.platform.run(
    `INSERT INTO platform_payment_intents (id, tenant_id, provider, amount_cents, paid_currency, paid_amount_minor,
       exchange_rate_kes_cents, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    [
      id,
      intent.tenantId,
      intent.provider,
      intent.amountCents,
      intent.paidCurrency,
      intent.paidAmountMinor,
      intent.exchangeRateKesCents,
      nowMs,
      nowMs,
    ],
  );
  return (await findIntent(dependencies, id)) as IntentRow;
}

export function findIntent(
  dependencies: PlatformBillingDependencies,
  id: string,
): Promise<IntentRow | undefined> {
  return dependencies.databases.platform.get<IntentRow>(`${INTENT_SELECT} WHERE id = ?`, [id]);
}

export function findIntentByReference(
  dependencies: PlatformBillingDependencies,
  provider: string,
  reference: string,
): Promise<IntentRow | undefined> {
  return dependencies.databases.platform.get<IntentRow>(
    `${INTENT_SELECT} WHERE provider = ? AND provider_reference = ?`,
    [provider, reference],
  );
}

export async function updateIntent(
  dependencies: PlatformBillingDependencies,
  id: string,
  change: { status?: string; providerReference?: string; failureMessage?: string | null; paymentId?: string },
): Promise<void> {
  // One transaction: the fields not changed are written back as they were read.
  await dependencies.databases.platform.transaction(async (transaction) => {
    const current = await transaction.get<IntentRow>(`${INTENT_SELECT} WHERE id = ?`, [id]);
    if (!current) throw new Error(`no payment intent ${id}`);
    await transaction.run(
      `UPDATE platform_payment_intents SET status = ?, provider_reference = ?, failure_message = ?, payment_id = ?, updated_at = ?
       WHERE id = ?`,
      [
        change.status ?? current.status,
        change.providerReference ?? current.providerReference,
        change.failureMessage === undefined ? current.failureMessage : change.failureMessage,
        change.paymentId ?? current.paymentId,
        dependencies.clock.now(),
        id,
      ],
    );
  });
}

export function intentView(intent: IntentRow) {
  return {
    id: intent.id,
    provider: intent.provider,
    status: intent.status,
    amountCents: intent.amountCents,
    paidCurrency: intent.paidCurrency,
    paidAmountMinor: intent.paidAmountMinor,
    exchangeRateKesCents: intent.exchangeRateKesCents,
    providerReference: intent.providerReference,
    failureMessage: intent.failureMessage,
    paymentId: intent.paymentId,
    createdAt: intent.createdAt,
  };
}

/** Raw callback first, outcome after: the audit trail of what providers told us. */
export function storeCallback(
  dependencies: PlatformBillingDependencies,
  provider: string,
  kind: string,
  body: string,
): Promise<number> {
  return insertReturningId(
    dependencies.databases.platform,
    `INSERT INTO platform_callbacks (provider, kind, body, outcome, received_at) VALUES (?, ?, ?, 'stored', ?)
     RETURNING id`,
    [provider, kind, body, dependencies.clock.now()],
  );
}

export async function setCallbackOutcome(
  dependencies: PlatformBillingDependencies,
  id: number,
  outcome: string,
): Promise<void> {
  await dependencies.databases.platform.run('UPDATE platform_callbacks SET outcome = ? WHERE id = ?', [
    outcome,
    id,
  ]);
}
