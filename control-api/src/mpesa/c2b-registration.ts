// C2B URL registration with Daraja: done when an ISP saves its M-Pesa settings, and retried at start
// (and every few minutes) while still pending, so a seeded demo registers on its first start.
// Refusals no retry can fix (wrong C2B product, URLs already registered) stop as `failed` with an
// error code from the catalogue and a message that says what the ISP or operator must change.
import {
  type ErrorCode,
  messageFor,
  readTenantSetting,
  type SqlDatabase,
  servedTenantIds,
  writeTenantSetting,
} from '@kiunga/schemas';
import { DarajaError } from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';
import { serverMpesaProblem } from './availability';
import { callbackUrls } from './callback-addresses';
import { darajaClientFor, type MpesaSettings, readMpesaSettings } from './settings';

const REGISTRATION_KEY = 'mpesa.c2b_registration';
/** How often pending registrations are retried while the server runs. */
export const C2B_REGISTRATION_RETRY_MS = 5 * 60_000;

export interface C2bRegistrationState {
  status: 'pending' | 'registered' | 'failed';
  attempts: number;
  /** A catalogue code for a refusal that needs someone to act; null while retrying or once registered. */
  errorCode: ErrorCode | null;
  lastError: string | null;
  updatedAt: number;
}

export async function readRegistration(database: SqlDatabase): Promise<C2bRegistrationState | null> {
  const stored = (await readTenantSetting(database, REGISTRATION_KEY)) as
    | (Omit<C2bRegistrationState, 'errorCode'> & { errorCode?: ErrorCode | null })
    | undefined;
  // States written before errorCode existed have none.
  return stored === undefined ? null : { ...stored, errorCode: stored.errorCode ?? null };
}

async function writeRegistration(database: SqlDatabase, state: C2bRegistrationState): Promise<void> {
  await writeTenantSetting(database, REGISTRATION_KEY, state, state.updatedAt);
}

export async function markRegistrationPending(database: SqlDatabase, nowMs: number): Promise<void> {
  await writeRegistration(database, {
    status: 'pending',
    attempts: 0,
    errorCode: null,
    lastError: null,
    updatedAt: nowMs,
  });
}

/** What the ISP reads when Daraja refused for a reason retrying cannot fix; null for anything else. */
function refusalOf(error: unknown, settings: MpesaSettings): { code: ErrorCode; message: string } | null {
  if (!(error instanceof DarajaError)) return null;
  if (error.kind === 'callback_url_refused')
    return { code: 'mpesa_callback_url_refused', message: error.message };
  if (error.kind === 'product_not_subscribed') {
    const other = settings.c2bApiVersion === 'v2' ? 'v1' : 'v2';
    return {
      code: 'mpesa_product_not_subscribed',
      message: `Daraja refused C2B URL registration on API ${settings.c2bApiVersion}: the Daraja app of these credentials is not subscribed to the C2B ${settings.c2bApiVersion} product (Daraja: "no apiproduct match found"). Set the C2B API version to ${other} in the M-Pesa settings if the app has that product, or add C2B ${settings.c2bApiVersion} to the app on the Daraja portal, then save again.`,
    };
  }
  if (error.isUrlsAlreadyRegistered) {
    return { code: 'mpesa_urls_already_registered', message: messageFor('mpesa_urls_already_registered') };
  }
  return null;
}

export async function registerC2bUrls(
  dependencies: ApiDependencies,
  tenantId: string,
): Promise<C2bRegistrationState> {
  const database = dependencies.databases.forTenant(tenantId);
  const settings = await readMpesaSettings(dependencies, database);
  const previous = await readRegistration(database);
  const attempts = (previous?.attempts ?? 0) + 1;
  const nowMs = () => dependencies.clock.now();
  let state: C2bRegistrationState;
  if (!settings) {
    state = {
      status: 'failed',
      attempts,
      errorCode: null,
      lastError: 'no M-Pesa settings',
      updatedAt: nowMs(),
    };
    await writeRegistration(database, state);
    return state;
  }
  const urls = callbackUrls(dependencies, tenantId);
  try {
    await darajaClientFor(dependencies, tenantId, settings).registerC2bUrls({
      shortcode: settings.partyB ?? settings.shortcode,
      apiVersion: settings.c2bApiVersion,
      responseType: 'Completed',
      confirmationUrl: urls.c2bConfirmation,
      validationUrl: urls.c2bValidation,
    });
    state = { status: 'registered', attempts, errorCode: null, lastError: null, updatedAt: nowMs() };
  } catch (error) {
    const refusal = refusalOf(error, settings);
    const lastError = refusal?.message ?? (error instanceof Error ? error.message : String(error));
    state = {
      status: refusal ? 'failed' : 'pending',
      attempts,
      errorCode: refusal?.code ?? null,
      lastError,
      updatedAt: nowMs(),
    };
    dependencies.logger.warn(
      { tenantId, errorCode: state.errorCode, err: error },
      refusal ? 'C2B URL registration refused' : 'C2B URL registration failed; will retry',
    );
  }
  await writeRegistration(database, state);
  return state;
}

/**
 * Whether to try again now: pending ones, and ones refused for this server's callback URLs once the
 * operator has fixed KIUNGA_PUBLIC_URL (a restart with a new one). The other refusals wait for the ISP
 * to save its settings again.
 */
function isWorthRetrying(
  dependencies: ApiDependencies,
  tenantId: string,
  state: C2bRegistrationState,
): boolean {
  if (state.status === 'pending') return true;
  return (
    state.status === 'failed' &&
    state.errorCode === 'mpesa_callback_url_refused' &&
    serverMpesaProblem(dependencies, tenantId) === null
  );
}

/** Registers every tenant whose registration is pending; safe to run on several nodes (idempotent at Daraja). */
export async function registerPendingC2bUrls(dependencies: ApiDependencies): Promise<number> {
  if (!dependencies.mpesaBaseUrl) return 0;
  const tenantIds = await servedTenantIds(dependencies.databases.platform);
  let registered = 0;
  for (const tenantId of tenantIds) {
    const state = await readRegistration(dependencies.databases.forTenant(tenantId));
    if (state === null || !isWorthRetrying(dependencies, tenantId, state)) continue;
    if ((await registerC2bUrls(dependencies, tenantId)).status === 'registered') registered += 1;
  }
  return registered;
}
