// An ISP's M-Pesa credentials (sealed in its shard), its Daraja client, and its callback URLs.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  KiungaError,
  readTenantSetting,
  type SecretBox,
  type TenantShard,
  writeTenantSetting,
} from '@kiunga/schemas';
import { z } from 'zod';
import type { ApiDependencies } from '../dependencies';
import { DarajaClient } from '../integrations/mpesa/index';

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
});
export type MpesaSettings = z.infer<typeof mpesaSettingsSchema>;

export function readMpesaSettings(dependencies: ApiDependencies, shard: TenantShard): MpesaSettings | null {
  const sealed = readTenantSetting(shard, MPESA_SETTING_KEY);
  if (typeof sealed !== 'string') return null;
  const parsed = mpesaSettingsSchema.safeParse(JSON.parse(dependencies.secretBox.open(sealed)));
  return parsed.success ? parsed.data : null;
}

export function writeMpesaSettings(
  secretBox: SecretBox,
  shard: TenantShard,
  settings: MpesaSettings,
  nowMs: number,
): void {
  writeTenantSetting(shard, MPESA_SETTING_KEY, secretBox.seal(JSON.stringify(settings)), nowMs);
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

/**
 * Callback URLs live under /callbacks/mm/: Daraja refuses C2B URLs containing words such as
 * "mpesa", "safaricom", "exec" or "query". The token is unguessable per tenant: an HMAC of its id under the server's key, checked in constant time. */
export function callbackToken(dependencies: ApiDependencies, tenantId: string): string {
  return createHmac('sha256', dependencies.tokenKey)
    .update(`mpesa-callback:${tenantId}`)
    .digest('base64url')
    .slice(0, 32);
}

export function isCallbackTokenValid(
  dependencies: ApiDependencies,
  tenantId: string,
  token: string,
): boolean {
  const expected = Buffer.from(callbackToken(dependencies, tenantId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function callbackUrls(dependencies: ApiDependencies, tenantId: string) {
  const base = `${dependencies.publicUrl.replace(/\/+$/, '')}/callbacks/mm/${tenantId}/${callbackToken(dependencies, tenantId)}`;
  return {
    stk: `${base}/stk`,
    c2bValidation: `${base}/c2b/validation`,
    c2bConfirmation: `${base}/c2b/confirmation`,
  };
}
