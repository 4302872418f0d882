// /api/v1/auth in-process: sign-in, refresh, sign-out, a console session, one's own password and
// two-factor sign-in, as an API client sees them (app.request() on test databases, no server).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  errorCodeOf,
  jsonOf,
  signInWithToken,
  TEST_PASSWORD,
  type TestApp,
  type TestIsp,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';
import { totpCodeAt } from '../totp';

const opened = useTwoIspApp('sign-in');
let testApp: TestApp;
let ispA: TestIsp;
let ispB: TestIsp;

beforeAll(() => {
  testApp = opened();
  ({ ispA, ispB } = opened());
});

interface TokenAnswer {
  token: string;
  refreshToken: string;
  kind: string;
  tenantId: string | null;
  mustChangePassword: boolean;
}

/** A six-digit code no authenticator shows now (the current step or one either side). */
function wrongCodeFor(secret: string, nowMs: number): string {
  const valid = [-30_000, 0, 30_000].map((offsetMs) => totpCodeAt(secret, nowMs + offsetMs));
  return ['000000', '111111', '222222', '333333'].find((code) => !valid.includes(code)) ?? '444444';
}

describe('sign-in with tokens', () => {
  it('answers a token pair and who signed in; the token opens the API', async () => {
    const response = await apiClient(testApp, null)('POST', '/api/v1/auth/login', {
      email: ` ${ispA.ownerEmail.toUpperCase()} `,
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(200);
    const answer = await jsonOf<TokenAnswer>(response);
    expect(answer).toMatchObject({ kind: 'isp_owner', tenantId: ispA.tenantId, mustChangePassword: false });
    const me = await apiClient(testApp, answer.token)('GET', '/api/v1/me');
    expect(await jsonOf<{ id: string }>(me)).toMatchObject({ id: ispA.ownerId });
  });

  it('refuses a wrong password with 401 and a malformed body with 400 validation_failed', async () => {
    const call = apiClient(testApp, null);
    const wrong = await call('POST', '/api/v1/auth/login', { email: ispA.ownerEmail, password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(await errorCodeOf(wrong)).toBe('unauthenticated');
    const malformed = await call('POST', '/api/v1/auth/login', { email: 'not an email', password: '' });
    expect(malformed.status).toBe(400);
    expect(await errorCodeOf(malformed)).toBe('validation_failed');
  });

  it('trades a refresh token once for a new pair, and signs out with it', async () => {
    const call = apiClient(testApp, null);
    const first = await jsonOf<TokenAnswer>(
      await call('POST', '/api/v1/auth/login', { email: ispB.ownerEmail, password: TEST_PASSWORD }),
    );
    const refreshed = await call('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(refreshed.status).toBe(200);
    const second = await jsonOf<TokenAnswer>(refreshed);
    expect(second).toMatchObject({ kind: 'isp_owner', tenantId: ispB.tenantId });
    const replayed = await call('POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(replayed.status).toBe(401);
    expect((await call('POST', '/api/v1/auth/logout', { refreshToken: second.refreshToken })).status).toBe(
      204,
    );
    const afterLogout = await call('POST', '/api/v1/auth/refresh', { refreshToken: second.refreshToken });
    expect(afterLogout.status).toBe(401);
  });

  it('starts a console cookie session that answers the CSRF token and the console home', async () => {
    const response = await apiClient(testApp, null)('POST', '/api/v1/auth/session', {
      email: ispA.ownerEmail,
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(await jsonOf<{ home: string; csrfToken: string }>(response)).toMatchObject({
      home: '/isp',
      csrfToken: expect.any(String),
    });
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/i);
  });
});

describe("one's own password", () => {
  it('changes it: the old one stops working, the caller gets new tokens, other sessions end', async () => {
    const isp = await testApp.createIsp('own-password');
    const otherDevice = await jsonOf<TokenAnswer>(
      await apiClient(testApp, null)('POST', '/api/v1/auth/login', {
        email: isp.ownerEmail,
        password: TEST_PASSWORD,
      }),
    );
    const token = await signInWithToken(testApp, isp.ownerEmail);
    const newPassword = 'a brand new passphrase';
    const changed = await apiClient(testApp, token)('POST', '/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword,
    });
    expect(changed.status).toBe(200);
    const answer = await jsonOf<{ changed: boolean; tokens: { refreshToken: string } }>(changed);
    expect(answer.changed).toBe(true);
    expect(answer.tokens.refreshToken).toEqual(expect.any(String));
    const call = apiClient(testApp, null);
    expect(
      (await call('POST', '/api/v1/auth/refresh', { refreshToken: otherDevice.refreshToken })).status,
    ).toBe(401);
    expect(
      (await call('POST', '/api/v1/auth/refresh', { refreshToken: answer.tokens.refreshToken })).status,
    ).toBe(200);
    expect(
      (await call('POST', '/api/v1/auth/login', { email: isp.ownerEmail, password: TEST_PASSWORD })).status,
    ).toBe(401);
    expect(
      (await call('POST', '/api/v1/auth/login', { email: isp.ownerEmail, password: newPassword })).status,
    ).toBe(200);
  });

  it('refuses a wrong current password (403), the same password again and a short one (400)', async () => {
    const call = apiClient(testApp, await signInWithToken(testApp, ispA.ownerEmail));
    const wrong = await call('POST', '/api/v1/auth/password', {
      currentPassword: 'not the password',
      newPassword: 'another passphrase',
    });
    expect(wrong.status).toBe(403);
    const same = await call('POST', '/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    expect(same.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(same)).error.message).toMatch(/different/);
    const short = await call('POST', '/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
  });

  it("changes only the caller's own account: the other ISP's owner still signs in", async () => {
    const isp = await testApp.createIsp('own-password-two');
    const call = apiClient(testApp, await signInWithToken(testApp, isp.ownerEmail));
    const changed = await call('POST', '/api/v1/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'yet another passphrase',
    });
    expect(changed.status).toBe(200);
    expect(await signInWithToken(testApp, ispB.ownerEmail)).toEqual(expect.any(String));
  });
});

describe('two-factor sign-in', () => {
  it('is set up, confirmed with a code and the password, then asked for at sign-in, and turned off', async () => {
    const isp = await testApp.createIsp('two-factor');
    const call = apiClient(testApp, await signInWithToken(testApp, isp.ownerEmail));
    const setup = await jsonOf<{ secret: string; otpauthUrl: string }>(
      await call('POST', '/api/v1/auth/totp/setup'),
    );
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const badCode = await call('POST', '/api/v1/auth/totp/confirm', {
      code: wrongCodeFor(setup.secret, testApp.clock.now()),
      currentPassword: TEST_PASSWORD,
    });
    expect(badCode.status).toBe(400);
    expect(await errorCodeOf(badCode)).toBe('invalid_totp');
    const confirmed = await call('POST', '/api/v1/auth/totp/confirm', {
      code: totpCodeAt(setup.secret, testApp.clock.now()),
      currentPassword: TEST_PASSWORD,
    });
    expect(confirmed.status).toBe(200);
    const confirmation = await jsonOf<{ totpEnabled: boolean; tokens: { token: string } }>(confirmed);
    expect(confirmation.totpEnabled).toBe(true);
    const withoutCode = await apiClient(testApp, null)('POST', '/api/v1/auth/login', {
      email: isp.ownerEmail,
      password: TEST_PASSWORD,
    });
    expect(await errorCodeOf(withoutCode)).toBe('totp_required');
    expect((await call('POST', '/api/v1/auth/totp/setup')).status).toBe(409);

    testApp.clock.advance(30_000);
    const renewed = apiClient(testApp, confirmation.tokens.token);
    const disabled = await renewed('POST', '/api/v1/auth/totp/disable', {
      code: totpCodeAt(setup.secret, testApp.clock.now()),
      currentPassword: TEST_PASSWORD,
    });
    expect(disabled.status).toBe(200);
    expect((await jsonOf<{ totpEnabled: boolean }>(disabled)).totpEnabled).toBe(false);
    expect(await signInWithToken(testApp, isp.ownerEmail)).toEqual(expect.any(String));
  });

  it('refuses a code that is not six digits (400) and turning off what is not on (409)', async () => {
    const call = apiClient(testApp, await signInWithToken(testApp, ispB.ownerEmail));
    const malformed = await call('POST', '/api/v1/auth/totp/confirm', {
      code: '12ab',
      currentPassword: TEST_PASSWORD,
    });
    expect(malformed.status).toBe(400);
    expect(await errorCodeOf(malformed)).toBe('validation_failed');
    const notOn = await call('POST', '/api/v1/auth/totp/disable', {
      code: '123456',
      currentPassword: TEST_PASSWORD,
    });
    expect(notOn.status).toBe(409);
  });

  it('needs a signed-in caller', async () => {
    expect((await apiClient(testApp, null)('POST', '/api/v1/auth/totp/setup')).status).toBe(401);
  });
});
