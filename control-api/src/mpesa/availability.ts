// Whether an ISP can take M-Pesa payments right now: its settings exist, this server has a Daraja base
// URL, and Daraja would accept this server's callback URLs. The portal offers "Buy" only when it can.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { callbackUrlProblem, describeCallbackUrlProblem } from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';
import { callbackUrls } from './callback-addresses';
import { type MpesaSettings, readMpesaSettings } from './settings';

export type MpesaAvailability =
  | { readonly state: 'ready'; readonly settings: MpesaSettings }
  /** The ISP has saved no M-Pesa settings: its portal sells vouchers only. */
  | { readonly state: 'not_configured' }
  /** The ISP has, but this server cannot use Daraja; `operatorMessage` says what to change (never a token). */
  | { readonly state: 'unavailable'; readonly operatorMessage: string };

/** Why this server cannot use Daraja for `tenantId`, or null when it can. */
export function serverMpesaProblem(dependencies: ApiDependencies, tenantId: string): string | null {
  if (!dependencies.mpesaBaseUrl)
    return 'M-Pesa is not configured on this server: set KIUNGA_MPESA_BASE_URL.';
  const problem = callbackUrlProblem(callbackUrls(dependencies, tenantId).stk, dependencies.mpesaBaseUrl);
  return problem === null ? null : describeCallbackUrlProblem(problem);
}

export async function mpesaAvailability(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  tenantId: string,
): Promise<MpesaAvailability> {
  const settings = await readMpesaSettings(dependencies, database);
  if (!settings) return { state: 'not_configured' };
  const operatorMessage = serverMpesaProblem(dependencies, tenantId);
  return operatorMessage === null ? { state: 'ready', settings } : { state: 'unavailable', operatorMessage };
}

/**
 * The ISP's settings when an STK push can go out; otherwise `mpesa_not_configured` (409) or
 * `mpesa_unavailable` (503) for the payer, with the operator's reason in the log.
 */
export async function requireMpesaReady(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  tenantId: string,
): Promise<MpesaSettings> {
  const availability = await mpesaAvailability(dependencies, database, tenantId);
  if (availability.state === 'ready') return availability.settings;
  if (availability.state === 'not_configured') throw new KiungaError('mpesa_not_configured');
  dependencies.logger.error({ tenantId }, availability.operatorMessage);
  throw new KiungaError('mpesa_unavailable');
}

/** `ready`: the portal offers "Buy"; otherwise it sells nothing and says why. */
export type PortalPayments = MpesaAvailability['state'];

/** What the portal page offers: "Buy" only when a push can go out (nothing is logged: pages are viewed often). */
export async function portalPayments(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  tenantId: string,
): Promise<PortalPayments> {
  return (await mpesaAvailability(dependencies, database, tenantId)).state;
}
