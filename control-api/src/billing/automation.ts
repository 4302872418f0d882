// Billing automation for one ISP or one subscriber: invoice run, dunning (reminders, suspension
// with a Disconnect-Request to live sessions), and reactivation as soon as a payment covers what
// is overdue. Database writes happen in transactions; the NAS is told afterwards, best effort.
import type { SqlDatabase } from '@kiunga/schemas';
import {
  type CoaReport,
  disconnectSubjectSessions,
  extendSubscriberSessions,
} from '../features/sessions/service';
import type { ApiDependencies } from '../kernel/dependencies';
import { applyDunningAction, dunningCandidates, planSubscriberDunning } from './dunning-store';
import { type BillingSettings, readBillingSettings } from './settings';
import { type InvoiceRunReport, refreshSubscriberBilling, runTenantInvoices } from './store';

type BillingDependencies = Pick<ApiDependencies, 'databases' | 'aaa' | 'clock' | 'logger'>;

export interface DunningReport {
  reminders: number;
  suspensions: number;
  reactivations: number;
  disconnected: CoaReport;
}

export interface TenantBillingReport extends DunningReport {
  invoiceRun: InvoiceRunReport;
  /** Live sessions told a later Session-Timeout: an invoice the subscriber's credit paid moved the paid-through date. */
  extended: CoaReport;
}

/** Active subscribers' paid-through dates (a pay-ahead credit settling a new invoice moves them). */
async function activeExpiries(database: SqlDatabase): Promise<Map<string, number>> {
  const rows = await database.all<{ id: string; expiresAt: number }>(
    `SELECT id, expires_at AS "expiresAt" FROM subscribers WHERE status = 'active' AND expires_at IS NOT NULL`,
  );
  return new Map(rows.map((row) => [row.id, row.expiresAt]));
}

/** The subscribers whose paid-through date moved later between two readings, with the new date. */
function movedLater(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, nowMs: number) {
  const moved = new Map<string, number>();
  for (const [id, expiresAt] of after) {
    const previous = before.get(id);
    if (previous !== undefined && expiresAt > previous && expiresAt > nowMs) moved.set(id, expiresAt);
  }
  return moved;
}

export async function runTenantBilling(
  dependencies: BillingDependencies,
  tenantId: string,
): Promise<TenantBillingReport> {
  const database = dependencies.databases.forTenant(tenantId);
  const before = await activeExpiries(database);
  const invoiceRun = await runTenantInvoices(database, tenantId, dependencies.clock.now());
  const dunning = await runTenantDunning(dependencies, tenantId);
  const nowMs = dependencies.clock.now();
  const extended = await extendSubscriberSessions(
    dependencies.aaa,
    tenantId,
    movedLater(before, await activeExpiries(database), nowMs),
    nowMs,
  );
  return { invoiceRun, ...dunning, extended };
}

export async function runTenantDunning(
  dependencies: BillingDependencies,
  tenantId: string,
): Promise<DunningReport> {
  const database = dependencies.databases.forTenant(tenantId);
  const nowMs = dependencies.clock.now();
  const settings = await readBillingSettings(database);
  const report: DunningReport = {
    reminders: 0,
    suspensions: 0,
    reactivations: 0,
    disconnected: { sessions: 0, acknowledged: 0 },
  };
  const cutOff = new Set<string>();
  for (const subscriberId of await dunningCandidates(database)) {
    await refreshInTransaction(database, subscriberId, settings, nowMs);
    for (const action of await planSubscriberDunning(database, subscriberId, settings, nowMs)) {
      if (!(await applyDunningAction(database, action, nowMs))) continue;
      if (action.action === 'remind') report.reminders++;
      if (action.action === 'suspend') report.suspensions++;
      if (action.action === 'reactivate') report.reactivations++;
      // Suspended: end the live session. Reactivated while walled-gardened: reconnect normally.
      if (action.action !== 'remind') cutOff.add(subscriberId);
    }
  }
  if (cutOff.size > 0) {
    report.disconnected = await disconnectSubjectSessions(dependencies.aaa, tenantId, 'subscriber', cutOff);
  }
  return report;
}

