// The captive portal's chat cookie: after a hotspot client proves a voucher or a phone, a signed,
// short-lived HttpOnly cookie names the tenant and the client (never anything the client can pick),
// with a CSRF token derived from it for the chat form.
import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { randomSecret } from '../../identity/secrets';
import { readSignedValue, signedValueOf } from '../../identity/signed-cookie';
import type { ApiDependencies } from '../../kernel/dependencies';
import type { ChatClient } from './store';

export const CHAT_COOKIE_NAME = 'kiunga_chat';
/** Two hours, absolute: a chat about a connection problem, not a standing login on a shared device. */
export const CHAT_COOKIE_TTL_MS = 2 * 3_600_000;

const payloadSchema = z.object({
  tenantId: z.string().min(1),
  kind: z.enum(['voucher', 'phone']),
  key: z.string().min(1),
  label: z.string(),
  phone: z.string().nullable(),
  expiresAtMs: z.number().int(),
  nonce: z.string(),
});

function sign(dependencies: ApiDependencies, text: string): string {
  const key = createHmac('sha256', dependencies.tokenKey).update('portal-chat-v1').digest();
  return createHmac('sha256', key).update(text).digest('base64url');
}

export function chatCookiePathOf(slug: string): string {
  return `/portal/${slug}/chat`;
}

export function startChatCookie(
  dependencies: ApiDependencies,
  context: Context,
  tenant: { id: string; slug: string },
  client: ChatClient & { kind: 'voucher' | 'phone' },
): void {
  const payload: z.infer<typeof payloadSchema> = {
    tenantId: tenant.id,
    kind: client.kind,
    key: client.key,
    label: client.label,
    phone: client.phone,
    expiresAtMs: dependencies.clock.now() + CHAT_COOKIE_TTL_MS,
    nonce: randomSecret(12),
  };
  setCookie(
    context,
    CHAT_COOKIE_NAME,
    signedValueOf(payload, (text) => sign(dependencies, text)),
    {
      httpOnly: true,
      sameSite: 'Lax',
      secure: dependencies.publicUrl.startsWith('https:'),
      path: chatCookiePathOf(tenant.slug),
      maxAge: Math.floor(CHAT_COOKIE_TTL_MS / 1000),
    },
  );
}

/** The client the cookie names, when its signature holds, it has not expired and it is this tenant's. */
export function readChatCookie(
  dependencies: ApiDependencies,
  context: Context,
  tenantId: string,
): { client: ChatClient; csrfToken: string } | null {
  const read = readSignedValue(
    getCookie(context, CHAT_COOKIE_NAME),
    (text) => sign(dependencies, text),
    payloadSchema,
  );
  if (read === null) return null;
  const { payload, encoded } = read;
  if (payload.tenantId !== tenantId || payload.expiresAtMs <= dependencies.clock.now()) return null;
  return {
    client: { kind: payload.kind, key: payload.key, label: payload.label, phone: payload.phone },
    csrfToken: sign(dependencies, `csrf|${encoded}`).slice(0, 32),
  };
}

export function endChatCookie(context: Context, slug: string): void {
  deleteCookie(context, CHAT_COOKIE_NAME, { path: chatCookiePathOf(slug) });
}
