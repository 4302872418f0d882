// The URLs Daraja posts an ISP's (and the platform's) M-Pesa callbacks to, and the check of an incoming one:
// /callbacks/mm/<tenant id in hex>/<hex token>/{stk,c2b/validation,c2b/confirmation}.
//
// Hex only, because Daraja filters URLs containing words such as "exe", "cmd", "sql" or "mpesa" in any
// case (integrations/mpesa/callback-urls.ts): every filtered word has a letter beyond a–f, so no hex
// text can hold one, whatever the id or the key. The base64url forms used before (about 1 URL in 250
// held such a word) are still accepted, so URLs already registered with Daraja and pushes in flight at
// an upgrade keep arriving; they are never handed out again.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ApiDependencies } from '../kernel/dependencies';

/** 128 bits of the HMAC: unguessable, and short enough for Daraja's URL fields. */
const TOKEN_HEX_LENGTH = 32;
/** The tokens handed out before hex tokens: 32 base64url characters of the same HMAC. */
const LEGACY_TOKEN_LENGTH = 32;
/** A tenant id as ids.ts makes it (`ten_` + base64url), whether it arrives hex-encoded or as it was. */
const TENANT_ID = /^ten_[A-Za-z0-9_-]{1,64}$/;
const HEX_TEXT = /^(?:[0-9a-f]{2}){1,80}$/;
const CALLBACKS_PATH = '/callbacks/mm';

function callbackHmac(dependencies: Pick<ApiDependencies, 'tokenKey'>, label: string): Buffer {
  return createHmac('sha256', dependencies.tokenKey).update(label).digest();
}

function tenantLabel(tenantId: string): string {
  return `mpesa-callback:${tenantId}`;
}
const PLATFORM_LABEL = 'platform-mpesa-callback';

function hexToken(dependencies: Pick<ApiDependencies, 'tokenKey'>, label: string): string {
  return callbackHmac(dependencies, label).toString('hex').slice(0, TOKEN_HEX_LENGTH);
}

function legacyToken(dependencies: Pick<ApiDependencies, 'tokenKey'>, label: string): string {
  return callbackHmac(dependencies, label).toString('base64url').slice(0, LEGACY_TOKEN_LENGTH);
}

/** Equal texts, compared in constant time (tokens). */
export function isSameText(given: string, expected: string): boolean {
  const givenBytes = Buffer.from(given);
  const expectedBytes = Buffer.from(expected);
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

/** Whether `token` is the hex token of `label`, or (for URLs handed out before) its legacy form. */
function isTokenOf(dependencies: Pick<ApiDependencies, 'tokenKey'>, label: string, token: string): boolean {
  return (
    isSameText(token, hexToken(dependencies, label)) || isSameText(token, legacyToken(dependencies, label))
  );
}

/** The tenant's path segment: its id as hex (tenant ids are base64url, which can spell "exe" or "Sql"). */
export function tenantPathSegment(tenantId: string): string {
  return Buffer.from(tenantId, 'utf8').toString('hex');
}

/** The tenant id a callback path's segment names (hex, or as it was), or null. */
export function tenantIdOfSegment(segment: string): string | null {
  if (TENANT_ID.test(segment)) return segment;
  if (!HEX_TEXT.test(segment)) return null;
  const decoded = Buffer.from(segment, 'hex').toString('utf8');
  return TENANT_ID.test(decoded) ? decoded : null;
}

function publicBase(dependencies: Pick<ApiDependencies, 'publicUrl'>): string {
  return `${dependencies.publicUrl.replace(/\/+$/, '')}${CALLBACKS_PATH}`;
}

export interface TenantCallbackUrls {
  readonly stk: string;
  readonly c2bValidation: string;
  readonly c2bConfirmation: string;
}

/** Absolute, per tenant, unguessable and free of the words Daraja filters (unless KIUNGA_PUBLIC_URL holds one). */
export function callbackUrls(
  dependencies: Pick<ApiDependencies, 'publicUrl' | 'tokenKey'>,
  tenantId: string,
): TenantCallbackUrls {
  const base = `${publicBase(dependencies)}/${tenantPathSegment(tenantId)}/${hexToken(dependencies, tenantLabel(tenantId))}`;
  return {
    stk: `${base}/stk`,
    c2bValidation: `${base}/c2b/validation`,
    c2bConfirmation: `${base}/c2b/confirmation`,
  };
}

/** The tenant a callback path's segment and token name, or null when they do not belong together. */
export function tenantOfCallback(
  dependencies: Pick<ApiDependencies, 'tokenKey'>,
  segment: string,
  token: string,
): string | null {
  const tenantId = tenantIdOfSegment(segment);
  if (tenantId === null) return null;
  return isTokenOf(dependencies, tenantLabel(tenantId), token) ? tenantId : null;
}

/** Where Daraja posts the results of the platform's own STK pushes (ISPs paying Kiunga). */
export function platformStkCallbackUrl(
  dependencies: Pick<ApiDependencies, 'publicUrl' | 'tokenKey'>,
): string {
  return `${publicBase(dependencies)}/platform/${hexToken(dependencies, PLATFORM_LABEL)}/stk`;
}

export function isPlatformCallbackTokenValid(
  dependencies: Pick<ApiDependencies, 'tokenKey'>,
  token: string,
): boolean {
  return isTokenOf(dependencies, PLATFORM_LABEL, token);
}
