// Access tokens: signed with the derived key, valid for their 15 minutes, and refused without `exp`.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TTL_SECONDS, deriveTokenKey, issueAccessToken, verifyAccessToken } from './tokens';

const key = deriveTokenKey('a master key for the token tests');
const nowMs = Date.UTC(2030, 0, 1);

/** A token built by hand (HS256, RFC 7519 §7.1), for claims issueAccessToken would never leave out. */
function signByHand(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

describe('access tokens', () => {
  it('carry exp and open the API until it passes', async () => {
    const token = await issueAccessToken(key, 'usr_1', nowMs);
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(payload.exp - payload.iat).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(await verifyAccessToken(key, token, nowMs)).toBe('usr_1');
    expect(await verifyAccessToken(key, token, nowMs + ACCESS_TOKEN_TTL_SECONDS * 1000)).toBeNull();
  });

  it('refuses a correctly signed token without exp', async () => {
    const issuedAt = Math.floor(nowMs / 1000);
    const base = { use: 'access', sub: 'usr_1', iss: 'kiunga', iat: issuedAt };
    expect(await verifyAccessToken(key, signByHand({ ...base, exp: issuedAt + 60 }), nowMs)).toBe('usr_1');
    expect(await verifyAccessToken(key, signByHand(base), nowMs)).toBeNull();
  });

  it('refuses another key and another use', async () => {
    const token = await issueAccessToken(deriveTokenKey('another master key'), 'usr_1', nowMs);
    expect(await verifyAccessToken(key, token, nowMs)).toBeNull();
    const issuedAt = Math.floor(nowMs / 1000);
    const refresh = signByHand({
      use: 'refresh',
      sub: 'usr_1',
      iss: 'kiunga',
      iat: issuedAt,
      exp: issuedAt + 60,
    });
    expect(await verifyAccessToken(key, refresh, nowMs)).toBeNull();
  });
});
