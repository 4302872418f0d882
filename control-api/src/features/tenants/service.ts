// ISPs (tenants): creation with an owner account — the one path for the platform API, self-registration
// and the demo seed — their key figures, and their lifecycle (suspend, reactivate, archive).
import { type Clock, type Databases, KiungaError, newId } from '@kiunga/schemas';
import type { Context } from 'hono';
import { generateTemporaryPassword } from '../../identity/passwords';
import { revokeAllSessionsOf } from '../../identity/refresh-tokens';
import { ensureBuiltInRoles } from '../../identity/roles/service';
import { insertAccount, prepareAccount, resetPasswordOf } from '../../identity/users/service';
import { userIdsOfTenant } from '../../identity/users/store';
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { decodeCursor, type Page, pageOf } from '../../kernel/pagination';
import { TRIAL_DURATION_MS } from '../../platform-billing/core/tiers';
import { recordPhaseChanges } from '../analytics/store';
import {
  countCatalogue,
  countNasOfTenant,
  findTenantRow,
  insertTenant,
  isSlugTaken,
  listTenantRows,
  revokeApiKeysOfTenant,
  setTenantStatus,
  type TenantRow,
} from './store';

/** Counting live sessions asks the AAA server for at most this many; more shows as this number. */
export const OPEN_SESSIONS_COUNT_MAX = 10_000;

export interface NewTenantInput {
  name: string;
  slug: string;
  tier: 'tier1' | 'tier2';
  featureChoice?: 'hotspot' | 'pppoe' | undefined;
  isTrial: boolean;
  contactPhone?: string | undefined;
  owner: {
    email: string;
    password: string;
    displayName?: string | undefined;
    /** True when the password was generated for the owner: they pick their own at first sign-in. */
    mustChangePassword?: boolean | undefined;
  };
}

/** Creates tenant, owner and built-in roles in one transaction, then the tenant's database. */
export async function createTenantWithOwner(
  dependencies: { databases: Databases; clock: Pick<Clock, 'now'> },
  input: NewTenantInput,
): Promise<{ tenantId: string; ownerId: string }> {
  const platform = dependencies.databases.platform;
  const nowMs = dependencies.clock.now();
  const tenantId = newId('tenant');
  const owner = await prepareAccount(
    {
      email: input.owner.email,
      password: input.owner.password,
      displayName: input.owner.displayName ?? `${input.name} owner`,
      kind: 'isp_owner',
      tenantId,
      mustChangePassword: input.owner.mustChangePassword,
    },
    nowMs,
  );
  await platform.transaction(async (transaction) => {
    if (await isSlugTaken(transaction, input.slug))
      throw new KiungaError('conflict', 'This ISP name (slug) is taken; choose another.');
    await insertTenant(transaction, {
      id: tenantId,
      slug: input.slug,
      name: input.name,
      status: input.isTrial ? 'trial' : 'active',
      tier: input.tier,
      featureChoice: input.tier === 'tier1' ? (input.featureChoice ?? null) : null,
      trialEndsAt: input.isTrial ? nowMs + TRIAL_DURATION_MS : null,
      contactPhone: input.contactPhone ?? null,
      createdAt: nowMs,
    });
    await insertAccount(transaction, owner);
    await ensureBuiltInRoles(transaction, tenantId, nowMs);
    // Its first span for platform analytics (issue 12).
    await recordPhaseChanges(transaction, nowMs, tenantId);
  });
  await dependencies.databases.createTenant(tenantId);
  return { tenantId, ownerId: owner.id };
}

