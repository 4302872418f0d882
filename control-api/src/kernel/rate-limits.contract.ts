// The cases every rate-limit backend must pass with the same answers (no test runner file of its
// own): in memory (identity/login-limits.test.ts) and in Redis (kernel/redis/redis-rate-limits.test.ts).
import { describe, expect, it } from 'vitest';
import {
  CONSOLE_SIGN_IN_LIMITS,
  KNOWN_SIGN_IN_ADDRESS_TTL_MS,
  LOGIN_FAILURES_PER_ACCOUNT,
  LOGIN_FAILURES_PER_ACCOUNT_ADDRESS,
  LOGIN_FAILURES_PER_ADDRESS,
  SignInThrottle,
} from '../identity/login-limits';
import type { RateLimitBackend } from './rate-limits';

const owner = 'owner@isp.example';
const startMs = 1_000_000;
const limit = { name: 'test', attemptsMax: 3, windowMs: 1_000 };

async function failMany(
  throttle: SignInThrottle,
  account: string,
  address: string,
  count: number,
  nowMs = startMs,
) {
  for (let attempt = 0; attempt < count; attempt += 1) {
    expect(await throttle.check(account, address, nowMs)).toBeNull();
    await throttle.recordFailure(account, address, nowMs);
  }
}

/** LOGIN_FAILURES_PER_ACCOUNT failures, each address using its own limit for the account in full. */
async function failFromManyAddresses(throttle: SignInThrottle, nowMs: number) {
  const perAddress = LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax;
  const addresses = LOGIN_FAILURES_PER_ACCOUNT.attemptsMax / perAddress;
  expect(Number.isInteger(addresses)).toBe(true);
  for (let index = 0; index < addresses; index += 1)
    await failMany(throttle, owner, `203.0.113.${index + 1}`, perAddress, nowMs);
}

/** `freshBackend` gives a backend with no counts yet (a new one, or the shared store emptied). */
export function describeRateLimitBackend(name: string, freshBackend: () => Promise<RateLimitBackend>): void {
  describe(`attempt limiter (${name})`, () => {
    it('limits after attemptsMax attempts inside one window and says when to retry', async () => {
      const limiter = (await freshBackend()).limiter(limit);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect((await limiter.check('a', 100)).isLimited).toBe(false);
        await limiter.record('a', 100);
      }
      expect(await limiter.check('a', 400)).toEqual({ isLimited: true, retryAfterMs: 700 });
      expect((await limiter.check('b', 400)).isLimited).toBe(false);
    });

    it('opens again when the window ends, and on reset', async () => {
      const limiter = (await freshBackend()).limiter(limit);
      for (let attempt = 0; attempt < 3; attempt += 1) await limiter.record('a', 0);
      expect((await limiter.check('a', 999)).isLimited).toBe(true);
      expect((await limiter.check('a', 1_000)).isLimited).toBe(false);
      await limiter.record('a', 1_000);
      expect((await limiter.check('a', 1_001)).isLimited).toBe(false);
      for (let attempt = 0; attempt < 2; attempt += 1) await limiter.record('a', 1_002);
      expect(await limiter.check('a', 1_003)).toEqual({ isLimited: true, retryAfterMs: 997 });
      await limiter.reset('a');
      expect((await limiter.check('a', 1_003)).isLimited).toBe(false);
    });

    it('keeps the counts of two limits apart', async () => {
      const backend = await freshBackend();
      const first = backend.limiter(limit);
      const second = backend.limiter({ ...limit, name: 'other' });
      for (let attempt = 0; attempt < 3; attempt += 1) await first.record('a', 0);
      expect((await first.check('a', 1)).isLimited).toBe(true);
      expect((await second.check('a', 1)).isLimited).toBe(false);
    });

    it('knows a recent key until its time has passed since it was last remembered', async () => {
      const keys = (await freshBackend()).recentKeys('test_known', 1_000);
      await keys.remember('a', 0);
      expect(await keys.has('a', 999)).toBe(true);
      expect(await keys.has('a', 1_000)).toBe(false);
      await keys.remember('a', 900);
      expect(await keys.has('a', 1_899)).toBe(true);
      expect(await keys.has('b', 0)).toBe(false);
    });
  });

  describe(`SignInThrottle (${name})`, () => {
    const throttle = async () => new SignInThrottle(CONSOLE_SIGN_IN_LIMITS, await freshBackend());

    it("stops a guesser at one address after 5 failures and leaves the owner's address open", async () => {
      const signIn = await throttle();
      await failMany(signIn, owner, '203.0.113.9', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax);
      expect((await signIn.check(owner, '203.0.113.9', startMs))?.limit.name).toBe(
        'login_failures_per_account_address',
      );
      expect(await signIn.check(owner, '198.51.100.7', startMs)).toBeNull();
      expect(await signIn.check('other@isp.example', '203.0.113.9', startMs)).toBeNull();
    });

    it('holds the account-wide limit across many addresses, except at addresses the owner signed in from', async () => {
      const signIn = await throttle();
      await signIn.recordSuccess(owner, '198.51.100.7', startMs - 86_400_000);
      await failFromManyAddresses(signIn, startMs);
      const refusal = await signIn.check(owner, '192.0.2.200', startMs);
      expect(refusal?.limit.name).toBe('login_failures_per_account');
      expect(refusal?.retryAfterMs).toBe(LOGIN_FAILURES_PER_ACCOUNT.windowMs);
      expect(await signIn.check(owner, '198.51.100.7', startMs)).toBeNull();
    });

    it('forgets a known address after KNOWN_SIGN_IN_ADDRESS_TTL_MS', async () => {
      const signIn = await throttle();
      await signIn.recordSuccess(owner, '198.51.100.7', startMs);
      const later = startMs + KNOWN_SIGN_IN_ADDRESS_TTL_MS;
      await failFromManyAddresses(signIn, later);
      expect((await signIn.check(owner, '198.51.100.7', later))?.limit.name).toBe(
        'login_failures_per_account',
      );
    });

    it("a success clears only that address's count for the account", async () => {
      const signIn = await throttle();
      await failMany(signIn, owner, '198.51.100.7', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax - 1);
      await signIn.recordSuccess(owner, '198.51.100.7', startMs);
      await failMany(signIn, owner, '198.51.100.7', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax - 1);
      expect(await signIn.check(owner, '198.51.100.7', startMs)).toBeNull();
    });

    it('limits one address over all accounts, whatever it signs in to in between', async () => {
      const signIn = await throttle();
      for (let index = 0; index < LOGIN_FAILURES_PER_ADDRESS.attemptsMax; index += 1) {
        await failMany(signIn, `spray-${index}@isp.example`, '203.0.113.9', 1);
        await signIn.recordSuccess('guesser@own.example', '203.0.113.9', startMs);
      }
      expect((await signIn.check('someone@isp.example', '203.0.113.9', startMs))?.limit.name).toBe(
        'login_failures_per_address',
      );
    });

    it('opens again when the windows end', async () => {
      const signIn = await throttle();
      await failMany(signIn, owner, '203.0.113.9', LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.attemptsMax);
      expect(
        await signIn.check(owner, '203.0.113.9', startMs + LOGIN_FAILURES_PER_ACCOUNT_ADDRESS.windowMs),
      ).toBeNull();
    });
  });
}
