// A subscriber's session on /account/<slug>: a signed HttpOnly cookie naming one tenant and one
// subscriber (subscribers are not platform users, so no console session row), with a CSRF token
// derived from it for the forms.
import { createHash, createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { randomSecret } from '../identity/secrets';
import { readSignedValue, signedValueOf } from '../identity/signed-cookie';
import type { ApiDependencies } from '../kernel/dependencies';

export const CUSTOMER_COOKIE_NAME = 'kiunga_account';
/** 12 hours, absolute: long enough to pay and check a bill; a shared phone forgets it overnight. */
export const CUSTOMER_SESSION_TTL_MS = 12 * 3_600_000;

export interface CustomerSession {
  tenantId: string;
  subscriberId: string;
  expiresAtMs: number;
  /** Echoed by every form that changes something (logout, pay). */
  csrfToken: string;
}

const payloadSchema = z.object({
  tenantId: z.string().min(1),
  subscriberId: z.string().min(1),
  expiresAtMs: z.number().int(),
  /** A fingerprint of the sealed password: a new password ends every older session. */
  passwordFingerprint: z.string(),
  nonce: z.string(),
});
type SessionPayload = z.infer<typeof payloadSchema>;

function sessionKey(dependencies: ApiDependencies): Buffer {
  return createHmac('sha256', dependencies.tokenKey).update('customer-session-v1').digest();
}

function sign(dependencies: ApiDependencies, text: string): string {
  return createHmac('sha256', sessionKey(dependencies)).update(text).digest('base64url');
}

export function passwordFingerprint(passwordSealed: string): string {
  return createHash('sha256').update(passwordSealed).digest('base64url').slice(0, 16);
}

function csrfTokenOf(dependencies: ApiDependencies, encodedPayload: string): string {
  return sign(dependencies, `csrf|${encodedPayload}`).slice(0, 32);
}

export function cookiePathOf(slug: string): string {
  return `/account/${slug}`;
}

export function startCustomerSession(
  dependencies: ApiDependencies,
  context: Context,
  slug: string,
  subject: { tenantId: string; subscriberId: string; passwordSealed: string },
): void {
  const payload: SessionPayload = {
    tenantId: subject.tenantId,
    subscriberId: subject.subscriberId,
    expiresAtMs: dependencies.clock.now() + CUSTOMER_SESSION_TTL_MS,
    passwordFingerprint: passwordFingerprint(subject.passwordSealed),
    nonce: randomSecret(12),
  };
  setCookie(
    context,
    CUSTOMER_COOKIE_NAME,
    signedValueOf(payload, (text) => sign(dependencies, text)),
    {
      httpOnly: true,
      sameSite: 'Lax',
      secure: dependencies.publicUrl.startsWith('https:'),
      path: cookiePathOf(slug),
      maxAge: Math.floor(CUSTOMER_SESSION_TTL_MS / 1000),
    },
  );
}

/**
 * The request's session when its signature holds, it has not expired and it names this tenant;
 * the caller still checks the subscriber exists and the password fingerprint (see routes).
 */
export function readCustomerSession(
  dependencies: ApiDependencies,
  context: Context,
  tenantId: string,
): (CustomerSession & { passwordFingerprint: string }) | null {
  const read = readSignedValue(
    getCookie(context, CUSTOMER_COOKIE_NAME),
    (text) => sign(dependencies, text),
    payloadSchema,
  );
  if (read === null) return null;
  const { payload, encoded } = read;
  if (payload.tenantId !== tenantId || payload.expiresAtMs <= dependencies.clock.now()) return null;
  return {
    tenantId: payload.tenantId,
    subscriberId: payload.subscriberId,
    expiresAtMs: payload.expiresAtMs,
    passwordFingerprint: payload.passwordFingerprint,
    csrfToken: csrfTokenOf(dependencies, encoded),
  };
}

export function endCustomerSession(context: Context, slug: string): void {
  deleteCookie(context, CUSTOMER_COOKIE_NAME, { path: cookiePathOf(slug) });
}
