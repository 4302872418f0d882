// Sign-in limits: a stranger's failures from their own address never lock the owner out of
// theirs; the account-wide limit still holds a guesser spread over many addresses.
import { describe, expect, it } from 'vitest';
import {
  CONSOLE_SIGN_IN_LIMITS,
  KNOWN_SIGN_IN_ADDRESS_TTL_MS,
  LOGIN_FAILURES_PER_ACCOUNT,
  LOGIN_FAILURES_PER_ACCOUNT_ADDRESS,
  LOGIN_FAILURES_PER_ADDRESS,
  SignInThrottle,
} from './login-limits';

const owner = 'owner@isp.example';
const startMs = 1_000_000;

function failMany(
  throttle: SignInThrottle,
  account: string,
  address: string,
  count: number,
  nowMs = startMs,
) {
  for (let attempt = 0; attempt < count; attempt += 1) {
    expect(throttle.check(account, address, nowMs)).toBeNull();
    throttle.recordFailure(account, address, nowMs);
  }
}

/** LOGIN_FAILURES_PER_ACCOUNT failures, each address using its own limit for the account in full. */
function failFromManyAddresses(throttle: SignInThrottle, nowMs: number) {
  const perAddress = LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax;
  const addresses = LOGIN_FAILURES_PER_ACCOUNT.attemptsMax / perAddress;
  expect(Number.isInteger(addresses)).toBe(true);
  for (let index = 0; index < addresses; index += 1)
    failMany(throttle, owner, `203.0.113.${index + 1}`, perAddress, nowMs);
}

describe('SignInThrottle', () => {
  it("stops a guesser at one address after 5 failures and leaves the owner's address open", () => {
    const throttle = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS);
    failMany(throttle, owner, '203.0.113.9', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax);
    expect(throttle.check(owner, '203.0.113.9', startMs)?.limit.name).toBe(
      'login_failures_per_account_address',
    );
    expect(throttle.check(owner, '198.51.100.7', startMs)).toBeNull();
    expect(throttle.check('other@isp.example', '203.0.113.9', startMs)).toBeNull();
  });

  it('holds the account-wide limit across many addresses, except at addresses the owner signed in from', () => {
    const throttle = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS);
    throttle.recordSuccess(owner, '198.51.100.7', startMs - 86_400_000);
    failFromManyAddresses(throttle, startMs);
    const refusal = throttle.check(owner, '192.0.2.200', startMs);
    expect(refusal?.limit.name).toBe('login_failures_per_account');
    expect(refusal?.retryAfterMs).toBe(LOGIN_FAILURES_PER_ACCOUNT.windowMs);
    expect(throttle.check(owner, '198.51.100.7', startMs)).toBeNull();
  });

  it('forgets a known address after KNOWN_SIGN_IN_ADDRESS_TTL_MS', () => {
    const throttle = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS);
    throttle.recordSuccess(owner, '198.51.100.7', startMs);
    const later = startMs + KNOWN_SIGN_IN_ADDRESS_TTL_MS;
    failFromManyAddresses(throttle, later);
    expect(throttle.check(owner, '198.51.100.7', later)?.limit.name).toBe('login_failures_per_account');
  });

  it("a success clears only that address's count for the account", () => {
    const throttle = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS);
    failMany(throttle, owner, '198.51.100.7', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax - 1);
    throttle.recordSuccess(owner, '198.51.100.7', startMs);
    failMany(throttle, owner, '198.51.100.7', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax - 1);
    expect(throttle.check(owner, '198.51.100.7', startMs)).toBeNull();
  });

  it('limits one address over all accounts, whatever it signs in to in between', () => {
    const throttle = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS);
    for (let index = 0; index < LOGIN_FAILURES_PER_ADDRESS.attemptsMax; index += 1) {
      failMany(throttle, `spray-${index}@isp.example`, '203.0.113.9', 1);
      throttle.recordSuccess('guesser@own.example', '203.0.113.9', startMs);
    }
    expect(throttle.check('someone@isp.example', '203.0.113.9', startMs)?.limit.name).toBe(
      'login_failures_per_address',
    );
  });

  it('opens again when the windows end', () => {
    const throttle = new SignInThrottle(CONSOLE_SIGN_IN_LIMITS);
    failMany(throttle, owner, '203.0.113.9', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax);
    expect(
      throttle.check(owner, '203.0.113.9', startMs + LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.windowMs),
    ).toBeNull();
  });
});
