import { describe, expect, it } from 'vitest';
import { createTotpSecret, totpCodeAt, totpEnrolmentUrl, verifyTotpCode } from './totp';

const startMs = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('TOTP', () => {
  it('accepts the current code and one step either side, not two', () => {
    const secret = createTotpSecret();
    const step = Math.floor(startMs / 30_000);
    expect(verifyTotpCode(secret, totpCodeAt(secret, startMs), startMs, null)).toBe(step);
    expect(verifyTotpCode(secret, totpCodeAt(secret, startMs - 30_000), startMs, null)).toBe(step - 1);
    expect(verifyTotpCode(secret, totpCodeAt(secret, startMs + 30_000), startMs, null)).toBe(step + 1);
    expect(verifyTotpCode(secret, totpCodeAt(secret, startMs - 60_000), startMs, null)).toBeNull();
    expect(verifyTotpCode(secret, totpCodeAt(secret, startMs + 60_000), startMs, null)).toBeNull();
  });

  it('rejects a code already used (replay) and malformed input', () => {
    const secret = createTotpSecret();
    const code = totpCodeAt(secret, startMs);
    const step = verifyTotpCode(secret, code, startMs, null);
    expect(step).not.toBeNull();
    expect(verifyTotpCode(secret, code, startMs + 1_000, step)).toBeNull();
    expect(verifyTotpCode(secret, 'abcdef', startMs, null)).toBeNull();
    expect(verifyTotpCode(secret, '1234567', startMs, null)).toBeNull();
  });

  it('builds an otpauth URL an authenticator app can scan', () => {
    const secret = createTotpSecret();
    const url = totpEnrolmentUrl(secret, 'owner@example.com');
    expect(url).toMatch(/^otpauth:\/\/totp\/Kiunga:owner%40example\.com\?/);
    expect(url).toContain(`secret=${secret}`);
  });
});