/** What tenants.status holds (schemas/src/tables/platform.ts); only the services here write it. */
export const TENANT_STATUSES = ['trial', 'active', 'suspended', 'archived'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export interface TenantRecord extends Omit<TenantRow, 'ownerId' | 'ownerEmail' | 'status'> {
  status: TenantStatus;
  owner: { id: string; email: string | null } | null;
  figures: { nas: number; plans: number; vouchers: number; subscribers: number; openSessions: number };
}

/** Key figures: counts from the platform's and the tenant's databases, and the AAA server's live table. */
async function figuresOf(dependencies: ApiDependencies, row: TenantRow): Promise<TenantRecord['figures']> {
  const nas = await countNasOfTenant(dependencies.databases.platform, row.id);
  if (row.status === 'archived' || !(await dependencies.databases.hasTenant(row.id)))
    return { nas, plans: 0, vouchers: 0, subscribers: 0, openSessions: 0 };
  const counts = await countCatalogue(dependencies.databases.forTenant(row.id));
  const openSessions = (await dependencies.aaa.listSessions(row.id, { limit: OPEN_SESSIONS_COUNT_MAX }))
    .length;
  return { nas, ...counts, openSessions };
}

async function tenantRecord(dependencies: ApiDependencies, row: TenantRow): Promise<TenantRecord> {
  const { ownerId, ownerEmail, ...tenant } = row;
  return {
    ...tenant,
    status: tenant.status as TenantStatus,
    owner: ownerId ? { id: ownerId, email: ownerEmail } : null,
    figures: await figuresOf(dependencies, row),
  };
}

async function findTenant(dependencies: ApiDependencies, tenantId: string): Promise<TenantRow> {
  const row = await findTenantRow(dependencies.databases.platform, tenantId);
  if (!row) throw new KiungaError('tenant_not_found');
  return row;
}

/** One ISP with its owner and key figures, or 404 tenant_not_found. */
export async function readTenant(dependencies: ApiDependencies, tenantId: string): Promise<TenantRecord> {
  return tenantRecord(dependencies, await findTenant(dependencies, tenantId));
}

export async function listTenants(
  dependencies: ApiDependencies,
  query: { status?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<Page<TenantRecord>> {
  const rows = await listTenantRows(dependencies.databases.platform, {
    status: query.status,
    afterId: decodeCursor(query.cursor) ?? '',
    limit: query.limit,
  });
  const page = pageOf(rows, query.limit, (row) => row.id);
  const items: TenantRecord[] = [];
  for (const row of page.items) items.push(await tenantRecord(dependencies, row));
  return { items, nextCursor: page.nextCursor };
}

export type TenantLifecycleAction = 'suspend' | 'reactivate' | 'archive';

async function setStatus(dependencies: ApiDependencies, tenantId: string, status: string): Promise<void> {
  await setTenantStatus(dependencies.databases.platform, tenantId, status, dependencies.clock.now());
  await recordPhaseChanges(dependencies.databases.platform, dependencies.clock.now(), tenantId);
  await dependencies.aaa.reloadNasRegistry();
}

/**
 * Suspends (RADIUS goes on, the ISP's users may only read), reactivates (back to trial while it
 * lasts) or archives (sessions and API keys end, the data moves out of service) an ISP, audited
 * with the status it had before; answers the ISP as it is now.
 */
export async function changeTenantLifecycle(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  tenantId: string,
  action: TenantLifecycleAction,
): Promise<TenantRecord> {
  const row = await findTenant(dependencies, tenantId);
  if (row.status === 'archived') throw new KiungaError('conflict', 'This ISP is archived.');
  if (action === 'suspend') await setStatus(dependencies, row.id, 'suspended');
  else if (action === 'reactivate') {
    if (row.status !== 'suspended')
      throw new KiungaError('conflict', 'Only a suspended ISP can be reactivated.');
    const isInTrial = row.trialEndsAt !== null && row.trialEndsAt > dependencies.clock.now();
    await setStatus(dependencies, row.id, isInTrial ? 'trial' : 'active');
  } else {
    await setStatus(dependencies, row.id, 'archived');
    const platform = dependencies.databases.platform;
    for (const userId of await userIdsOfTenant(platform, row.id))
      await revokeAllSessionsOf(dependencies, userId);
    await revokeApiKeysOfTenant(platform, row.id, dependencies.clock.now());
    await dependencies.databases.archiveTenant(row.id);
  }
  await recordAudit(dependencies, context, {
    action: `tenant.${action}`,
    target: row.id,
    detail: { from: row.status },
  });
  return readTenant(dependencies, row.id);
}

/** The ISP's owner account id, or 404 when it has none. */
export async function ownerIdOf(dependencies: ApiDependencies, tenantId: string): Promise<string> {
  const row = await findTenant(dependencies, tenantId);
  if (!row.ownerId) throw new KiungaError('not_found', 'This ISP has no owner account.');
  return row.ownerId;
}

/**
 * The platform operator creates an ISP with its owner; without a chosen password the owner gets a
 * temporary one, in this answer only, to be changed at first sign-in.
 */
export async function createTenantAsOperator(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  input: Omit<NewTenantInput, 'isTrial' | 'owner'> & {
    startTrial: boolean;
    owner: { email: string; password?: string | undefined; displayName?: string | undefined };
  },
): Promise<TenantRecord & { ownerTemporaryPassword?: string }> {
  const temporaryPassword = input.owner.password ? undefined : generateTemporaryPassword();
  const { tenantId, ownerId } = await createTenantWithOwner(dependencies, {
    ...input,
    isTrial: input.startTrial,
    owner: {
      ...input.owner,
      password: input.owner.password ?? temporaryPassword ?? '',
      mustChangePassword: temporaryPassword !== undefined,
    },
  });
  await recordAudit(dependencies, context, {
    action: 'tenant.create',
    target: tenantId,
    detail: { slug: input.slug, tier: input.tier, ownerId, ownerEmail: input.owner.email },
  });
  const record = await readTenant(dependencies, tenantId);
  return { ...record, ...(temporaryPassword ? { ownerTemporaryPassword: temporaryPassword } : {}) };
}

/** The operator resets the ISP owner's password (chosen, or a temporary one answered once). */
export async function resetOwnerPassword(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  tenantId: string,
  password: string | undefined,
): Promise<{ id: string; temporaryPassword?: string }> {
  const ownerId = await ownerIdOf(dependencies, tenantId);
  const result = await resetPasswordOf(dependencies, ownerId, password);
  await recordAudit(dependencies, context, {
    action: 'user.password_reset',
    target: ownerId,
    detail: { tenantId },
  });
  return { id: ownerId, ...result };
}
