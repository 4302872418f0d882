// An ISP's platform account state, derived from its charges, payments and the clock; a change of state
// is stored with a notice to the ISP and an audit entry. Never touches RADIUS or the captive portal.
import { formatKsh } from '@kiunga/schemas';
import { DAY_MS } from '../billing/core/calendar';
import { queueOwnerAlert } from '../features/email/owner-alerts';
import {
  addNotice,
  auditSystem,
  billingStartMs,
  ensureAccount,
  findAccount,
  findTenant,
  type PlatformBillingDependencies,
} from './accounts';
import { oldestUnpaidDueAt } from './core/allocation';
import {
  PLATFORM_GRACE_DAYS,
  type PlatformAccountState,
  type PlatformAccountStatus,
  type PlatformStateNotice,
  platformAccountState,
  platformStateNotice,
} from './core/index';
import { balanceCents, chargesOf, paidCents } from './ledger';

/** The subject of the owner's email for each platform-account notice. */
const NOTICE_TITLES: Record<PlatformStateNotice, string> = {
  trial_ended_unpaid: 'Your free trial has ended',
  grace_started: 'Your Kiunga payment is due',
  console_restricted: 'Your console is read-only until you pay',
  access_restored: 'Full console access is restored',
};

function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function noticeMessage(kind: PlatformStateNotice, balance: number, graceEndsAtMs: number | null): string {
  const owed = formatKsh(Math.max(balance, 0));
  switch (kind) {
    case 'trial_ended_unpaid':
      return `Your free trial has ended. Pay ${owed} by ${graceEndsAtMs ? formatDate(graceEndsAtMs) : 'soon'} to keep full console access. Your clients are not affected.`;
    case 'grace_started':
      return `Your Kiunga payment of ${owed} is due. Pay by ${graceEndsAtMs ? formatDate(graceEndsAtMs) : 'soon'} to keep full console access. Your clients are not affected.`;
    case 'console_restricted':
      return `Your console is read-only until you pay ${owed}. Your hotspot and PPPoE clients keep their service.`;
    case 'access_restored':
      return 'Payment received: full console access is restored. Thank you.';
  }
}

/** The state now, from what is stored (no writes): what the console middleware asks on every write. */
export async function liveAccountStatus(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
  nowMs: number,
): Promise<PlatformAccountStatus | null> {
  const platform = dependencies.databases.platform;
  const tenant = await findTenant(platform, tenantId);
  const account = await findAccount(platform, tenantId);
  if (!tenant || !account) return null;
  return platformAccountState(
    { trialEndsAtMs: billingStartMs(tenant), oldestUnpaidDueAtMs: account.oldestUnpaidDueAt },
    nowMs,
  );
}

/**
 * Recomputes the oldest unpaid due date and the state; on a change writes a notice and an audit entry.
 * Safe to call any number of times: an unchanged state writes nothing but the due date.
 */
export async function refreshAccount(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
  nowMs: number,
): Promise<{ previous: PlatformAccountState; status: PlatformAccountStatus } | null> {
  const platform = dependencies.databases.platform;
  const tenant = await findTenant(platform, tenantId);
  if (!tenant) return null;
  await ensureAccount(platform, tenant, nowMs);
  return platform.transaction(async (transaction) => {
    // The state it changes from is read inside the transaction: two refreshes write one notice.
    const account = await findAccount(transaction, tenantId);
    if (!account) throw new Error(`platform account of ${tenantId} vanished`);
    const dueAtMs = oldestUnpaidDueAt(
      await chargesOf(transaction, tenantId),
      await paidCents(transaction, tenantId),
    );
    const status = platformAccountState(
      { trialEndsAtMs: billingStartMs(tenant), oldestUnpaidDueAtMs: dueAtMs },
      nowMs,
    );
    const previous = account.state as PlatformAccountState;
    await transaction.run(
      'UPDATE platform_accounts SET oldest_unpaid_due_at = ?, state = ?, updated_at = ? WHERE tenant_id = ?',
      [dueAtMs, status.state, nowMs, tenantId],
    );
    if (tenant.status === 'trial' && status.state !== 'trial') {
      await transaction.run(
        `UPDATE tenants SET status = 'active', updated_at = ? WHERE id = ? AND status = 'trial'`,
        [nowMs, tenantId],
      );
    }
    if (previous !== status.state) {
      const kind = platformStateNotice(previous, status.state);
      const graceEndsAtMs = dueAtMs === null ? null : dueAtMs + PLATFORM_GRACE_DAYS * DAY_MS;
      if (kind) {
        const balance = await balanceCents(transaction, tenantId);
        const message = noticeMessage(kind, balance, graceEndsAtMs);
        await addNotice(transaction, tenantId, { kind, message }, nowMs);
        // By email too (issue 14), queued in this transaction: sent only if the state change commits.
        const { secretBox, email, publicUrl } = dependencies;
        if (secretBox && email && publicUrl)
          await queueOwnerAlert(
            { secretBox, email, publicUrl },
            transaction,
            tenantId,
            { title: NOTICE_TITLES[kind], lines: [message], consolePath: '/isp/platform-account' },
            nowMs,
          );
      }
      await auditSystem(transaction, dependencies.clock.now(), {
        tenantId,
        action: 'platform_billing.state_change',
        target: tenantId,
        detail: { from: previous, to: status.state, notice: kind },
      });
    }
    return { previous, status };
  });
}
