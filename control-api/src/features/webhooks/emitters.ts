// One call per change that other features make, inside the change's transaction, to put a webhook event
// in the outbox (outbox.ts): each keeps its caller's edit to a line.
import type { SqlDatabase } from '@kiunga/schemas';
import type { WebhookEventData } from './core/events';
import { recordWebhookEvent } from './outbox';

/** Kiunga's money is Kenyan shillings; events say so (core/events.ts). */
const CURRENCY = 'KES';

type PaymentMethod = WebhookEventData<'payment.received'>['method'];
/** The ledger's manual payment methods as the event names them. */
const MANUAL_METHODS: Record<'cash' | 'bank' | 'mpesa', PaymentMethod> = {
  cash: 'cash',
  bank: 'bank_transfer',
  mpesa: 'mpesa',
};

export function recordPaymentReceived(
  database: SqlDatabase,
  payment: {
    paymentId: string;
    subscriberId: string | null;
    amountCents: number;
    method: PaymentMethod | keyof typeof MANUAL_METHODS;
    providerReference: string | null;
  },
  nowMs: number,
) {
  const method = payment.method in MANUAL_METHODS ? MANUAL_METHODS[payment.method as 'cash'] : payment.method;
  return recordWebhookEvent(
    database,
    'payment.received',
    { ...payment, method: method as PaymentMethod, currency: CURRENCY, receivedAt: nowMs },
    nowMs,
  );
}

export function recordInvoiceCreated(
  database: SqlDatabase,
  invoice: {
    id: string;
    subscriberId: string;
    totalCents: number;
    periodStartMs: number;
    periodEndMs: number;
    dueAtMs: number;
  },
  nowMs: number,
) {
  return recordWebhookEvent(
    database,
    'invoice.created',
    {
      invoiceId: invoice.id,
      subscriberId: invoice.subscriberId,
      // A credit-only invoice (negative total) bills nothing: its excess became balance.
      amountCents: Math.max(0, invoice.totalCents),
      currency: CURRENCY,
      periodStart: invoice.periodStartMs,
      periodEnd: invoice.periodEndMs,
      dueAt: invoice.dueAtMs,
    },
    nowMs,
  );
}

export function recordInvoiceVoided(
  database: SqlDatabase,
  invoice: { id: string; subscriberId: string; totalCents: number },
  nowMs: number,
) {
  return recordWebhookEvent(
    database,
    'invoice.voided',
    {
      invoiceId: invoice.id,
      subscriberId: invoice.subscriberId,
      amountCents: Math.max(0, invoice.totalCents),
      currency: CURRENCY,
      reason: null,
      voidedAt: nowMs,
    },
    nowMs,
  );
}

async function usernameOf(database: SqlDatabase, subscriberId: string): Promise<string> {
  const row = await database.get<{ username: string }>('SELECT username FROM subscribers WHERE id = ?', [
    subscriberId,
  ]);
  return row?.username ?? '';
}

export function recordSubscriberSuspended(
  database: SqlDatabase,
  subscriberId: string,
  reason: 'unpaid' | 'manual',
  nowMs: number,
) {
  return recordWebhookEvent(
    database,
    'subscriber.suspended',
    async () => ({
      subscriberId,
      username: await usernameOf(database, subscriberId),
      reason,
      suspendedAt: nowMs,
    }),
    nowMs,
  );
}

export function recordSubscriberReactivated(database: SqlDatabase, subscriberId: string, nowMs: number) {
  return recordWebhookEvent(
    database,
    'subscriber.reactivated',
    async () => ({ subscriberId, username: await usernameOf(database, subscriberId), reactivatedAt: nowMs }),
    nowMs,
  );
}

export function recordVoucherSold(
  database: SqlDatabase,
  voucher: { id: string; planId: string; code: string; priceCents: number },
  sale: { channel: 'portal' | 'reseller' | 'console'; phone: string | null },
  nowMs: number,
) {
  return recordWebhookEvent(
    database,
    'voucher.sold',
    {
      voucherId: voucher.id,
      planId: voucher.planId,
      code: voucher.code,
      priceCents: voucher.priceCents,
      currency: CURRENCY,
      ...sale,
      soldAt: nowMs,
    },
    nowMs,
  );
}

/** The NAS monitor's alert state lives in the platform database: the event goes to the tenant's outbox after it. */
export function recordNasStateChange(
  database: SqlDatabase,
  nas: { nasId: string; name: string; ipAddress: string | null },
  isDown: boolean,
  nowMs: number,
) {
  return recordWebhookEvent(
    database,
    isDown ? 'nas.down' : 'nas.up',
    { nasId: nas.nasId, name: nas.name, ipAddress: nas.ipAddress ?? '', since: nowMs },
    nowMs,
  );
}
