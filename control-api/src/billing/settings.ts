// An ISP's billing settings: cycle rule, due days, dunning steps and invoice prefix, kept as one
// validated JSON value in tenant_settings. Anything unreadable there falls back to the defaults.
import { readTenantSetting, type TenantShard, writeTenantSetting } from '@kiunga/schemas';
import { z } from 'zod';
import { ANCHOR_DAY_MAX, CYCLE_LENGTH_MONTHS_MAX, type CycleRule, defaultCycleRule } from './cycles';
import {
  DAYS_FROM_DUE_MAX,
  DAYS_FROM_DUE_MIN,
  DUNNING_STEPS_MAX,
  type DunningPolicy,
  defaultDunningPolicy,
} from './dunning';
import { DUE_DAYS_MAX, defaultInvoiceNumberFormat, type InvoiceNumberFormat } from './invoices';

export const BILLING_SETTINGS_KEY = 'billing.settings';
/** Invoice prefixes are printed on paper and typed by people: short, letters and digits. */
const INVOICE_PREFIX_LENGTH_MAX = 8;

export const cycleRuleSchema = z.object({
  lengthMonths: z.number().int().min(1).max(CYCLE_LENGTH_MONTHS_MAX),
  anchorDay: z.union([z.number().int().min(1).max(ANCHOR_DAY_MAX), z.literal('signup_day')]),
});

export const dunningStepSchema = z.object({
  daysFromDue: z.number().int().min(DAYS_FROM_DUE_MIN).max(DAYS_FROM_DUE_MAX),
  action: z.enum(['remind', 'suspend']),
});

export const billingSettingsSchema = z.object({
  cycle: cycleRuleSchema,
  dueDays: z.number().int().min(0).max(DUE_DAYS_MAX),
  dunningSteps: z.array(dunningStepSchema).max(DUNNING_STEPS_MAX),
  invoicePrefix: z
    .string()
    .regex(/^[A-Z0-9]+$/, 'capital letters and digits only')
    .max(INVOICE_PREFIX_LENGTH_MAX),
});

export const updateBillingSettingsSchema = billingSettingsSchema.partial();

export type BillingSettings = z.infer<typeof billingSettingsSchema>;

export const defaultBillingSettings: BillingSettings = {
  cycle: { ...defaultCycleRule },
  dueDays: 7,
  dunningSteps: defaultDunningPolicy.steps.map((step) => ({ ...step })),
  invoicePrefix: defaultInvoiceNumberFormat.prefix,
};

export function readBillingSettings(shard: TenantShard): BillingSettings {
  const stored = readTenantSetting(shard, BILLING_SETTINGS_KEY);
  if (stored === undefined) return defaultBillingSettings;
  const parsed = billingSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultBillingSettings;
}

export function writeBillingSettings(shard: TenantShard, settings: BillingSettings, nowMs: number): void {
  writeTenantSetting(shard, BILLING_SETTINGS_KEY, settings, nowMs);
}

export function cycleRuleOf(settings: BillingSettings): CycleRule {
  return settings.cycle;
}

export function dunningPolicyOf(settings: BillingSettings): DunningPolicy {
  return { steps: settings.dunningSteps };
}

export function numberFormatOf(settings: BillingSettings): InvoiceNumberFormat {
  return { ...defaultInvoiceNumberFormat, prefix: settings.invoicePrefix };
}
