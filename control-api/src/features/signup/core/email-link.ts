// The link that proves a signing-up ISP reads its email: an unguessable token, used once, expiring.
// Only the token's digest is stored, so a copy of the database verifies nobody's address.
import { createHash, timingSafeEqual } from 'node:crypto';

/** 256 random bits: the token alone is the proof, so it must be unguessable for its whole life. */
export const EMAIL_TOKEN_BYTES = 32;
/** A day: mail can be slow or read the next morning; the trial waits for it. */
export const EMAIL_LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** base64url of 32 bytes is 43 characters; anything else in the link is not ours. */
const EMAIL_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface EmailLinkRecord {
  readonly signupId: string;
  /** sha256 of the token, hex: what the store keeps and looks the link up by. */
  readonly digest: string;
  readonly expiresAtMs: number;
  readonly usedAtMs: number | null;
}

export function emailTokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token (for the email) and its record (for the store) from EMAIL_TOKEN_BYTES random bytes. */
export function newEmailLink(
  signupId: string,
  randomBytes: Uint8Array,
  nowMs: number,
): { token: string; record: EmailLinkRecord } {
  if (randomBytes.length !== EMAIL_TOKEN_BYTES)
    throw new RangeError(`an email token takes ${EMAIL_TOKEN_BYTES} bytes`);
  const token = Buffer.from(randomBytes).toString('base64url');
  return {
    token,
    record: {
      signupId,
      digest: emailTokenDigest(token),
      expiresAtMs: nowMs + EMAIL_LINK_LIFETIME_MS,
      usedAtMs: null,
    },
  };
}

/** The token from a link's `?token=` as typed or pasted, or null when it cannot be one of ours. */
export function readEmailToken(value: string | null | undefined): string | null {
  const token = value?.trim() ?? '';
  return EMAIL_TOKEN.test(token) ? token : null;
}

/** `<public url>/signup/verify-email?token=…`: what the email links to. */
export function emailVerificationUrl(publicUrl: string, token: string): string {
  const url = new URL('/signup/verify-email', publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

export type EmailLinkOutcome = 'verified' | 'expired' | 'already_used' | 'invalid';

/**
 * Redeems a link: `record` is what the store found by `emailTokenDigest(token)` (null when none). The
 * digest is compared again here, in constant time, so a store that matched loosely cannot verify anyone.
 */
export function redeemEmailLink(
  record: EmailLinkRecord | null,
  token: string,
  nowMs: number,
): { outcome: EmailLinkOutcome; record: EmailLinkRecord | null } {
  if (record === null) return { outcome: 'invalid', record };
  const isMatch = timingSafeEqual(
    Buffer.from(emailTokenDigest(token), 'hex'),
    Buffer.from(record.digest, 'hex'),
  );
  if (!isMatch) return { outcome: 'invalid', record };
  if (record.usedAtMs !== null) return { outcome: 'already_used', record };
  if (nowMs >= record.expiresAtMs) return { outcome: 'expired', record };
  return { outcome: 'verified', record: { ...record, usedAtMs: nowMs } };
}
