// An ISP's M-Pesa credentials (sealed in its tenant database) and its Daraja client.
import {
  KiungaError,
  readTenantSetting,
  type SecretBox,
  type SqlDatabase,
  writeTenantSetting,
} from '@kiunga/schemas';
import { z } from 'zod';
import { C2B_API_VERSIONS, type C2bApiVersion, DarajaClient } from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';

/** Daraja answers within seconds; beyond this the client is told to try again. */
export const DARAJA_TIMEOUT_MS = 15_000;
const MPESA_SETTING_KEY = 'mpesa.config';

export const mpesaSettingsSchema = z.object({
  shortcode: z.string().regex(/^\d{5,9}$/, 'a shortcode is 5 to 9 digits'),
  consumerKey: z.string().min(1).max(200),
  consumerSecret: z.string().min(1).max(200),
  passkey: z.string().min(1).max(200),
  transactionType: z
    .enum(['CustomerPayBillOnline', 'CustomerBuyGoodsOnline'])
    .default('CustomerPayBillOnline'),
  /** Till number for buy goods; the paybill itself otherwise. */
  partyB: z
    .string()
    .regex(/^\d{5,9}$/)
    .optional(),
  /**
   * The C2B product the Daraja app is subscribed to; registering on the other one is refused with
   * "no apiproduct match found". v2 is Safaricom's current product; settings saved before this
   * field existed read as v2.
   */
  c2bApiVersion: z.enum(C2B_API_VERSIONS as [C2bApiVersion, ...C2bApiVersion[]]).default('v2'),
});
export type MpesaSettings = z.infer<typeof mpesaSettingsSchema>;

/**
 * `PUT /api/v1/settings/mpesa`: the same fields, but the consumer key, consumer secret and passkey may
 * be left out to keep the saved ones (a console form cannot show them back), e.g. to switch the C2B
 * API version alone.
 */
export const mpesaSettingsInputSchema = mpesaSettingsSchema.extend({
  consumerKey: mpesaSettingsSchema.shape.consumerKey.optional(),
  consumerSecret: mpesaSettingsSchema.shape.consumerSecret.optional(),
  passkey: mpesaSettingsSchema.shape.passkey.optional(),
});
export type MpesaSettingsInput = z.infer<typeof mpesaSettingsInputSchema>;

/** The settings to store: the input, with each credential it leaves out taken from the saved settings. */
export function mergeMpesaSettings(saved: MpesaSettings | null, input: MpesaSettingsInput): MpesaSettings {
  const consumerKey = input.consumerKey ?? saved?.consumerKey;
  const consumerSecret = input.consumerSecret ?? saved?.consumerSecret;
  const passkey = input.passkey ?? saved?.passkey;
  if (consumerKey === undefined || consumerSecret === undefined || passkey === undefined) {
    throw new KiungaError(
      'validation_failed',
      'Enter the consumer key, consumer secret and passkey of your Daraja app (nothing is saved yet).',
    );
  }
  return { ...input, consumerKey, consumerSecret, passkey };
}

export async function readMpesaSettings(
  dependencies: ApiDependencies,
  database: SqlDatabase,
): Promise<MpesaSettings | null> {
  const sealed = await readTenantSetting(database, MPESA_SETTING_KEY);
  if (typeof sealed !== 'string') return null;
  const parsed = mpesaSettingsSchema.safeParse(JSON.parse(dependencies.secretBox.open(sealed)));
  return parsed.success ? parsed.data : null;
}

export async function writeMpesaSettings(
  secretBox: SecretBox,
  database: SqlDatabase,
  settings: MpesaSettings,
  nowMs: number,
): Promise<void> {
  await writeTenantSetting(database, MPESA_SETTING_KEY, secretBox.seal(JSON.stringify(settings)), nowMs);
}

const clients = new Map<string, { credentials: string; client: DarajaClient }>();

/** One client per tenant and credentials, so its OAuth token is cached between purchases. */
export function darajaClientFor(
  dependencies: ApiDependencies,
  tenantId: string,
  settings: MpesaSettings,
): DarajaClient {
  if (!dependencies.mpesaBaseUrl) {
    throw new KiungaError(
      'service_unavailable',
      'M-Pesa is not configured on this server (KIUNGA_MPESA_BASE_URL).',
    );
  }
  const credentials = `${dependencies.mpesaBaseUrl}|${settings.consumerKey}|${settings.consumerSecret}`;
  const cached = clients.get(tenantId);
  if (cached && cached.credentials === credentials) return cached.client;
  const client = new DarajaClient({
    baseUrl: dependencies.mpesaBaseUrl,
    consumerKey: settings.consumerKey,
    consumerSecret: settings.consumerSecret,
    clock: dependencies.clock,
    timeoutMs: DARAJA_TIMEOUT_MS,
  });
  clients.set(tenantId, { credentials, client });
  return client;
}
