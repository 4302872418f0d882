// For in-process tests beside the code: the whole app on fresh test databases (SQLite, or PostgreSQL
// with KIUNGA_TEST_DATABASE=postgres), a manual clock and no AAA server, driven with app.request().
import {
  type AaaControl,
  createSecretBox,
  generateMasterKey,
  ManualClock,
  type SqlDatabase,
} from '@kiunga/schemas';
import { openTestDatabases } from '@kiunga/schemas/testing';
import argon2 from 'argon2';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from './app';
import { createTenantWithOwner } from './features/tenants/service';
import { deriveTokenKey } from './identity/tokens';
import type { ApiDependencies } from './kernel/dependencies';

/** The origin the test app believes it serves; console forms claim it so the same-origin check passes. */
export const TEST_ORIGIN = 'http://kiunga.test';
/** A password every test account shares: long enough for the password rule. */
export const TEST_PASSWORD = 'correct horse battery';

/**
 * Test accounts' password hashes: argon2id at the smallest cost (1 MiB, one pass) instead of the
 * production 64 MiB × 3, which takes seconds on a loaded test machine. The hash names its own
 * parameters, so sign-ins still run the production verifyPassword.
 */
const TEST_PASSWORD_HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 1_024,
  timeCost: 1,
  parallelism: 1,
} as const;

/** No AAA server in a unit test: nobody is online, and a CoA finds no session. */
const offlineAaa: AaaControl = {
  isUp: () => true,
  metricsText: async () => '',
  listSessions: async () => [],
  findSession: async () => undefined,
  devicesOfSubject: async () => [],
  disconnectSession: async () => ({ outcome: 'not_found' }),
  changeSessionRate: async () => ({ outcome: 'not_found' }),
  reloadNasRegistry: async () => {},
};

export interface TestApp {
  app: ReturnType<typeof createApp>;
  dependencies: ApiDependencies;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function openTestApp(): Promise<TestApp> {
  const opened = await openTestDatabases();
  const masterKey = generateMasterKey();
  const clock = new ManualClock();
  const dependencies: ApiDependencies = {
    databases: opened.databases,
    secretBox: createSecretBox(masterKey),
    clock,
    aaa: offlineAaa,
    logger: pino({ level: 'silent' }),
    tokenKey: deriveTokenKey(masterKey),
    publicUrl: TEST_ORIGIN,
    mpesaBaseUrl: null,
  };
  return { app: createApp(dependencies), dependencies, clock, close: () => opened.close() };
}

export interface TestIsp {
  tenantId: string;
  slug: string;
  ownerId: string;
  ownerEmail: string;
  database: SqlDatabase;
}

/** An active Tier 2 ISP and its owner (password TEST_PASSWORD), made as the platform console makes one. */
export async function createTestIsp(testApp: TestApp, slug: string): Promise<TestIsp> {
  const ownerEmail = `owner@${slug}.test`;
  const { tenantId, ownerId } = await createTenantWithOwner(testApp.dependencies, {
    name: `ISP ${slug}`,
    slug,
    tier: 'tier2',
    isTrial: false,
    owner: { email: ownerEmail, password: TEST_PASSWORD },
  });
  await testApp.dependencies.databases.platform.run('UPDATE users SET password_hash = ? WHERE id = ?', [
    await argon2.hash(TEST_PASSWORD, TEST_PASSWORD_HASH_OPTIONS),
    ownerId,
  ]);
  return {
    tenantId,
    slug,
    ownerId,
    ownerEmail,
    database: testApp.dependencies.databases.forTenant(tenantId),
  };
}

export interface TwoIsps {
  testApp: TestApp;
  ispA: TestIsp;
  ispB: TestIsp;
}

/**
 * For a test file: an app with two ISPs (slugs `<prefix>-a` and `<prefix>-b`, for isolation cases)
 * made before its tests and closed after them; call the returned function inside a test or hook.
 */
export function useTwoIsps(prefix: string): () => TwoIsps {
  let opened: TwoIsps | undefined;
  beforeAll(async () => {
    const testApp = await openTestApp();
    opened = {
      testApp,
      ispA: await createTestIsp(testApp, `${prefix}-a`),
      ispB: await createTestIsp(testApp, `${prefix}-b`),
    };
  });
  afterAll(() => opened?.testApp.close());
  return () => {
    if (!opened) throw new Error('useTwoIsps: the app opens in beforeAll');
    return opened;
  };
}

export async function jsonOf<Body>(response: Response): Promise<Body> {
  return (await response.json()) as Body;
}

/** The code of an API error answer ({"error":{"code","message"}}). */
export async function errorCodeOf(response: Response): Promise<string> {
  return (await jsonOf<{ error: { code: string } }>(response)).error.code;
}

/** JSON API calls with an access token (or none), as an integration would make them. */
export function apiClient(testApp: TestApp, token: string | null) {
  return (method: string, path: string, body?: unknown) =>
    testApp.app.request(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** Signs in through POST /api/v1/auth/login and answers the access token. */
export async function signInWithToken(testApp: TestApp, email: string, password = TEST_PASSWORD) {
  const response = await apiClient(testApp, null)('POST', '/api/v1/auth/login', { email, password });
  if (response.status !== 200)
    throw new Error(`sign-in of ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export interface ConsoleBrowser {
  get(path: string): Promise<Response>;
  /** A form post with the session's CSRF token, as the console's pages send it. */
  post(path: string, fields: Record<string, string | string[]>): Promise<Response>;
}

/** Cookies as a browser keeps them across responses (session, flash, draft), by name. */
function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    keep(response: Response): Response {
      for (const line of response.headers.getSetCookie()) {
        const [pair = '', ...attributes] = line.split(';');
        const [name = '', value = ''] = pair.split(/=(.*)/s, 2);
        const isExpired =
          value === '' || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
        if (isExpired) cookies.delete(name.trim());
        else cookies.set(name.trim(), value);
      }
      return response;
    },
  };
}

/** A console cookie session (POST /api/v1/auth/session), then pages and forms as a browser sends them. */
export async function signInToConsole(
  testApp: TestApp,
  email: string,
  password = TEST_PASSWORD,
): Promise<ConsoleBrowser> {
  const jar = cookieJar();
  const response = jar.keep(
    await apiClient(testApp, null)('POST', '/api/v1/auth/session', { email, password }),
  );
  if (response.status !== 200)
    throw new Error(`console sign-in: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return {
    get: async (path) => jar.keep(await testApp.app.request(path, { headers: { cookie: jar.header() } })),
    post: async (path, fields) => {
      const form = new URLSearchParams({ _csrf: csrfToken });
      for (const [name, value] of Object.entries(fields))
        for (const each of Array.isArray(value) ? value : [value]) form.append(name, each);
      const headers = {
        cookie: jar.header(),
        origin: TEST_ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
      };
      return jar.keep(await testApp.app.request(path, { method: 'POST', headers, body: form.toString() }));
    },
  };
}
