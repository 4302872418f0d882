// End to end: named sign-in limits per account and per source address, and registration's limit.
// Its own file (own server): tripping the per-address limit locks out 127.0.0.1 for 15 minutes.
import { describe, expect, it } from 'vitest';
import { apiRequest, uniqueEmail } from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';

const suite = useDemoKiunga();

const login = (email: string, password: string) =>
  apiRequest(suite.kiunga.baseUrl, 'POST', '/api/v1/auth/login', { body: { email, password } });

describe('login rate limits', () => {
  it('locks an account after 5 failures, even for the right password, and leaves others alone', async () => {
    const owner = suite.demo.tenants[0]!.owner;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(owner.email, 'wrong password')).status).toBe(401);
    }
    const locked = await login(owner.email, owner.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    expect(locked.body.error.details.limit).toBe('login_failures_per_account');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      (await login(suite.demo.tenants[1]!.owner.email, suite.demo.tenants[1]!.owner.password)).status,
    ).toBe(200);
  });

  it('locks the source address after 20 failures across accounts', async () => {
    // 5 failures already came from this address in the test above.
    for (let attempt = 0; attempt < 15; attempt += 1) {
      expect((await login(uniqueEmail('spray'), 'wrong password')).status).toBe(401);
    }
    const locked = await login(suite.demo.superAdmin.email, suite.demo.superAdmin.password);
    expect(locked.status).toBe(429);
    expect(locked.body.error.details.limit).toBe('login_failures_per_address');
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
