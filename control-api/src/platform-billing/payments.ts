// Money in from any channel lands here: recorded once, a notice to the ISP, and its state recomputed.
import { randomBytes } from 'node:crypto';
import { formatKsh } from '@kiunga/schemas';
import { addNotice, auditSystem, type PlatformBillingDependencies } from './accounts';
import { type NewPlatformPayment, type PlatformPaymentRow, recordPayment } from './ledger';
import { refreshAccount } from './state';

const PROVIDER_NAMES: Record<string, string> = {
  mpesa_stk: 'M-Pesa',
  bank: 'bank transfer',
  paypal: 'PayPal',
};

export function acceptPayment(
  dependencies: PlatformBillingDependencies,
  payment: NewPlatformPayment,
): { payment: PlatformPaymentRow; isNew: boolean } {
  const nowMs = dependencies.clock.now();
  const recorded = recordPayment(dependencies, payment, nowMs);
  if (!recorded.isNew) return recorded;
  auditSystem(dependencies, {
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
  if (recorded.payment.tenantId !== null) afterPaymentCredited(dependencies, recorded.payment);
  return recorded;
}

export function afterPaymentCredited(
  dependencies: PlatformBillingDependencies,
  payment: PlatformPaymentRow,
): void {
  if (payment.tenantId === null) return;
  const nowMs = dependencies.clock.now();
  addNotice(
    dependencies,
    payment.tenantId,
    {
      kind: 'payment_received',
      message: `Received ${formatKsh(payment.amountCents)} by ${PROVIDER_NAMES[payment.provider] ?? payment.provider} (${payment.providerTransactionId}).`,
    },
    nowMs,
  );
  refreshAccount(dependencies, payment.tenantId, nowMs);
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

const INTENT_SELECT = `SELECT id, tenant_id AS tenantId, provider, provider_reference AS providerReference,
  amount_cents AS amountCents, paid_currency AS paidCurrency, paid_amount_minor AS paidAmountMinor,
  exchange_rate_kes_cents AS exchangeRateKesCents, status, failure_message AS failureMessage,
  payment_id AS paymentId, created_at AS createdAt FROM platform_payment_intents`;

export function createIntent(
  dependencies: PlatformBillingDependencies,
  intent: Pick<
    IntentRow,
    'tenantId' | 'provider' | 'amountCents' | 'paidCurrency' | 'paidAmountMinor' | 'exchangeRateKesCents'
  >,
): IntentRow {
  const nowMs = dependencies.clock.now();
  const id = `pin_${randomBytes(12).toString('base64url')}`;
  dependencies.platform.sqlite
    .prepare(
      `INSERT INTO platform_payment_intents (id, tenant_id, provider, amount_cents, paid_currency, paid_amount_minor,
         exchange_rate_kes_cents, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    )
    .run(
      id,
      intent.tenantId,
      intent.provider,
      intent.amountCents,
      intent.paidCurrency,
      intent.paidAmountMinor,
      intent.exchangeRateKesCents,
      nowMs,
      nowMs,
    );
  return findIntent(dependencies, id) as IntentRow;
}

export function findIntent(dependencies: PlatformBillingDependencies, id: string): IntentRow | undefined {
  return dependencies.platform.sqlite.prepare(`${INTENT_SELECT} WHERE id = ?`).get(id) as
    | IntentRow
    | undefined;
}

export function findIntentByReference(
  dependencies: PlatformBillingDependencies,
  provider: string,
  reference: string,
): IntentRow | undefined {
  return dependencies.platform.sqlite
    .prepare(`${INTENT_SELECT} WHERE provider = ? AND provider_reference = ?`)
    .get(provider, reference) as IntentRow | undefined;
}

export function updateIntent(
  dependencies: PlatformBillingDependencies,
  id: string,
  change: { status?: string; providerReference?: string; failureMessage?: string | null; paymentId?: string },
): void {
  const current = findIntent(dependencies, id);
  if (!current) throw new Error(`no payment intent ${id}`);
  dependencies.platform.sqlite
    .prepare(
      `UPDATE platform_payment_intents SET status = ?, provider_reference = ?, failure_message = ?, payment_id = ?, updated_at = ?
       WHERE id = ?`,
    )
    .run(
      change.status ?? current.status,
      change.providerReference ?? current.providerReference,
      change.failureMessage === undefined ? current.failureMessage : change.failureMessage,
      change.paymentId ?? current.paymentId,
      dependencies.clock.now(),
      id,
    );
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
): number {
  const result = dependencies.platform.sqlite
    .prepare(
      `INSERT INTO platform_callbacks (provider, kind, body, outcome, received_at) VALUES (?, ?, ?, 'stored', ?)`,
    )
    .run(provider, kind, body, dependencies.clock.now());
  return Number(result.lastInsertRowid);
}

export function setCallbackOutcome(
  dependencies: PlatformBillingDependencies,
  id: number,
  outcome: string,
): void {
  dependencies.platform.sqlite
    .prepare('UPDATE platform_callbacks SET outcome = ? WHERE id = ?')
    .run(outcome, id);
}
