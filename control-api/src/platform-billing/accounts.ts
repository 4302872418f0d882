// An ISP's platform account: its bank reference, last computed state, notices and the audit trail.
import { createHash, randomBytes } from 'node:crypto';
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import type { ApiDependencies } from '../kernel/dependencies';
import { decideTierChoice, type PaidTier, type Tier1FeatureChoice } from './core/index';

/** What platform billing reads and writes: the platform's and ISPs' databases (for revenue) and the clock. */
export type PlatformBillingDependencies = Pick<ApiDependencies, 'databases' | 'clock'> &
  /** With these, a credited payment's receipt is emailed to the owner (platform-billing/receipt.ts). */
  Partial<Pick<ApiDependencies, 'secretBox' | 'email' | 'publicUrl'>>;

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

const TENANT_SELECT = `SELECT id, slug, name, status, tier, feature_choice AS "featureChoice",
  trial_ends_at AS "trialEndsAt", contact_phone AS "contactPhone", created_at AS "createdAt" FROM tenants`;
const ACCOUNT_SELECT = `SELECT tenant_id AS "tenantId", bank_reference AS "bankReference",
  opted_tier2 AS "optedTier2", state, oldest_unpaid_due_at AS "oldestUnpaidDueAt",
  tier_evaluated_period AS "tierEvaluatedPeriod"
  FROM platform_accounts`;
/** Crockford-style: no 0/O or 1/I to misread on a bank slip. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_CODE_LENGTH = 6;
/** A collision of 6 characters from 29 is rare; a few tries then random bytes settle it. */
const REFERENCE_ATTEMPTS_MAX = 5;

export function findTenant(platform: SqlDatabase, tenantId: string): Promise<TenantBillingRow | undefined> {
  return platform.get<TenantBillingRow>(`${TENANT_SELECT} WHERE id = ?`, [tenantId]);
}

export function billableTenants(platform: SqlDatabase): Promise<TenantBillingRow[]> {
  return platform.all<TenantBillingRow>(`${TENANT_SELECT} WHERE status != 'archived' ORDER BY id`);
}

/** When platform months start: the trial's end, or creation for ISPs the platform added without a trial. */
export function billingStartMs(tenant: TenantBillingRow): number {
  return tenant.trialEndsAt ?? tenant.createdAt;
}

export function findAccount(platform: SqlDatabase, tenantId: string): Promise<AccountRow | undefined> {
  return platform.get<AccountRow>(`${ACCOUNT_SELECT} WHERE tenant_id = ?`, [tenantId]);
}

export function findAccountByReference(
  platform: SqlDatabase,
  reference: string,
): Promise<AccountRow | undefined> {
  return platform.get<AccountRow>(`${ACCOUNT_SELECT} WHERE bank_reference = ?`, [
    normaliseReference(reference),
  ]);
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
export async function ensureAccount(
  platform: SqlDatabase,
  tenant: TenantBillingRow,
  nowMs: number,
): Promise<AccountRow> {
  const existing = await findAccount(platform, tenant.id);
  if (existing) return existing;
  for (let attempt = 0; attempt <= REFERENCE_ATTEMPTS_MAX; attempt += 1) {
    const reference = referenceCandidate(tenant.id, attempt);
    // Either key may be taken: this tenant's row (another request made it) or the reference (a collision).
    const inserted = await platform.run(
      `INSERT INTO platform_accounts (tenant_id, bank_reference, opted_tier2, state, created_at, updated_at)
       VALUES (?, ?, ?, 'trial', ?, ?) ON CONFLICT DO NOTHING`,
      [tenant.id, reference, tenant.tier === 'tier2' ? 1 : 0, nowMs, nowMs],
    );
    const account = await findAccount(platform, tenant.id);
    if (account) return account;
    if (inserted.changes === 1) break;
  }
  throw new Error(`could not give tenant ${tenant.id} a unique bank reference`);
}

/** Notices made by this process so far: orders the notices of one instant as they were made. */
let noticesMade = 0;
/** Base-36 digits of the sequence in a notice id: enough for 2.8 × 10^12 notices a process. */
const NOTICE_SEQUENCE_DIGITS = 8;

/**
 * A notice id that sorts after every earlier one this process made, so that notices of the same
 * instant list newest first by (created_at, id) on any database; the random part keeps ids of
 * several nodes apart.
 */
function newNoticeId(): string {
  noticesMade += 1;
  const sequence = noticesMade.toString(36).padStart(NOTICE_SEQUENCE_DIGITS, '0');
  return `pnt_${sequence}${randomBytes(9).toString('base64url')}`;
}

export async function addNotice(
  platform: SqlDatabase,
  tenantId: string,
  notice: { kind: string; message: string },
  nowMs: number,
): Promise<void> {
  await platform.run(
    'INSERT INTO platform_notices (id, tenant_id, kind, message, created_at) VALUES (?, ?, ?, ?, ?)',
    [newNoticeId(), tenantId, notice.kind, notice.message, nowMs],
  );
}

export interface NoticeRow {
  id: string;
  kind: string;
  message: string;
  createdAt: number;
  readAt: number | null;
}

/** The ISP's newest notices first (notices of one instant: the last made first). */
export function listNotices(platform: SqlDatabase, tenantId: string, limit: number): Promise<NoticeRow[]> {
  return platform.all<NoticeRow>(
    `SELECT id, kind, message, created_at AS "createdAt", read_at AS "readAt" FROM platform_notices
      WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
    [tenantId, limit],
  );
}

/** Audit entries written by jobs and callbacks, which have no signed-in actor. */
export async function auditSystem(
  platform: SqlDatabase,
  nowMs: number,
  entry: {
    tenantId: string | null;
    action: string;
    target?: string;
    detail?: unknown;
    actorId?: string | null;
  },
): Promise<void> {
  await platform.run(
    `INSERT INTO audit_log (at, actor_id, tenant_id, action, target, detail, source_address)
     VALUES (?, ?, ?, ?, ?, ?, NULL)`,
    [
      nowMs,
      entry.actorId ?? null,
      entry.tenantId,
      entry.action,
      entry.target ?? null,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    ],
  );
}

/**
 * The owner's tier choice, decided by the pure core and written in one transaction: Tier 2 from now
 * (with a notice when it is news), or back to following revenue with a Tier 1 feature.
 */
export async function chooseTier(
  platform: SqlDatabase,
  tenant: TenantBillingRow,
  requested: { tier: PaidTier; featureChoice?: Tier1FeatureChoice | undefined },
  nowMs: number,
): Promise<void> {
  const choice = decideTierChoice(tenant, requested);
  if (choice.kind === 'refused')
    throw new KiungaError('validation_failed', 'Tier 1 needs featureChoice: hotspot or pppoe.');
  await ensureAccount(platform, tenant, nowMs);
  await platform.transaction(async (transaction) => {
    const isTier2 = choice.kind === 'opt_tier2';
    await transaction.run(
      'UPDATE platform_accounts SET opted_tier2 = ?, updated_at = ? WHERE tenant_id = ?',
      [isTier2 ? 1 : 0, nowMs, tenant.id],
    );
    if (choice.kind === 'follow_revenue') {
      await transaction.run('UPDATE tenants SET feature_choice = ?, updated_at = ? WHERE id = ?', [
        choice.featureChoice,
        nowMs,
        tenant.id,
      ]);
      return;
    }
    await transaction.run(`UPDATE tenants SET tier = 'tier2', updated_at = ? WHERE id = ?`, [
      nowMs,
      tenant.id,
    ]);
    if (choice.notice) await addNotice(transaction, tenant.id, choice.notice, nowMs);
  });
}
