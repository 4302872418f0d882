// Exact counts for the ISP dashboard (issue 12: exact totals, not "200+"): one COUNT per figure.
import type { SqlDatabase } from '@kiunga/schemas';

async function countOf(database: SqlDatabase, sql: string, params: readonly (string | number)[] = []) {
  return Number((await database.get<{ total: number }>(sql, params))?.total ?? 0);
}

export const countActiveSubscribers = (tenant: SqlDatabase) =>
  countOf(tenant, `SELECT COUNT(*) AS total FROM subscribers WHERE status = 'active'`);

export const countUnusedVouchers = (tenant: SqlDatabase) =>
  countOf(tenant, `SELECT COUNT(*) AS total FROM vouchers WHERE status = 'unused'`);

export const countPlans = (tenant: SqlDatabase) => countOf(tenant, 'SELECT COUNT(*) AS total FROM plans');

export const countNas = (platform: SqlDatabase, tenantId: string) =>
  countOf(platform, 'SELECT COUNT(*) AS total FROM nas_devices WHERE tenant_id = ?', [tenantId]);

export const countVouchers = (tenant: SqlDatabase) =>
  countOf(tenant, 'SELECT COUNT(*) AS total FROM vouchers');

export const countSubscribers = (tenant: SqlDatabase) =>
  countOf(tenant, 'SELECT COUNT(*) AS total FROM subscribers');
