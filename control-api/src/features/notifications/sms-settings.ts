// An ISP's SMS gateway settings (Africa's Talking username, API key, sender id, on/off), sealed in its
// tenant database with the secret box; the API key is never read back out through the API.
import {
  KiungaError,
  readTenantSetting,
  type SecretBox,
  type SqlDatabase,
  writeTenantSetting,
} from '@kiunga/schemas';
import { z } from 'zod';
import { SmsClient } from '../../integrations/sms/index';

/** The tenant setting holding the sealed SMS settings; an ISP without it sends no SMS. */
export const SMS_SETTING_KEY = 'sms.config';
/** The gateway answers within seconds; a slower answer is retried on a later run. */
export const SMS_GATEWAY_TIMEOUT_MS = 15_000;

const usernameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'a gateway username is letters, digits, dots, dashes or underscores');
const apiKeySchema = z.string().trim().min(1).max(200);
const senderIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 .-]{1,11}$/, 'a sender id is 1 to 11 letters, digits or spaces');

/** PUT body: the API key may be left out to keep the stored one (to switch sending on or off). */
export const smsSettingsInputSchema = z.object({
  username: usernameSchema,
  apiKey: apiKeySchema.optional(),
  /** A sender id registered with the gateway; null or absent: the gateway's default. */
  senderId: senderIdSchema.nullable().optional(),
  enabled: z.boolean(),
});
export type SmsSettingsInput = z.infer<typeof smsSettingsInputSchema>;

const storedSmsSettingsSchema = z.object({
  username: usernameSchema,
  apiKey: apiKeySchema,
  senderId: senderIdSchema.nullable(),
  enabled: z.boolean(),
});
export type SmsSettings = z.infer<typeof storedSmsSettingsSchema>;

/** What an ISP may read back: never the API key. */
export const smsSettingsViewSchema = z.object({
  isConfigured: z.boolean(),
  enabled: z.boolean(),
  username: z.string().nullable(),
  senderId: z.string().nullable(),
});
export type SmsSettingsView = z.infer<typeof smsSettingsViewSchema>;

export async function readSmsSettings(
  secretBox: SecretBox,
  database: SqlDatabase,
): Promise<SmsSettings | null> {
  const sealed = await readTenantSetting(database, SMS_SETTING_KEY);
  if (typeof sealed !== 'string') return null;
  const parsed = storedSmsSettingsSchema.safeParse(JSON.parse(secretBox.open(sealed)));
  return parsed.success ? parsed.data : null;
}

export async function writeSmsSettings(
  secretBox: SecretBox,
  database: SqlDatabase,
  settings: SmsSettings,
  nowMs: number,
): Promise<void> {
  await writeTenantSetting(database, SMS_SETTING_KEY, secretBox.seal(JSON.stringify(settings)), nowMs);
}

/** The settings to store: the input, with the stored API key when none was given. */
export function mergeSmsSettings(existing: SmsSettings | null, input: SmsSettingsInput): SmsSettings {
  const apiKey = input.apiKey ?? existing?.apiKey;
  if (apiKey === undefined) {
    throw new KiungaError('validation_failed', 'Give the API key of your SMS gateway account.');
  }
  return { username: input.username, apiKey, senderId: input.senderId ?? null, enabled: input.enabled };
}

export function smsSettingsView(settings: SmsSettings | null): SmsSettingsView {
  return {
    isConfigured: settings !== null,
    enabled: settings?.enabled ?? false,
    username: settings?.username ?? null,
    senderId: settings?.senderId ?? null,
  };
}

/** A client for the ISP's gateway account; no token to cache, so a new one per run is cheap. */
export function smsClientFor(baseUrl: string, settings: Pick<SmsSettings, 'username' | 'apiKey'>): SmsClient {
  return new SmsClient({
    baseUrl,
    username: settings.username,
    apiKey: settings.apiKey,
    timeoutMs: SMS_GATEWAY_TIMEOUT_MS,
  });
}
