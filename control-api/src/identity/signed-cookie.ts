// A cookie that carries its own facts: JSON, base64url, then `.` and an HMAC-SHA256 of it, so a page
// can trust what it reads back without a session row (the customer portal, the captive portal's chat).
import type { z } from 'zod';
import { isSameSecret } from './secrets';

/** `<payload as base64url JSON>.<signature>` */
export function signedValueOf(payload: unknown, sign: (encoded: string) => string): string {
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${sign(encoded)}`;
}

/** The payload when the signature holds and it parses; also its encoded form (CSRF tokens derive from it). */
export function readSignedValue<Schema extends z.ZodType>(
  value: string | undefined,
  sign: (encoded: string) => string,
  schema: Schema,
): { payload: z.output<Schema>; encoded: string } | null {
  if (!value) return null;
  const [encoded = '', signature = ''] = value.split('.', 2);
  if (!encoded || !isSameSecret(sign(encoded), signature)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { payload: parsed.data, encoded } : null;
}
