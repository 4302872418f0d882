// Short-lived access tokens (JWT, HS256 via jose); the key is derived from the master key.
import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** Access tokens live 15 minutes: a stolen one is short-lived; consoles refresh silently. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'kiunga';

export function deriveTokenKey(masterKey: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`kiunga-access-token:${masterKey}`).digest());
}

export interface AccessTokenClaims {
  /** The user id (or API key id). */
  subject: string;
  /** Token kind marker; only 'access' tokens open the API. */
  use: 'access';
}

export async function issueAccessToken(key: Uint8Array, subject: string, nowMs: number): Promise<string> {
  const issuedAt = Math.floor(nowMs / 1000);
  return new SignJWT({ use: 'access' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ACCESS_TOKEN_TTL_SECONDS)
    .sign(key);
}

/**
 * Claims a valid access token must carry. jose checks `exp` only when present, so a token signed
 * without one (a bug, or a key leaked to a tool that mints tokens) would never expire: require it.
 */
const REQUIRED_CLAIMS = ['exp', 'iat', 'sub'];

/** The token's subject, or null when it is invalid, expired, or lacks a required claim. */
export async function verifyAccessToken(
  key: Uint8Array,
  token: string,
  nowMs: number,
): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: ISSUER,
      algorithms: ['HS256'],
      requiredClaims: REQUIRED_CLAIMS,
      currentDate: new Date(nowMs),
    });
    return payload['use'] === 'access' && typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}
