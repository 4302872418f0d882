// What the ISP (and the platform's finance team) sees of a platform account.
import { DAY_MS } from '../billing/core/calendar';
import type { ApiDependencies } from '../kernel/dependencies';
import { billingStartMs, ensureAccount, listNotices, type TenantBillingRow } from './accounts';
import { PLATFORM_GRACE_DAYS, platformAccountState } from './core/index';
import { balanceCents } from './ledger';

/** Notices shown with the status; older ones are in GET /notices. */
export const STATUS_NOTICES_MAX = 10;

export async function accountView(dependencies: ApiDependencies, tenant: TenantBillingRow) {
  const nowMs = dependencies.clock.now();
  const platform = dependencies.databases.platform;
  const account = await ensureAccount(platform, tenant, nowMs);
  const status = platformAccountState(
    { trialEndsAtMs: billingStartMs(tenant), oldestUnpaidDueAtMs: account.oldestUnpaidDueAt },
    nowMs,
  );
  const nextCharge = await platform.get<{ dueAt: number | null }>(
    `SELECT MAX(due_at) AS "dueAt" FROM platform_charges WHERE tenant_id = ?`,
    [tenant.id],
  );
  return {
    tenantId: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    tier: tenant.tier,
    featureChoice: tenant.featureChoice,
    optedTier2: account.optedTier2 === 1,
    state: status.state,
    consoleAccess: status.consoleAccess,
    clientService: status.clientService,
    trialEndsAt: tenant.trialEndsAt,
    balanceCents: await balanceCents(platform, tenant.id),
    oldestUnpaidDueAt: account.oldestUnpaidDueAt,
    graceEndsAt:
      account.oldestUnpaidDueAt === null ? null : account.oldestUnpaidDueAt + PLATFORM_GRACE_DAYS * DAY_MS,
    nextChangeAt: status.nextChangeAtMs,
    lastChargeDueAt: nextCharge?.dueAt ?? null,
    bankReference: account.bankReference,
  };
}

export async function ispStatusView(dependencies: ApiDependencies, tenant: TenantBillingRow) {
  const notices = await listNotices(dependencies.databases.platform, tenant.id, STATUS_NOTICES_MAX);
  const config = dependencies.platformBilling;
  const view = await accountView(dependencies, tenant);
  return {
    ...view,
    notices,
    paymentMethods: {
      mpesa: Boolean(config?.mpesa && dependencies.mpesaBaseUrl),
      paypal: config?.paypal ? { currency: 'USD', kesCentsPerUsd: config.paypal.kesCentsPerUsd } : null,
      bank: { reference: view.bankReference, instructions: config?.bankInstructions ?? '' },
    },
  };
}
