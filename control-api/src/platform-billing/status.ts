// What the ISP (and the platform's finance team) sees of a platform account.
import { DAY_MS, PLATFORM_GRACE_DAYS, platformAccountState } from '../billing/index';
import type { ApiDependencies } from '../dependencies';
import { billingStartMs, ensureAccount, type TenantBillingRow } from './accounts';
import { balanceCents } from './ledger';

/** Notices shown with the status; older ones are in GET /notices. */
export const STATUS_NOTICES_MAX = 10;

export function accountView(dependencies: ApiDependencies, tenant: TenantBillingRow) {
  const nowMs = dependencies.clock.now();
  const account = ensureAccount(dependencies, tenant, nowMs);
  const status = platformAccountState(
    { trialEndsAtMs: billingStartMs(tenant), oldestUnpaidDueAtMs: account.oldestUnpaidDueAt },
    nowMs,
  );
  const nextCharge = dependencies.platform.sqlite
    .prepare(`SELECT MAX(due_at) AS dueAt FROM platform_charges WHERE tenant_id = ?`)
    .get(tenant.id) as { dueAt: number | null };
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
    balanceCents: balanceCents(dependencies, tenant.id),
    oldestUnpaidDueAt: account.oldestUnpaidDueAt,
    graceEndsAt:
      account.oldestUnpaidDueAt === null ? null : account.oldestUnpaidDueAt + PLATFORM_GRACE_DAYS * DAY_MS,
    nextChangeAt: status.nextChangeAtMs,
    lastChargeDueAt: nextCharge.dueAt,
    bankReference: account.bankReference,
  };
}

export function ispStatusView(dependencies: ApiDependencies, tenant: TenantBillingRow) {
  const notices = dependencies.platform.sqlite
    .prepare(
      `SELECT id, kind, message, created_at AS createdAt, read_at AS readAt FROM platform_notices
        WHERE tenant_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    )
    .all(tenant.id, STATUS_NOTICES_MAX);
  const config = dependencies.platformBilling;
  const view = accountView(dependencies, tenant);
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
