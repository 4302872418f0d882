// PPPoE trials (issue 13): the ISP's choice at a trial's end, and putting a new subscriber on trial for
// N days — before its first invoice only; with "expire" its service ends at the trial's end, with "bill"
// the invoice run starts billing there (billing/core/trials.ts). Instants come from the injected clock.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';
import { isInTrial, TRIAL_DAYS_MAX, trialEndsAtMs } from '../../billing/core/trials';
import type { Auditor } from '../../kernel/audit';
import {
  expireAtTrialEnd,
  hasInvoices,
  readTrialSettings,
  type TrialSettings,
  trialEndOf,
  writeTrialEnd,
  writeTrialSettings,
} from './store';

export { readTrialSettings };

export const startTrialSchema = z.object({ days: z.number().int().min(1).max(TRIAL_DAYS_MAX) }).strict();

export const trialViewSchema = z.object({
  subscriberId: z.string(),
  trialEndsAt: z.number().int().nullable(),
  isInTrial: z.boolean(),
  /** What happens at the trial's end (the ISP's setting). */
  endAction: z.enum(['bill', 'expire']),
});
export type TrialView = z.infer<typeof trialViewSchema>;

export async function saveTrialSettings(
  database: SqlDatabase,
  settings: TrialSettings,
  nowMs: number,
  audit: Auditor,
): Promise<TrialSettings> {
  await writeTrialSettings(database, settings, nowMs);
  await audit({ action: 'settings.trials.update', detail: settings });
  return settings;
}

export async function trialView(
  database: SqlDatabase,
  subscriberId: string,
  nowMs: number,
): Promise<TrialView> {
  await requireSubscriber(database, subscriberId);
  const endsAt = await trialEndOf(database, subscriberId);
  return {
    subscriberId,
    trialEndsAt: endsAt,
    isInTrial: isInTrial(endsAt, nowMs),
    endAction: (await readTrialSettings(database)).endAction,
  };
}

/** Puts a subscriber that was never invoiced on trial for `days` from now. */
export async function startTrial(
  database: SqlDatabase,
  subscriberId: string,
  days: number,
  nowMs: number,
  audit: Auditor,
): Promise<TrialView> {
  const view = await database.transaction(async (transaction) => {
    await requireSubscriber(transaction, subscriberId);
    if (await hasInvoices(transaction, subscriberId)) {
      throw new KiungaError(
        'conflict',
        'This subscriber has been invoiced already: a trial comes before the first bill.',
      );
    }
    const endsAtMs = trialEndsAtMs(nowMs, days);
    await writeTrialEnd(transaction, subscriberId, endsAtMs, nowMs);
    const settings = await readTrialSettings(transaction);
    if (settings.endAction === 'expire') await expireAtTrialEnd(transaction, subscriberId, endsAtMs, nowMs);
    return { subscriberId, trialEndsAt: endsAtMs, isInTrial: true, endAction: settings.endAction };
  });
  await audit({
    action: 'subscriber.trial.start',
    target: subscriberId,
    detail: { days, trialEndsAt: view.trialEndsAt },
  });
  return view;
}

async function requireSubscriber(database: SqlDatabase, subscriberId: string): Promise<void> {
  const row = await database.get('SELECT 1 AS "found" FROM subscribers WHERE id = ?', [subscriberId]);
  if (!row) throw new KiungaError('not_found', 'No such subscriber.');
}
