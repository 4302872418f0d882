// End to end: sign-in limits per account and source address, per account over every address, and
// per address over every account; registration's limit. Clients connect from different loopback
// addresses (127.0.0.0/8), which is how the server tells them apart: it believes X-Forwarded-For
// only from the proxy KIUNGA_TRUSTED_PROXIES names. Its own file (own server): the limits lock out
// addresses for 15 minutes or more.
import { describe, expect, it } from 'vitest';
import { apiRequest, clientWithToken, uniqueEmail } from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';
import { rawRequest } from './support/raw-http';

/** Stands for a reverse proxy in front of the server: only its X-Forwarded-For is believed. */
const TRUSTED_PROXY = '127.0.0.70';
const suite = useDemoKiunga({ KIUNGA_TRUSTED_PROXIES: TRUSTED_PROXY });

/** Failures allowed per account from one address, and per account from everywhere (identity/login-limits.ts). */
const FAILURES_PER_ACCOUNT_ADDRESS = 5;
const FAILURES_PER_ACCOUNT = 50;
/**
 * These tests make up to fifty-odd argon2 verifications each, deliberately slow (~0.2 s each on an
 * idle 2-core machine, several times that while other suites run): more than the default minute.
 */
const SIGN_IN_TESTS_TIMEOUT_MS = 300_000;

const loginFrom = (
  localAddress: string,
  credentials: { email: string; password: string },
  headers: Record<string, string> = {},
) =>
  rawRequest(suite.kiunga.baseUrl, {
    method: 'POST',
    path: '/api/v1/auth/login',
    localAddress,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(credentials),
  });

describe('login rate limits', { timeout: SIGN_IN_TESTS_TIMEOUT_MS }, () => {
  it("a stranger's 5 failures from one address do not stop the owner signing in from another", async () => {
    const owner = suite.demo.tenants[0]!.owner;
    const stranger = '127.0.0.21';
    for (let attempt = 0; attempt < FAILURES_PER_ACCOUNT_ADDRESS; attempt += 1)
      expect((await loginFrom(stranger, { email: owner.email, password: 'guess' })).status).toBe(401);
    const locked = await loginFrom(stranger, owner);
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('rate_limited');
    expect(locked.json.error.details.limit).toBe('login_failures_per_account_address');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);

    expect((await loginFrom('127.0.0.22', owner)).status).toBe(200);
    // The stranger's other guesses elsewhere go on being counted for their own address only.
    expect((await loginFrom(stranger, suite.demo.tenants[1]!.owner)).status).toBe(200);
  });

  it('a signed-in address starts counting afresh for that account', async () => {
    const owner = suite.demo.tenants[1]!.owner;
    const address = '127.0.0.23';
    for (let round = 0; round < 2; round += 1) {
      for (let attempt = 0; attempt < FAILURES_PER_ACCOUNT_ADDRESS - 1; attempt += 1)
        expect((await loginFrom(address, { email: owner.email, password: 'typo' })).status).toBe(401);
      expect((await loginFrom(address, owner)).status).toBe(200);
    }
  });

  it('the account-wide limit holds across many addresses, but not where the owner signed in before', async () => {
    const admin = suite.demo.superAdmin;
    // The owner signs in from the office once, before the guessing starts.
    expect((await loginFrom('127.0.0.30', admin)).status).toBe(200);
    // Ten addresses guess at once, each up to its own limit for the account: fifty in all.
    const addresses = Array.from(
      { length: FAILURES_PER_ACCOUNT / FAILURES_PER_ACCOUNT_ADDRESS },
      (_, index) => `127.0.1.${index + 1}`,
    );
    const statuses = await Promise.all(
      addresses.map(async (from) => {
        const seen: number[] = [];
        for (let attempt = 0; attempt < FAILURES_PER_ACCOUNT_ADDRESS; attempt += 1)
          seen.push((await loginFrom(from, { email: admin.email, password: 'spread guess' })).status);
        return seen;
      }),
    );
    expect(statuses.flat()).toEqual(Array(FAILURES_PER_ACCOUNT).fill(401));
    const fresh = await loginFrom('127.0.1.200', admin);
    expect(fresh.status).toBe(429);
    expect(fresh.json.error.details.limit).toBe('login_failures_per_account');
    expect((await loginFrom('127.0.0.30', admin)).status).toBe(200);
  });

  it('X-Forwarded-For from a client that is no trusted proxy is not believed', async () => {
    const email = uniqueEmail('forwarded');
    const from = '127.0.0.40';
    for (let attempt = 0; attempt < FAILURES_PER_ACCOUNT_ADDRESS; attempt += 1) {
      const headers = { 'x-forwarded-for': `198.51.100.${attempt + 1}` };
      expect((await loginFrom(from, { email, password: 'guess' }, headers)).status).toBe(401);
    }
    const locked = await loginFrom(from, { email, password: 'guess' }, { 'x-forwarded-for': '203.0.113.1' });
    expect(locked.status).toBe(429);
    expect(locked.json.error.details.limit).toBe('login_failures_per_account_address');
  });

  it('behind a trusted proxy, each client is counted by the address the proxy gives', async () => {
    const owner = suite.demo.tenants[0]!.owner;
    const viaProxy = (client: string, credentials: { email: string; password: string }) =>
      loginFrom(TRUSTED_PROXY, credentials, { 'x-forwarded-for': `6.6.6.6, ${client}` });
    for (let attempt = 0; attempt < FAILURES_PER_ACCOUNT_ADDRESS; attempt += 1)
      expect((await viaProxy('198.51.100.66', { email: owner.email, password: 'guess' })).status).toBe(401);
    const locked = await viaProxy('198.51.100.66', owner);
    expect(locked.status).toBe(429);
    expect(locked.json.error.details.limit).toBe('login_failures_per_account_address');
    // The owner behind the same proxy is someone else, and the audit log says who signed in from where.
    const signedIn = await viaProxy('198.51.100.77', owner);
    expect(signedIn.status).toBe(200);
    const audit = await clientWithToken(suite.baseUrl, signedIn.json.token).get(
      '/api/v1/audit?action=auth.login',
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'auth.login', sourceAddress: '198.51.100.77' });
  });

  it('locks the source address after 20 failures across accounts', async () => {
    const from = '127.0.0.50';
    for (let attempt = 0; attempt < 20; attempt += 1)
      expect((await loginFrom(from, { email: uniqueEmail('spray'), password: 'guess' })).status).toBe(401);
    const locked = await loginFrom(from, suite.demo.tenants[0]!.owner);
    expect(locked.status).toBe(429);
    expect(locked.json.error.details.limit).toBe('login_failures_per_address');
    expect((await loginFrom('127.0.0.51', suite.demo.tenants[0]!.owner)).status).toBe(200);
  });
});

describe('registration rate limit', () => {
  it('allows 5 registrations per address per hour', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const response = await apiRequest(suite.kiunga.baseUrl, 'POST', '/api/v1/registration', {
        body: {
          ispName: `Flood ${attempt}`,
          slug: `flood-${attempt}`,
          ownerEmail: uniqueEmail('flood'),
          ownerPassword: 'flood password',
          phone: '0712345678',
          tier: 'tier2',
        },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});
