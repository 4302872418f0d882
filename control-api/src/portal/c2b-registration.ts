// C2B URL registration with Daraja: done when an ISP saves its M-Pesa settings, and retried at start
// (and every few minutes) while still pending, so a seeded demo registers on its first start.
import { readTenantSetting, servedTenantIds, type TenantShard, writeTenantSetting } from '@kiunga/schemas';
import type { ApiDependencies } from '../dependencies';
import { callbackUrls, darajaClientFor, readMpesaSettings } from './mpesa-settings';

const REGISTRATION_KEY = 'mpesa.c2b_registration';
/** How often pending registrations are retried while the server runs. */
export const C2B_REGISTRATION_RETRY_MS = 5 * 60_000;

export interface C2bRegistrationState {
  status: 'pending' | 'registered' | 'failed';
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

export function readRegistration(shard: TenantShard): C2bRegistrationState | null {
  const stored = readTenantSetting(shard, REGISTRATION_KEY);
  return stored === undefined ? null : (stored as C2bRegistrationState);
}

function writeRegistration(shard: TenantShard, state: C2bRegistrationState): void {
  writeTenantSetting(shard, REGISTRATION_KEY, state, state.updatedAt);
}

export function markRegistrationPending(shard: TenantShard, nowMs: number): void {
  writeRegistration(shard, { status: 'pending', attempts: 0, lastError: null, updatedAt: nowMs });
}

export async function registerC2bUrls(
  dependencies: ApiDependencies,
  tenantId: string,
): Promise<C2bRegistrationState> {
  const shard = dependencies.shards.forTenant(tenantId);
  const settings = readMpesaSettings(dependencies, shard);
  const previous = readRegistration(shard);
  const attempts = (previous?.attempts ?? 0) + 1;
  if (!settings) {
    const state: C2bRegistrationState = {
      status: 'failed',
      attempts,
      lastError: 'no M-Pesa settings',
      updatedAt: dependencies.clock.now(),
    };
    writeRegistration(shard, state);
    return state;
  }
  const urls = callbackUrls(dependencies, tenantId);
  let state: C2bRegistrationState;
  try {
    await darajaClientFor(dependencies, tenantId, settings).registerC2bUrls({
      shortcode: settings.partyB ?? settings.shortcode,
      responseType: 'Completed',
      confirmationUrl: urls.c2bConfirmation,
      validationUrl: urls.c2bValidation,
    });
    state = { status: 'registered', attempts, lastError: null, updatedAt: dependencies.clock.now() };
  } catch (error) {
    state = {
      status: 'pending',
      attempts,
      lastError: error instanceof Error ? error.message : String(error),
      updatedAt: dependencies.clock.now(),
    };
    dependencies.logger.warn({ tenantId, err: error }, 'C2B URL registration failed; will retry');
  }
  writeRegistration(dependencies.shards.forTenant(tenantId), state);
  return state;
}

/** Registers every tenant whose registration is pending; safe to run on several nodes (idempotent at Daraja). */
export async function registerPendingC2bUrls(dependencies: ApiDependencies): Promise<number> {
  if (!dependencies.mpesaBaseUrl) return 0;
  const tenantIds = servedTenantIds(dependencies.platform);
  let registered = 0;
  for (const tenantId of tenantIds) {
    if (!dependencies.shards.hasShardFile(tenantId)) continue;
    const state = readRegistration(dependencies.shards.forTenant(tenantId));
    if (state?.status !== 'pending') continue;
    if ((await registerC2bUrls(dependencies, tenantId)).status === 'registered') registered += 1;
  }
  return registered;
}
