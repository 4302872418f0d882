// Turning two-factor sign-in on or off asks for the current password and signs out the account's
// other sessions (refresh tokens and console cookies) while the caller goes on; access tokens must
// carry `exp`. In-process with a clock the test moves, so every TOTP step is chosen, not waited for.
import { createHmac } from 'node:crypto';
import { type createApp, deriveTokenKey } from '@kiunga/control-api';
import { ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessKiunga, startInProcess } from './support/in-process';
import { type DemoJson, makeDataDir, removeDataDir, seedDemo } from './support/kiunga-process';
import { totpCode } from './support/totp';

const STEP_MS = 30_000;
const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
let dataDir: string;
let demo: DemoJson;
let kiunga: InProcessKiunga;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  kiunga = await startInProcess({ dataDir, clock });
  app = kiunga.app;
});

afterAll(async () => {
  await kiunga?.stop();
  removeDataDir(dataDir);
});

type Credentials = { email: string; password: string; totp?: string };
interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely and assert on them.
  body: any;
  headers: Headers;
}

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await app.request(path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const signIn = async (credentials: Credentials) => {
  const answer = await call('POST', '/api/v1/auth/login', {}, credentials);
  expect(answer.status).toBe(200);
  return answer.body as { token: string; refreshToken: string };
};
const refresh = (refreshToken: string) => call('POST', '/api/v1/auth/refresh', {}, { refreshToken });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function startBrowserSession(credentials: Credentials) {
  const answer: Answer = await call('POST', '/api/v1/auth/session', {}, credentials);
  expect(answer.status).toBe(200);
  const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, headers: { cookie, 'x-csrf-token': answer.body.csrfToken as string } };
}

describe('turning two-factor sign-in on and off', () => {
  it('asks for the current password, ends the other sessions and gives a token caller a new pair', async () => {
    const owner = demo.tenants[0]!.owner;
    const caller = await signIn(owner);
    const otherDevice = await signIn(owner);
    const otherBrowser = await startBrowserSession(owner);
    const secret = (await call('POST', '/api/v1/auth/totp/setup', bearer(caller.token))).body
      .secret as string;
    const code = totpCode(secret, clock.now());
    const confirm = (body: Record<string, string>) =>
      call('POST', '/api/v1/auth/totp/confirm', bearer(caller.token), body);

    const withoutPassword = await confirm({ code });
    expect(withoutPassword.status).toBe(400);
    expect(withoutPassword.body.error.code).toBe('validation_failed');
    const wrongPassword = await confirm({ code, currentPassword: 'not the password' });
    expect(wrongPassword.status).toBe(403);
    expect(wrongPassword.body.error.message).toBe('The current password is wrong.');
    expect((await refresh(otherDevice.refreshToken)).status).toBe(200);
    const stillOther = await signIn(owner);

    const confirmed = await confirm({ code, currentPassword: owner.password });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.totpEnabled).toBe(true);
    expect((await refresh(stillOther.refreshToken)).status).toBe(401);
    expect((await call('GET', '/api/v1/me', { cookie: otherBrowser.cookie })).status).toBe(401);
    expect((await refresh(caller.refreshToken)).status).toBe(401);
    const renewed = await refresh(confirmed.body.tokens.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await call('GET', '/api/v1/me', bearer(renewed.body.token))).status).toBe(200);
    expect((await call('POST', '/api/v1/auth/login', {}, owner)).body.error.code).toBe('totp_required');
  });

  it('a console caller keeps its own cookie session, turning it on and then off', async () => {
    const owner = demo.tenants[1]!.owner;
    const browser = await startBrowserSession(owner);
    const post = (path: string, body: Record<string, string>) =>
      call('POST', `/api/v1/auth/totp/${path}`, browser.headers, body);
    const secret = (await post('setup', {})).body.secret as string;
    const otherDevice = await signIn(owner);
    const enabled = await post('confirm', {
      code: totpCode(secret, clock.now()),
      currentPassword: owner.password,
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toEqual({ totpEnabled: true });
    expect((await call('GET', '/api/v1/me', { cookie: browser.cookie })).status).toBe(200);
    expect((await refresh(otherDevice.refreshToken)).status).toBe(401);

    clock.advance(STEP_MS);
    const anotherDevice = await signIn({ ...owner, totp: totpCode(secret, clock.now()) });
    clock.advance(STEP_MS);
    const code = totpCode(secret, clock.now());
    expect((await post('disable', { code, currentPassword: 'not the password' })).status).toBe(403);
    const disabled = await post('disable', { code, currentPassword: owner.password });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({ totpEnabled: false });
    expect((await call('GET', '/api/v1/me', { cookie: browser.cookie })).status).toBe(200);
    expect((await refresh(anotherDevice.refreshToken)).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', {}, owner)).status).toBe(200);
  });
});

describe('access tokens', () => {
  it('a correctly signed token without exp is refused 401', async () => {
    const key = deriveTokenKey(kiunga.masterKey);
    const issued = await signIn(demo.superAdmin);
    const subject = JSON.parse(Buffer.from(issued.token.split('.')[1] ?? '', 'base64url').toString()).sub;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const sign = (payload: Record<string, unknown>) => {
      const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
      return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
    };
    const issuedAt = Math.floor(clock.now() / 1000);
    const claims = { use: 'access', sub: subject, iss: 'kiunga', iat: issuedAt };
    expect((await call('GET', '/api/v1/me', bearer(sign({ ...claims, exp: issuedAt + 60 })))).status).toBe(
      200,
    );
    const forever = await call('GET', '/api/v1/me', bearer(sign(claims)));
    expect(forever.status).toBe(401);
    expect(forever.body.error.code).toBe('unauthenticated');
  });
});
