// PPPoE trials in the ISP's shard: the ISP's choice at a trial's end (tenant_settings key `pppoe_trials`)
// and each subscriber's trial end (billing_subscribers.trial_ends_at).
import { readTenantSetting, type SqlDatabase, writeTenantSetting } from '@kiunga/schemas';
import { z } from 'zod';

const TRIAL_SETTING_KEY = 'pppoe_trials';

/** `PUT /api/v1/settings/trials`: what happens when a trial ends (issue 13). */
export const trialSettingsSchema = z.object({ endAction: z.enum(['bill', 'expire']) }).strict();
export type TrialSettings = z.infer<typeof trialSettingsSchema>;

/** Billing from the trial's end: a trial is meant to turn into a paying account. */
export const defaultTrialSettings: TrialSettings = { endAction: 'bill' };

export async function readTrialSettings(database: SqlDatabase): Promise<TrialSettings> {
  const parsed = trialSettingsSchema.safeParse(await readTenantSetting(database, TRIAL_SETTING_KEY));
  return parsed.success ? parsed.data : defaultTrialSettings;
}

export async function writeTrialSettings(
  database: SqlDatabase,
  settings: TrialSettings,
  nowMs: number,
): Promise<void> {
  await writeTenantSetting(database, TRIAL_SETTING_KEY, settings, nowMs);
}

export async function trialEndOf(database: SqlDatabase, subscriberId: string): Promise<number | null> {
  const row = await database.get<{ endsAt: number | null }>(
    'SELECT trial_ends_at AS "endsAt" FROM billing_subscribers WHERE subscriber_id = ?',
    [subscriberId],
  );
  return row?.endsAt === null || row?.endsAt === undefined ? null : Number(row.endsAt);
}

export async function writeTrialEnd(
  database: SqlDatabase,
  subscriberId: string,
  endsAtMs: number,
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO billing_subscribers (subscriber_id, trial_ends_at, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (subscriber_id) DO UPDATE SET trial_ends_at = excluded.trial_ends_at, updated_at = excluded.updated_at`,
    [subscriberId, endsAtMs, nowMs],
  );
}

export async function hasInvoices(database: SqlDatabase, subscriberId: string): Promise<boolean> {
  return (
    (await database.get('SELECT 1 AS "found" FROM invoices WHERE subscriber_id = ? LIMIT 1', [
      subscriberId,
    ])) !== undefined
  );
}

/** A trial that expires: the account's service ends at the trial's end (RADIUS follows expires_at). */
export async function expireAtTrialEnd(
  database: SqlDatabase,
  subscriberId: string,
  endsAtMs: number,
  nowMs: number,
): Promise<void> {
  await database.run('UPDATE subscribers SET expires_at = ?, updated_at = ? WHERE id = ?', [
    endsAtMs,
    nowMs,
    subscriberId,
  ]);
}
