// An ISP's own domain: claim it (PUT), prove it by the TXT record (verify), give it up (DELETE), and the
// daily re-check of verified domains. Decisions come from ./core; this file reads, writes and audits.
import { randomBytes } from 'node:crypto';
import { KiungaError } from '@kiunga/schemas';
import { z } from 'zod';
import { createTxtLookup, type TxtLookup } from '../../integrations/dns';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { isUniqueViolation } from '../../kernel/listing';
import {
  decideVerification,
  domainRefusalMessages,
  isRecheckDue,
  manualCheckRetryAtMs,
  normaliseCustomDomain,
  PENDING_DOMAIN,
  RECHECK_INTERVAL_MS,
  VERIFICATION_TOKEN_BYTES,
  type VerificationReason,
  verificationRecordFor,
  verificationTokenFromBytes,
} from './core';
import { domainRegistryOf, platformHostsOf } from './registry';
import {
  type CustomDomainRow,
  findCustomDomain,
  listVerifiedCheckedBefore,
  saveCustomDomain,
  verifiedHolderOf,
} from './store';

/** What a person types is checked by the core; this only bounds the request (the core refuses > 238). */
const DOMAIN_INPUT_LENGTH_MAX = 300;

export type DomainDependencies = Pick<
  ApiDependencies,
  'databases' | 'clock' | 'logger' | 'publicUrl' | 'txtLookup'
>;

export const claimDomainSchema = z.object({ domain: z.string().trim().min(1).max(DOMAIN_INPUT_LENGTH_MAX) });

const txtRecordSchema = z.object({ name: z.string(), type: z.literal('TXT'), value: z.string() });

export const domainViewSchema = z.object({
  /** Null when the ISP has no domain. */
  domain: z.string().nullable(),
  txtRecord: txtRecordSchema.nullable(),
  verified: z.boolean(),
  verifiedAt: z.number().int().nullable(),
  lastCheckedAt: z.number().int().nullable(),
});
export type DomainView = z.infer<typeof domainViewSchema>;

export const verifyResultSchema = domainViewSchema.extend({
  reason: z.enum(['record_found', 'record_missing', 'record_mismatch', 'lookup_failed']),
});

/** A "Verify" pressed again within MANUAL_CHECK_INTERVAL_MS: 429 with when to try again. */
export class DomainCheckTooSoon extends KiungaError {
  constructor(readonly retryAtMs: number) {
    super('rate_limited', 'The domain was just checked: wait a few seconds before checking again.');
  }
}

function viewOf(row: CustomDomainRow | null): DomainView {
  if (!row || row.domain === null)
    return { domain: null, txtRecord: null, verified: false, verifiedAt: null, lastCheckedAt: null };
  return {
    domain: row.domain,
    txtRecord: verificationRecordFor(row.domain, row.verificationToken),
    verified: row.status === 'verified',
    verifiedAt: row.verifiedAtMs,
    lastCheckedAt: row.lastCheckedAtMs,
  };
}

function txtLookupOf(dependencies: DomainDependencies): TxtLookup {
  return dependencies.txtLookup ?? createTxtLookup({ server: null });
}

export async function readDomain(dependencies: DomainDependencies, tenantId: string): Promise<DomainView> {
  return viewOf(await findCustomDomain(dependencies.databases.platform, tenantId));
}

/** Saves a row whose status may have changed; a domain another ISP verified meanwhile is a conflict. */
async function saveChecked(dependencies: DomainDependencies, row: CustomDomainRow): Promise<void> {
  try {
    await saveCustomDomain(dependencies.databases.platform, row, dependencies.clock.now());
  } catch (error) {
    if (isUniqueViolation(error)) throw domainTakenError();
    throw error;
  }
}

function domainTakenError(): KiungaError {
  return new KiungaError('conflict', 'Another ISP has already verified this domain.');
}

export async function claimDomain(
  dependencies: DomainDependencies,
  tenantId: string,
  input: z.infer<typeof claimDomainSchema>,
  audit: Auditor,
): Promise<DomainView> {
  const normalised = normaliseCustomDomain(input.domain, platformHostsOf(dependencies));
  if (!normalised.isValid)
    throw new KiungaError('validation_failed', domainRefusalMessages[normalised.refusal]);
  const platform = dependencies.databases.platform;
  if ((await verifiedHolderOf(platform, normalised.domain, tenantId)) !== null) throw domainTakenError();
  const previous = await findCustomDomain(platform, tenantId);
  if (previous?.domain === normalised.domain) return viewOf(previous);
  const row: CustomDomainRow = {
    ...PENDING_DOMAIN,
    tenantId,
    domain: normalised.domain,
    verificationToken:
      previous?.verificationToken ?? verificationTokenFromBytes(randomBytes(VERIFICATION_TOKEN_BYTES)),
  };
  await saveChecked(dependencies, row);
  await audit({
    action: 'domain.claimed',
    target: normalised.domain,
    detail: { previous: previous?.domain ?? null },
  });
  if (previous?.status === 'verified') await domainRegistryOf(dependencies).reload();
  return viewOf(row);
}