async function refreshInTransaction(
  database: SqlDatabase,
  subscriberId: string,
  settings: BillingSettings,
  nowMs: number,
): Promise<void> {
  await database.transaction((transaction) =>
    refreshSubscriberBilling(transaction, subscriberId, settings, nowMs),
  );
}

export interface PaymentSettlement {
  reactivated: boolean;
  /** Sessions sent a Disconnect-Request so the router reconnects with normal attributes. */
  disconnected: CoaReport;
  /** Sessions still up told the Session-Timeout to the paid-through date as it stands after the payment. */
  extended: CoaReport;
}

/**
 * After money reached a subscriber's account (C2B, cash, an assigned payment): re-derive the
 * invoices and expiry, and lift a billing suspension or an `expired` status at once if nothing
 * overdue is left. A session still up (walled garden) gets a Disconnect-Request, so the router
 * reconnects and RADIUS answers with the normal attributes and a new Session-Timeout.
 */
export async function settleSubscriberPayment(
  dependencies: BillingDependencies,
  tenantId: string,
  subscriberId: string,
): Promise<PaymentSettlement> {
  const database = dependencies.databases.forTenant(tenantId);
  const nowMs = dependencies.clock.now();
  const settings = await readBillingSettings(database);
  await refreshInTransaction(database, subscriberId, settings, nowMs);
  const actions = await planSubscriberDunning(database, subscriberId, settings, nowMs);
  let reactivated = false;
  for (const action of actions) {
    if (action.action === 'reactivate' && (await applyDunningAction(database, action, nowMs)))
      reactivated = true;
  }
  const isOverdue = actions.some((action) => action.action === 'suspend');
  if (!isOverdue) reactivated = (await liftExpiredStatus(database, subscriberId, nowMs)) || reactivated;
  const disconnected = reactivated
    ? await disconnectSubjectSessions(dependencies.aaa, tenantId, 'subscriber', new Set([subscriberId]))
    : { sessions: 0, acknowledged: 0 };
  // Paid while online: the payment's own transaction already moved the paid-through date, so every live
  // session is told the Session-Timeout to it now (the same end again when the money only became credit).
  const after = await database.get<{ expiresAt: number | null; status: string }>(
    'SELECT expires_at AS "expiresAt", status FROM subscribers WHERE id = ?',
    [subscriberId],
  );
  const isRunningOn =
    !reactivated && after?.status === 'active' && after.expiresAt !== null && after.expiresAt > nowMs;
  const extended =
    isRunningOn && after?.expiresAt
      ? await extendSubscriberSessions(
          dependencies.aaa,
          tenantId,
          new Map([[subscriberId, after.expiresAt]]),
          nowMs,
        )
      : { sessions: 0, acknowledged: 0 };
  return { reactivated, disconnected, extended };
}

/** `expired` set by an earlier expiry: billing now keeps expires_at, so a paid-up account is active. */
async function liftExpiredStatus(
  database: SqlDatabase,
  subscriberId: string,
  nowMs: number,
): Promise<boolean> {
  const result = await database.run(
    `UPDATE subscribers SET status = 'active', updated_at = ?
      WHERE id = ? AND status = 'expired' AND (expires_at IS NULL OR expires_at > ?)`,
    [nowMs, subscriberId, nowMs],
  );
  return result.changes === 1;
}

/** The hook money code calls after a payment lands (deps.onSubscriberPayment); never throws. */
export function subscriberPaymentHook(
  dependencies: BillingDependencies,
): (tenantId: string, subscriberId: string) => void {
  return (tenantId, subscriberId) => {
    settleSubscriberPayment(dependencies, tenantId, subscriberId).catch((error: unknown) => {
      dependencies.logger.error({ err: error, tenantId, subscriberId }, 'billing settlement failed');
    });
  };
}
