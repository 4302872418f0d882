// What the billing API routes call: a counter payment, assigning a C2B payment, a refund, voiding an
// invoice, the ISP's billing settings and a subscriber's terms — each change settled (service comes
// back when nothing is overdue) and written to the audit log here, not in the handler.
import { cents, KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { recordAudit } from '../kernel/audit';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { tenantDatabaseOf, tenantIdOf } from '../kernel/tenant-access';
import type { ManualPaymentMethod } from '../ledger/accounts';
import { refundCredit, voidInvoice } from './adjustments-store';
import { settleSubscriberPayment } from './automation';
import type { InvoiceDocumentInput } from './invoice-document';
import { assignPayment, recordManualPayment } from './payments-store';
import { ispNameOf, subscriberContactOf } from './queries';
import { type BillingSettings, readBillingSettings, writeBillingSettings } from './settings';
import { type SubscriberTerms, updateSubscriberTerms } from './terms-store';

/** Idempotency keys are stored with the transfer id; a longer one is not a key but a mistake. */
export const IDEMPOTENCY_KEY_LENGTH_MAX = 100;

/** The Idempotency-Key header or the body's idempotencyKey, which a money-moving write must carry. */
function requireIdempotencyKey(key: string | undefined, what: 'payment' | 'refund'): string {
  if (!key || key.length > IDEMPOTENCY_KEY_LENGTH_MAX) {
    const article = what === 'payment' ? 'A payment' : 'A refund';
    throw new KiungaError(
      'validation_failed',
      `${article} needs an Idempotency-Key header (or idempotencyKey) of at most ${IDEMPOTENCY_KEY_LENGTH_MAX} characters.`,
    );
  }
  return key;
}

interface ManualMoneyInput {
  amountCents: number;
  method: ManualPaymentMethod;
  reference?: string | undefined;
  idempotencyKey?: string | undefined;
}

/** Records a cash, bank or M-Pesa payment once per idempotency key; a repeat answers the first (isDuplicate). */
export async function recordCounterPayment(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  input: ManualMoneyInput & { subscriberId: string },
) {
  const idempotencyKey = requireIdempotencyKey(input.idempotencyKey, 'payment');
  const { payment, isDuplicate } = await recordManualPayment(
    tenantDatabaseOf(context, dependencies),
    {
      subscriberId: input.subscriberId,
      amountCents: cents(input.amountCents),
      method: input.method,
      reference: input.reference ?? null,
      idempotencyKey,
    },
    dependencies.clock.now(),
  );
  const settlement = await settleSubscriberPayment(dependencies, tenantIdOf(context), input.subscriberId);
  if (!isDuplicate) {
    await recordAudit(dependencies, context, {
      action: 'payment.record',
      target: payment.id,
      detail: { subscriberId: input.subscriberId, amountCents: input.amountCents, method: input.method },
    });
  }
  return { payment: { ...payment, settlement }, isDuplicate };
}

/** Assigns an unmatched C2B payment to a subscriber (again to the same one: nothing happens). */
export async function assignUnmatchedPayment(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  paymentId: string,
  subscriberId: string,
) {
  const { payment, isDuplicate } = await assignPayment(
    tenantDatabaseOf(context, dependencies),
    paymentId,
    subscriberId,
    dependencies.clock.now(),
  );
  const settlement = await settleSubscriberPayment(dependencies, tenantIdOf(context), subscriberId);
  if (!isDuplicate) {
    await recordAudit(dependencies, context, {
      action: 'payment.assign',
      target: payment.id,
      detail: { subscriberId },
    });
  }
  return { ...payment, settlement };
}

/** Pays back credit once per idempotency key; a repeat answers the first (isDuplicate). */
export async function refundSubscriberCredit(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  subscriberId: string,
  input: ManualMoneyInput,
) {
  const idempotencyKey = requireIdempotencyKey(input.idempotencyKey, 'refund');
  const { refund, creditBalanceCents, isDuplicate } = await refundCredit(
    tenantDatabaseOf(context, dependencies),
    {
      subscriberId,
      amountCents: cents(input.amountCents),
      method: input.method,
      reference: input.reference ?? null,
      idempotencyKey,
    },
    dependencies.clock.now(),
  );
  if (!isDuplicate) {
    await recordAudit(dependencies, context, {
      action: 'refund.record',
      target: refund.id,
      detail: { subscriberId, amountCents: refund.amountCents, method: refund.method },
    });
  }
  return { refund: { ...refund, creditBalanceCents }, isDuplicate };
}

/** Voids an invoice issued in error; voiding what was overdue may bring service back at once. */
export async function voidIssuedInvoice(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  invoiceId: string,
  reason: string,
) {
  const { invoice, isDuplicate } = await voidInvoice(
    tenantDatabaseOf(context, dependencies),
    invoiceId,
    dependencies.clock.now(),
  );
  const settlement = await settleSubscriberPayment(dependencies, tenantIdOf(context), invoice.subscriberId);
  if (!isDuplicate) {
    await recordAudit(dependencies, context, {
      action: 'invoice.void',
      target: invoice.id,
      detail: { number: invoice.number, totalCents: invoice.totalCents, reason },
    });
  }
  return { ...invoice, settlement };
}

/** What a printed invoice shows beside the invoice itself: the ISP's name and the subscriber's contact. */
export async function invoiceDocumentOf(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  invoice: InvoiceDocumentInput['invoice'],
): Promise<InvoiceDocumentInput> {
  const subscriber = await subscriberContactOf(tenantDatabaseOf(context, dependencies), invoice.subscriberId);
  return {
    ispName: await ispNameOf(dependencies.databases.platform, tenantIdOf(context)),
    subscriber: {
      fullName: subscriber?.fullName ?? '',
      phone: subscriber?.phone ?? null,
      accountNumber: invoice.accountNumber,
    },
    invoice,
  };
}

/** Changes the settings given and keeps the others, in one transaction: what is written back is what was read. */
export async function updateBillingSettings(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  change: Partial<BillingSettings>,
): Promise<BillingSettings> {
  const settings = await tenantDatabaseOf(context, dependencies).transaction(async (transaction) => {
    const next = { ...(await readBillingSettings(transaction)), ...change };
    await writeBillingSettings(transaction, next, dependencies.clock.now());
    return next;
  });
  await recordAudit(dependencies, context, { action: 'billing.settings.update', detail: change });
  return settings;
}

/** Overrides a subscriber's cycle or service start; answers the terms now in force. */
export async function changeSubscriberTerms(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  subscriberId: string,
  change: Partial<Omit<SubscriberTerms, 'subscriberId'>>,
): Promise<SubscriberTerms> {
  const terms = await updateSubscriberTerms(
    tenantDatabaseOf(context, dependencies),
    subscriberId,
    change,
    dependencies.clock.now(),
  );
  await recordAudit(dependencies, context, {
    action: 'billing.subscriber_terms.update',
    target: terms.subscriberId,
    detail: change,
  });
  return terms;
}
