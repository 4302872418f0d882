// Marks vouchers whose validity ran out as expired, so lists and reports say so. RADIUS does not
// depend on it (the policy checks expires_at itself); this keeps the stored status honest.
import { servedTenantIds } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';

/** Rows changed per tenant per run: bounds one transaction's length. */
export const VOUCHER_EXPIRY_BATCH_MAX = 50_000;

export async function expireVouchers(
  dependencies: Pick<ApiDependencies, 'databases' | 'clock'>,
): Promise<number> {
  const nowMs = dependencies.clock.now();
  const tenantIds = await servedTenantIds(dependencies.databases.platform);
  let expired = 0;
  for (const tenantId of tenantIds) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    const result = await dependencies.databases.forTenant(tenantId).run(
      `UPDATE vouchers SET status = 'expired'
          WHERE id IN (SELECT id FROM vouchers WHERE status = 'active' AND expires_at <= ? LIMIT ?)`,
      [nowMs, VOUCHER_EXPIRY_BATCH_MAX],
    );
    expired += result.changes;
  }
  return expired;
}
