// The email link on a moved clock: single use, expiring, unguessable, stored as a digest.
import { ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import {
  EMAIL_LINK_LIFETIME_MS,
  emailTokenDigest,
  emailVerificationUrl,
  newEmailLink,
  readEmailToken,
  redeemEmailLink,
} from './email-link';

const START_MS = Date.UTC(2030, 2, 14, 7, 0);
const bytes = (fill: number) => new Uint8Array(32).fill(fill);

describe('the email link', () => {
  it('carries a base64url token and stores only its digest', () => {
    const { token, record } = newEmailLink('sgn_1', bytes(7), START_MS);
    expect(readEmailToken(token)).toBe(token);
    expect(record).toEqual({
      signupId: 'sgn_1',
      digest: emailTokenDigest(token),
      expiresAtMs: START_MS + EMAIL_LINK_LIFETIME_MS,
      usedAtMs: null,
    });
    expect(JSON.stringify(record)).not.toContain(token);
    expect(() => newEmailLink('sgn_1', new Uint8Array(16), START_MS)).toThrow(RangeError);
  });

  it('builds the link on the public URL', () => {
    const { token } = newEmailLink('sgn_1', bytes(1), START_MS);
    expect(emailVerificationUrl('https://kiunga.example.com', token)).toBe(
      `https://kiunga.example.com/signup/verify-email?token=${token}`,
    );
  });

  it('verifies once; the second click is told the link was used', () => {
    const clock = new ManualClock(START_MS);
    const { token, record } = newEmailLink('sgn_1', bytes(2), clock.now());
    clock.advance(60 * 60_000);
    const first = redeemEmailLink(record, token, clock.now());
    expect(first.outcome).toBe('verified');
    expect(first.record?.usedAtMs).toBe(clock.now());
    expect(redeemEmailLink(first.record, token, clock.now()).outcome).toBe('already_used');
  });

  it('expires after EMAIL_LINK_LIFETIME_MS', () => {
    const clock = new ManualClock(START_MS);
    const { token, record } = newEmailLink('sgn_1', bytes(3), clock.now());
    clock.advance(EMAIL_LINK_LIFETIME_MS);
    expect(redeemEmailLink(record, token, clock.now()).outcome).toBe('expired');
  });

  it('refuses a token that is not the record’s, or no record at all', () => {
    const { record } = newEmailLink('sgn_1', bytes(4), START_MS);
    const other = newEmailLink('sgn_2', bytes(5), START_MS).token;
    expect(redeemEmailLink(record, other, START_MS).outcome).toBe('invalid');
    expect(redeemEmailLink(null, other, START_MS).outcome).toBe('invalid');
  });

  it('reads only well-formed tokens from a link', () => {
    for (const value of [undefined, null, '', 'short', `${'a'.repeat(43)}=`, `${'a'.repeat(42)}!`]) {
      expect(readEmailToken(value), String(value)).toBeNull();
    }
  });
});
