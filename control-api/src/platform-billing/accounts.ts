// An ISP's platform account: its bank reference, last computed state, notices and the audit trail.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiDependencies } from '../dependencies';

/** What platform billing reads and writes: the platform DB, ISP shards (for revenue) and the clock. */
export type PlatformBillingDependencies = Pick<ApiDependencies, 'platform' | 'shards' | 'clock'>;

export interface TenantBillingRow {
  id: string;
  slug: string;
  name: string;
  status: string;
  tier: string;
  featureChoice: string | null;
  trialEndsAt: number | null;
  contactPhone: string | null;
  createdAt: number;
}

export interface AccountRow {
  tenantId: string;
  bankReference: string;
  optedTier2: number;
  state: string;
  oldestUnpaidDueAt: number | null;
  tierEvaluatedPeriod: string | null;
}

const TENANT_SELECT = `SELECT id, slug, name, status, tier, feature_choice AS featureChoice,
  trial_ends_at AS trialEndsAt, contact_phone AS contactPhone, created_at AS createdAt FROM tenants`;
const ACCOUNT_SELECT = `SELECT tenant_id AS tenantId, bank_reference AS bankReference, opted_tier2 AS optedTier2,
  state, oldest_unpaid_due_at AS oldestUnpaidDueAt, tier_evaluated_period AS tierEvaluatedPeriod
  FROM platform_accounts`;
/** Crockford-style: no 0/O or 1/I to misread on a bank slip. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_CODE_LENGTH = 6;
/** A collision of 6 characters from 29 is rare; a few tries then random bytes settle it. */
const REFERENCE_ATTEMPTS_MAX = 5;

export function findTenant(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
): TenantBillingRow | undefined {
  return dependencies.platform.sqlite.prepare(`${TENANT_SELECT} WHERE id = ?`).get(tenantId) as
    | TenantBillingRow
    | undefined;
}

export function billableTenants(dependencies: PlatformBillingDependencies): TenantBillingRow[] {
  return dependencies.platform.sqlite
    .prepare(`${TENANT_SELECT} WHERE status != 'archived' ORDER BY id`)
    .all() as TenantBillingRow[];
}

/** When platform months start: the trial's end, or creation for ISPs the platform added without a trial. */
export function billingStartMs(tenant: TenantBillingRow): number {
  return tenant.trialEndsAt ?? tenant.createdAt;
}

export function findAccount(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
): AccountRow | undefined {
  return dependencies.platform.sqlite.prepare(`${ACCOUNT_SELECT} WHERE tenant_id = ?`).get(tenantId) as
    | AccountRow
    | undefined;
}

export function findAccountByReference(
  dependencies: PlatformBillingDependencies,
  reference: string,
): AccountRow | undefined {
  return dependencies.platform.sqlite
    .prepare(`${ACCOUNT_SELECT} WHERE bank_reference = ?`)
    .get(normaliseReference(reference)) as AccountRow | undefined;
}

/** "kiu 7kq2mx" and "KIU-7KQ2MX" are the same reference: bank slips are typed by hand. */
export function normaliseReference(reference: string): string {
  const compact = reference.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.startsWith('KIU') ? `KIU-${compact.slice(3)}` : compact;
}

function referenceCandidate(tenantId: string, attempt: number): string {
  const seed =
    attempt < REFERENCE_ATTEMPTS_MAX
      ? createHash('sha256').update(`${tenantId}:${attempt}`).digest()
      : randomBytes(32);
  const code = [...seed.subarray(0, REFERENCE_CODE_LENGTH)]
    .map((byte) => REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length])
    .join('');
  return `KIU-${code}`;
}

/** The account row, created on first sight with a unique reference (fits M-Pesa's 12-character AccountReference). */
export function ensureAccount(
  dependencies: PlatformBillingDependencies,
  tenant: TenantBillingRow,
  nowMs: number,
): AccountRow {
  const existing = findAccount(dependencies, tenant.id);
  if (existing) return existing;
  const sqlite = dependencies.platform.sqlite;
  for (let attempt = 0; attempt <= REFERENCE_ATTEMPTS_MAX; attempt += 1) {
    const reference = referenceCandidate(tenant.id, attempt);
    const inserted = sqlite
      .prepare(
        `INSERT OR IGNORE INTO platform_accounts (tenant_id, bank_reference, opted_tier2, state, created_at, updated_at)
         VALUES (?, ?, ?, 'trial', ?, ?)`,
      )
      .run(tenant.id, reference, tenant.tier === 'tier2' ? 1 : 0, nowMs, nowMs);
    const account = findAccount(dependencies, tenant.id);
    if (account) return account;
    if (inserted.changes === 1) break;
  }
  throw new Error(`could not give tenant ${tenant.id} a unique bank reference`);
}

export function addNotice(
  dependencies: PlatformBillingDependencies,
  tenantId: string,
  notice: { kind: string; message: string },
  nowMs: number,
): void {
  dependencies.platform.sqlite
    .prepare('INSERT INTO platform_notices (id, tenant_id, kind, message, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(`pnt_${randomBytes(12).toString('base64url')}`, tenantId, notice.kind, notice.message, nowMs);
}

/** Audit entries written by jobs and callbacks, which have no signed-in actor. */
export function auditSystem(
  dependencies: PlatformBillingDependencies,
  entry: {
    tenantId: string | null;
    action: string;
    target?: string;
    detail?: unknown;
    actorId?: string | null;
  },
): void {
  dependencies.platform.sqlite
    .prepare(
      `INSERT INTO audit_log (at, actor_id, tenant_id, action, target, detail, source_address)
       VALUES (?, ?, ?, ?, ?, ?, NULL)`,
    )
    .run(
      dependencies.clock.now(),
      entry.actorId ?? null,
      entry.tenantId,
      entry.action,
      entry.target ?? null,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    );
}
