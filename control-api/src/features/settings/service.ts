// Saving an ISP's M-Pesa and SMS gateway settings: sealed secrets are never read back, every change is
// audited without them, and new M-Pesa settings register the ISP's C2B URLs with Daraja.
import type { SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { markRegistrationPending, readRegistration, registerC2bUrls } from '../../mpesa/c2b-registration';
import {
  type MpesaSettingsInput,
  mergeMpesaSettings,
  readMpesaSettings,
  writeMpesaSettings,
} from '../../mpesa/settings';
import {
  mergeSmsSettings,
  readSmsSettings,
  type SmsSettingsInput,
  type SmsSettingsView,
  smsSettingsView,
  writeSmsSettings,
} from '../notifications/sms-settings';

export const mpesaSettingsViewSchema = z.object({
  isConfigured: z.boolean(),
  shortcode: z.string().nullable(),
  transactionType: z.string().nullable(),
  partyB: z.string().nullable(),
  /** The C2B API product of the Daraja app: the Register URL path (v2 default, v1 selectable). */
  c2bApiVersion: z.enum(['v1', 'v2']).nullable(),
  c2bRegistration: z
    .object({
      status: z.enum(['pending', 'registered', 'failed']),
      attempts: z.number(),
      /** A catalogue code when Daraja refused for a reason someone must fix (wrong C2B version, …). */
      errorCode: z.string().nullable(),
      lastError: z.string().nullable(),
      updatedAt: z.number(),
    })
    .nullable(),
});

export type MpesaSettingsView = z.infer<typeof mpesaSettingsViewSchema>;

/** What an ISP may read back: never the consumer secret or the passkey. */
export async function mpesaSettingsView(
  dependencies: ApiDependencies,
  database: SqlDatabase,
): Promise<MpesaSettingsView> {
  const settings = await readMpesaSettings(dependencies, database);
  return {
    isConfigured: settings !== null,
    shortcode: settings?.shortcode ?? null,
    transactionType: settings?.transactionType ?? null,
    partyB: settings?.partyB ?? null,
    c2bApiVersion: settings?.c2bApiVersion ?? null,
    c2bRegistration: await readRegistration(database),
  };
}

/**
 * Saving registers the ISP's C2B URLs with Daraja at once; if Daraja cannot be reached the
 * registration stays pending and the job retries it.
 */
export async function saveMpesaSettings(
  dependencies: ApiDependencies,
  tenantId: string,
  input: MpesaSettingsInput,
  audit: Auditor,
): Promise<MpesaSettingsView> {
  const database = dependencies.databases.forTenant(tenantId);
  const nowMs = dependencies.clock.now();
  await database.transaction(async (transaction) => {
    const settings = mergeMpesaSettings(await readMpesaSettings(dependencies, transaction), input);
    await writeMpesaSettings(dependencies.secretBox, transaction, settings, nowMs);
    await markRegistrationPending(transaction, nowMs);
  });
  await audit({
    action: 'settings.mpesa.update',
    detail: {
      shortcode: input.shortcode,
      transactionType: input.transactionType,
      partyB: input.partyB ?? null,
      c2bApiVersion: input.c2bApiVersion,
      areCredentialsChanged: input.consumerKey !== undefined || input.consumerSecret !== undefined,
    },
  });
  if (dependencies.mpesaBaseUrl) await registerC2bUrls(dependencies, tenantId);
  return mpesaSettingsView(dependencies, database);
}

/** Saves the SMS gateway account; an omitted API key keeps the stored one. */
export async function saveSmsSettings(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  input: SmsSettingsInput,
  audit: Auditor,
): Promise<SmsSettingsView> {
  const settings = await database.transaction(async (transaction) => {
    const merged = mergeSmsSettings(await readSmsSettings(dependencies.secretBox, transaction), input);
    await writeSmsSettings(dependencies.secretBox, transaction, merged, dependencies.clock.now());
    return merged;
  });
  await audit({
    action: 'settings.sms.update',
    detail: {
      username: settings.username,
      senderId: settings.senderId,
      enabled: settings.enabled,
      isApiKeyChanged: input.apiKey !== undefined,
    },
  });
  return smsSettingsView(settings);
}
