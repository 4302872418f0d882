// The ISP's usage settings (tenant_settings): how long raw accounting records are kept.
import { readTenantSetting, type SqlDatabase, writeTenantSetting } from '@kiunga/schemas';
import { z } from 'zod';

const ACCOUNTING_RETENTION_KEY = 'usage.accounting_retention_days';
/** Issue 12's default: three months of raw records, enough to answer a billing dispute. */
export const ACCOUNTING_RETENTION_DAYS_DEFAULT = 90;
/** At least a week: meter states and the metering backlog need the raw rows that long. */
export const ACCOUNTING_RETENTION_DAYS_MIN = 7;
/** Ten years: a legal hold, never unbounded. */
export const ACCOUNTING_RETENTION_DAYS_MAX = 3_660;

export const usageSettingsSchema = z.object({
  accountingRetentionDays: z
    .number()
    .int()
    .min(ACCOUNTING_RETENTION_DAYS_MIN)
    .max(ACCOUNTING_RETENTION_DAYS_MAX),
});

export type UsageSettings = z.infer<typeof usageSettingsSchema>;

export async function readUsageSettings(database: SqlDatabase): Promise<UsageSettings> {
  const stored = usageSettingsSchema.shape.accountingRetentionDays.safeParse(
    await readTenantSetting(database, ACCOUNTING_RETENTION_KEY),
  );
  return { accountingRetentionDays: stored.success ? stored.data : ACCOUNTING_RETENTION_DAYS_DEFAULT };
}

export async function writeUsageSettings(database: SqlDatabase, settings: UsageSettings, nowMs: number) {
  await writeTenantSetting(database, ACCOUNTING_RETENTION_KEY, settings.accountingRetentionDays, nowMs);
  return settings;
}
