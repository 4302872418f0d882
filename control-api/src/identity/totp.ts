// TOTP two-factor (RFC 6238 via the otpauth library): secrets, enrolment URLs, code checks.
import { Secret, TOTP } from 'otpauth';

const ISSUER = 'Kiunga';
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Accept one step either side: phones' clocks drift, and typing a code takes a few seconds. */
export const TOTP_WINDOW_STEPS = 1;
/** 160 bits, as RFC 4226 recommends for HMAC-SHA1. */
const SECRET_BYTES = 20;

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function createTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

export function totpEnrolmentUrl(secretBase32: string, accountEmail: string): string {
  return totpFor(secretBase32, accountEmail).toString();
}

/** The current code (for tests and simulators). */
export function totpCodeAt(secretBase32: string, nowMs: number): string {
  return totpFor(secretBase32, 'code').generate({ timestamp: nowMs });
}

/**
 * The time step the code belongs to, or null when it is wrong, outside the window, or not
 * newer than `lastStep` (a code is good once: no replay of an observed code).
 */
export function verifyTotpCode(
  secretBase32: string,
  code: string,
  nowMs: number,
  lastStep: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32, 'code').validate({
    token: code,
    timestamp: nowMs,
    window: TOTP_WINDOW_STEPS,
  });
  if (delta === null) return null;
  const step = Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}
