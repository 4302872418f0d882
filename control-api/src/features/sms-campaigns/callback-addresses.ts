// The URLs Africa's Talking posts an ISP's SMS notifications to, and the check of an incoming one:
// /callbacks/sms/<tenant id in hex>/<hex token>/{delivery,incoming,opt-out}. Africa's Talking signs none
// of its SMS notifications (Africa's Talking docs, SMS → Notifications: a plain form POST to the URL set
// on the dashboard), so the URL carries the secret: an HMAC of the tenant under the platform's token key,
// as the M-Pesa callbacks do (mpesa/callback-addresses.ts).
import { createHmac } from 'node:crypto';
import type { ApiDependencies } from '../../kernel/dependencies';
import { isSameText, tenantIdOfSegment, tenantPathSegment } from '../../mpesa/callback-addresses';

export const SMS_CALLBACKS_PATH = '/callbacks/sms';
/** 128 bits of the HMAC: unguessable, short enough to paste into the gateway's dashboard. */
const TOKEN_HEX_LENGTH = 32;

function tokenOf(dependencies: Pick<ApiDependencies, 'tokenKey'>, tenantId: string): string {
  return createHmac('sha256', dependencies.tokenKey)
    .update(`sms-callback:${tenantId}`)
    .digest('hex')
    .slice(0, TOKEN_HEX_LENGTH);
}

export function smsCallbackUrls(
  dependencies: Pick<ApiDependencies, 'publicUrl' | 'tokenKey'>,
  tenantId: string,
): { delivery: string; incoming: string; optOut: string } {
  const base = `${dependencies.publicUrl.replace(/\/+$/, '')}${SMS_CALLBACKS_PATH}/${tenantPathSegment(tenantId)}/${tokenOf(dependencies, tenantId)}`;
  return { delivery: `${base}/delivery`, incoming: `${base}/incoming`, optOut: `${base}/opt-out` };
}

/** The tenant a callback path names with its right token; null for anything else. */
export function tenantOfSmsCallback(
  dependencies: Pick<ApiDependencies, 'tokenKey'>,
  segment: string,
  token: string,
): string | null {
  const tenantId = tenantIdOfSegment(segment);
  if (tenantId === null) return null;
  return isSameText(token, tokenOf(dependencies, tenantId)) ? tenantId : null;
}
