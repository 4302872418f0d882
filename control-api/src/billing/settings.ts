// An ISP's billing settings: cycle rule, due days, dunning steps, invoice prefix and whether invoices
// are in whole shillings, kept as one validated JSON value in tenant_settings. Anything unreadable
// there falls back to the defaults.
import { readTenantSetting, type SqlDatabase, writeTenantSetting } from '@kiunga/schemas';
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
  /**
   * Invoices (and every prorated part) in whole shillings, so M-Pesa, which moves no cents, can pay
   * exactly what is due. Off: invoices in cents, as before.
   */
  wholeShillings: z.boolean(),
});

/** A PATCH changes only what it names (no defaults filled in here, or a PATCH would reset them). */
export const updateBillingSettingsSchema = billingSettingsSchema.partial();

/**
 * What tenant_settings holds. Settings stored before `wholeShillings` existed read as on: existing
 * ISPs move to whole-shilling invoices, the default (docs/decisions.md "Whole-shilling invoices by default"), from their next invoice.
 */
const storedBillingSettingsSchema = billingSettingsSchema.extend({
  wholeShillings: z.boolean().default(true),
});

export type BillingSettings = z.infer<typeof billingSettingsSchema>;

export const defaultBillingSettings: BillingSettings = {
  cycle: { ...defaultCycleRule },
  dueDays: 7,
  dunningSteps: defaultDunningPolicy.steps.map((step) => ({ ...step })),
  invoicePrefix: defaultInvoiceNumberFormat.prefix,
  wholeShillings: true,
};

export async function readBillingSettings(database: SqlDatabase): Promise<BillingSettings> {
  const stored = await readTenantSetting(database, BILLING_SETTINGS_KEY);
  if (stored === undefined) return defaultBillingSettings;
  const parsed = storedBillingSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultBillingSettings;
}

export async function writeBillingSettings(
  database: SqlDatabase,
  settings: BillingSettings,
  nowMs: number,
): Promise<void> {
  await writeTenantSetting(database, BILLING_SETTINGS_KEY, settings, nowMs);
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