export async function verifyDomain(
  dependencies: DomainDependencies,
  tenantId: string,
  audit: Auditor,
): Promise<DomainView & { reason: VerificationReason }> {
  const platform = dependencies.databases.platform;
  const row = await findCustomDomain(platform, tenantId);
  if (!row || row.domain === null) throw new KiungaError('not_found', 'Set a domain first.');
  const retryAtMs = manualCheckRetryAtMs(row, dependencies.clock.now());
  if (retryAtMs !== null) throw new DomainCheckTooSoon(retryAtMs);
  const checked = await checkRow(dependencies, { ...row, domain: row.domain });
  if (checked.isStatusChanged) {
    await audit({
      action: checked.row.status === 'verified' ? 'domain.verified' : 'domain.unverified',
      target: row.domain,
      detail: { reason: checked.reason },
    });
  }
  return { ...viewOf(checked.row), reason: checked.reason };
}

/** One lookup of the row's record, its decision saved; the routing table reloaded on a status change. */
async function checkRow(
  dependencies: DomainDependencies,
  row: CustomDomainRow & { domain: string },
): Promise<{ row: CustomDomainRow; reason: VerificationReason; isStatusChanged: boolean }> {
  const record = verificationRecordFor(row.domain, row.verificationToken);
  const lookup = await txtLookupOf(dependencies)(record.name);
  const decision = decideVerification(row, lookup, record.value, dependencies.clock.now());
  if (decision.state.status === 'verified' && row.status !== 'verified') {
    const holder = await verifiedHolderOf(dependencies.databases.platform, row.domain, row.tenantId);
    if (holder !== null) throw domainTakenError();
  }
  const checked: CustomDomainRow = { ...row, ...decision.state };
  await saveChecked(dependencies, checked);
  if (decision.isStatusChanged) await domainRegistryOf(dependencies).reload();
  return { row: checked, reason: decision.reason, isStatusChanged: decision.isStatusChanged };
}

export async function removeDomain(
  dependencies: DomainDependencies,
  tenantId: string,
  audit: Auditor,
): Promise<void> {
  const previous = await findCustomDomain(dependencies.databases.platform, tenantId);
  if (!previous || previous.domain === null) return;
  await saveChecked(dependencies, { ...previous, ...PENDING_DOMAIN, domain: null });
  await audit({ action: 'domain.removed', target: previous.domain });
  if (previous.status === 'verified') await domainRegistryOf(dependencies).reload();
}

/** The verified domain an ISP's portal is served at, or null (RouterOS script, walled garden). */
export async function verifiedDomainOf(
  dependencies: DomainDependencies,
  tenantId: string,
): Promise<string | null> {
  const row = await findCustomDomain(dependencies.databases.platform, tenantId);
  return row?.status === 'verified' ? row.domain : null;
}

/**
 * Where an ISP's clients are sent: its verified domain's root and `/account` (Host routing serves its
 * pages there; same scheme as KIUNGA_PUBLIC_URL, the proxy terminating TLS for both), else Kiunga's
 * `/portal/<slug>` and `/account/<slug>`. The RouterOS script, its walled garden and login.html use it.
 */
export async function portalUrlsOf(
  dependencies: DomainDependencies,
  tenant: { id: string; slug: string },
): Promise<{ portalUrl: string; accountUrl: string }> {
  const domain = await verifiedDomainOf(dependencies, tenant.id);
  if (domain === null)
    return {
      portalUrl: `${dependencies.publicUrl}/portal/${tenant.slug}`,
      accountUrl: `${dependencies.publicUrl}/account/${tenant.slug}`,
    };
  const origin = `${new URL(dependencies.publicUrl).protocol}//${domain}`;
  return { portalUrl: `${origin}/`, accountUrl: `${origin}/account` };
}

export interface RecheckResult {
  checked: number;
  unverified: string[];
}

/** Daily, leased: each verified domain due is looked up again; a domain that lost its record goes pending. */
export async function recheckVerifiedDomains(
  dependencies: DomainDependencies,
  onUnverified: (tenantId: string, domain: string) => Promise<void>,
): Promise<RecheckResult> {
  const nowMs = dependencies.clock.now();
  const due = await listVerifiedCheckedBefore(dependencies.databases.platform, nowMs - RECHECK_INTERVAL_MS);
  const result: RecheckResult = { checked: 0, unverified: [] };
  for (const row of due) {
    if (row.domain === null || !isRecheckDue(row, nowMs)) continue;
    const checked = await checkRow(dependencies, { ...row, domain: row.domain });
    result.checked += 1;
    if (checked.isStatusChanged) {
      result.unverified.push(row.domain);
      await onUnverified(row.tenantId, row.domain);
    }
  }
  return result;
}
