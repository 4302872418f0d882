// The one test harness for the in-process tests beside the code (`app.request()`, no server, no
// socket): the whole app on fresh test databases (SQLite, or PostgreSQL with
// KIUNGA_TEST_DATABASE=postgres), a manual clock, a stand-in for the AAA server with no live sessions,
// ISPs and a super admin made through the same services as the routes, and console sign-in as a
// browser does it (login form, cookies, CSRF field).
import {
  type AaaControl,
  createSecretBox,
  generateMasterKey,
  ManualClock,
  type SqlDatabase,
} from '@kiunga/schemas';
import { openTestDatabases, stopTestDatabaseServer, type TestDatabases } from '@kiunga/schemas/testing';
import argon2 from 'argon2';
import type { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../app';
import { createTenantWithOwner } from '../../features/tenants/service';
import { deriveTokenKey, issueAccessToken } from '../../identity/tokens';
import { createAccount } from '../../identity/users/service';
import type { ApiDependencies, AppEnv } from '../dependencies';

/** A fixed day (no test depends on today's date): 1 March 2030, 09:00 Nairobi. */
export const TEST_START_MS = Date.UTC(2030, 2, 1, 6, 0, 0);
/** The origin the test app believes it serves; console forms claim it so the same-origin check passes. */
export const TEST_ORIGIN = 'http://kiunga.test';
/** What every test account signs in with (at least PASSWORD_LENGTH_MIN characters). */
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

/** A two-hour hotspot plan as the API takes it, for tests that need a plan to sell vouchers on. */
export const TEST_HOTSPOT_PLAN = {
  name: 'Two hours',
  kind: 'hotspot',
  priceCents: 3_000,
  validitySeconds: 7_200,
  deviceLimit: 2,
  rateUpKbps: 512,
  rateDownKbps: 1_024,
};

/** The AAA server's control interface with no NAS online (no sessions, every CoA finds nothing); a test overrides what it needs. */
export function idleAaaControl(overrides: Partial<AaaControl> = {}): AaaControl {
  return {
    isUp: () => true,
    metricsText: async () => '',
    listSessions: async () => [],
    findSession: async () => undefined,
    devicesOfSubject: async () => [],
    disconnectSession: async () => ({ outcome: 'not_found' }),
    changeSessionRate: async () => ({ outcome: 'not_found' }),
    changeSessionTimeout: async () => ({ outcome: 'not_found' }),
    reloadNasRegistry: async () => {},
    ...overrides,
  };
}

/** A browser's console session: its cookies, and pages and forms sent with them. */
export interface ConsoleBrowser {
  /** The browser's cookies by name: the session, and the flash and draft a redirect leaves. */
  cookies: Map<string, string>;
  csrfToken: string;
  get(path: string): Promise<Response>;
  /** A form post with the session's CSRF field, as the console's pages send it. */
  post(path: string, fields: Record<string, string | string[]>): Promise<Response>;
}

export interface ConsolePage {
  status: number;
  /** Where a redirect points (303 after most form posts), or null. */
  location: string | null;
  html: string;
}

export interface TestIsp {
  tenantId: string;
  slug: string;
  ownerId: string;
  ownerEmail: string;
  /** A Bearer access token of the owner. */
  token: string;
  /** The ISP's own database. */
  database: SqlDatabase;
  /** Calls the API as this ISP's owner (Bearer access token); a body is sent as JSON. */
  request(method: string, path: string, body?: unknown): Promise<Response>;
  /** Signs the owner in to the web console; answers a page reader. */
  openConsole(): Promise<(path: string) => Promise<Response>>;
}

export interface TestApp {
  app: Hono<AppEnv>;
  dependencies: ApiDependencies;
  clock: ManualClock;
  /** A tier-2 ISP in good standing with its owner (password TEST_PASSWORD); slugs must differ within an app. */
  createIsp(slug: string): Promise<TestIsp>;
  /** A super admin's Bearer token (made on first call). */
  superAdminToken(): Promise<string>;
  /** A JSON request to the app as the holder of `token` (none: anonymous), its answer parsed. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely and assert on them.
  ): Promise<{ status: number; body: any }>;
  /** Signs in to the web consoles through the login form, as a browser does. */
  signIn(email: string, password?: string): Promise<ConsoleBrowser>;
  /** A console page as the session's browser asks for it: GET, or POST of a form (CSRF field added). */
  page(session: ConsoleBrowser, path: string, form?: Record<string, string>): Promise<ConsolePage>;
  close(): Promise<void>;
}

/** The hidden CSRF field every console form carries. */
function csrfFieldOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

/** Keeps the cookies a response sets (an expired or emptied one is dropped), as a browser does. */
function keepCookies(cookies: Map<string, string>, response: Response): Response {
  for (const line of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';');
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    const isRemoved = value === '' || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
    if (isRemoved) cookies.delete(name);
    else cookies.set(name, value);
  }
  return response;
}

function cookieHeaderOf(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** A JSON API call with an access token (or none), as an integration makes it; the raw answer. */
async function callApi(
  app: Hono<AppEnv>,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return app.request(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** What a test may choose about its app: the AAA server's answers, and when its clock starts (TEST_START_MS). */
export interface TestAppOptions {
  aaa?: AaaControl;
  startMs?: number;
  /** Configuration a feature's test needs (outside services' base URLs and keys). */
  dependencies?: Partial<Pick<ApiDependencies, 'accounting' | 'smsBaseUrl' | 'mpesaBaseUrl' | 'txtLookup'>>;
  /** KIUNGA_WEBHOOKS_ALLOW_PRIVATE: webhooks to the test's own loopback receiver. */
  webhooksAllowPrivate?: boolean;
  /** KIUNGA_GENIEACS_URL: the platform's shared TR-069 ACS (a test's GenieACS simulator). */
  sharedGenieAcs?: { url: string; username?: string; password?: string };
}

function buildTestApp(opened: TestDatabases, options: TestAppOptions): TestApp {
  const { databases } = opened;
  const clock = new ManualClock(options.startMs ?? TEST_START_MS);
  const masterKey = generateMasterKey();
  const dependencies: ApiDependencies = {
    databases,
    secretBox: createSecretBox(masterKey),
    clock,
    aaa: options.aaa ?? idleAaaControl(),
    logger: pino({ level: 'silent' }),
    tokenKey: deriveTokenKey(masterKey),
    publicUrl: TEST_ORIGIN,
    mpesaBaseUrl: null,
    ...options.dependencies,
    webhooksAllowPrivate: options.webhooksAllowPrivate === true,
    sharedGenieAcs: options.sharedGenieAcs ?? null,
  };
  const app = createApp(dependencies);
  const tokenOf = (userId: string) => issueAccessToken(dependencies.tokenKey, userId, clock.now());
  let superAdmin: Promise<string> | undefined;

  const browserOf = (cookies: Map<string, string>, csrfToken: string): ConsoleBrowser => ({
    cookies,
    csrfToken,
    get: async (path) =>
      keepCookies(cookies, await app.request(path, { headers: { cookie: cookieHeaderOf(cookies) } })),
    post: async (path, fields) => {
      const form = new URLSearchParams({ _csrf: csrfToken });
      for (const [name, value] of Object.entries(fields))
        for (const each of Array.isArray(value) ? value : [value]) form.append(name, each);
      const headers = {
        cookie: cookieHeaderOf(cookies),
        origin: TEST_ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
      };
      return keepCookies(
        cookies,
        await app.request(path, { method: 'POST', headers, body: form.toString() }),
      );
    },
  });

  const testApp: TestApp = {
    app,
    dependencies,
    clock,
    async createIsp(slug) {
      const ownerEmail = `owner@${slug}.example`;
      const { tenantId, ownerId } = await createTenantWithOwner(dependencies, {
        name: `ISP ${slug}`,
        slug,
        tier: 'tier2',
        isTrial: false,
        owner: { email: ownerEmail, password: TEST_PASSWORD },
      });
      await databases.platform.run('UPDATE users SET password_hash = ? WHERE id = ?', [
        await argon2.hash(TEST_PASSWORD, TEST_PASSWORD_HASH_OPTIONS),
        ownerId,
      ]);
      const token = await tokenOf(ownerId);
      return {
        tenantId,
        slug,
        ownerId,
        ownerEmail,
        token,
        database: databases.forTenant(tenantId),
        request: (method, path, body) => callApi(app, token, method, path, body),
        openConsole: async () => (await testApp.signIn(ownerEmail)).get,
      };
    },
    superAdminToken() {
      superAdmin ??= createAccount(
        databases.platform,
        {
          email: 'root@platform.example',
          password: TEST_PASSWORD,
          displayName: 'Super admin',
          kind: 'super_admin',
          tenantId: null,
        },
        clock.now(),
      ).then(tokenOf);
      return superAdmin;
    },
    async request(method, path, options = {}) {
      const response = await callApi(app, options.token ?? null, method, path, options.body);
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      return { status: response.status, body: isJson && text ? JSON.parse(text) : text };
    },
    async signIn(email, password = TEST_PASSWORD) {
      const cookies = new Map<string, string>();
      const form = keepCookies(cookies, await app.request('/login'));
      const signedIn = keepCookies(
        cookies,
        await app.request('/login', {
          method: 'POST',
          headers: {
            cookie: cookieHeaderOf(cookies),
            origin: TEST_ORIGIN,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ email, password, _csrf: csrfFieldOf(await form.text()) }).toString(),
        }),
      );
      if (signedIn.status !== 303) throw new Error(`console sign-in of ${email}: ${signedIn.status}`);
      const home = keepCookies(
        cookies,
        await app.request(signedIn.headers.get('location') ?? '/', {
          headers: { cookie: cookieHeaderOf(cookies) },
        }),
      );
      return browserOf(cookies, csrfFieldOf(await home.text()));
    },
    async page(session, path, form) {
      const response = form ? await session.post(path, form) : await session.get(path);
      return {
        status: response.status,
        location: response.headers.get('location'),
        html: await response.text(),
      };
    },
    close: () => opened.close(),
  };
  return testApp;
}

/** The app on its own fresh databases; the caller closes it. */
export async function openTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return buildTestApp(await openTestDatabases(), options);
}

/**
 * For a test file: the app opened before its tests and closed after them (with the file's PostgreSQL
 * server, if it started one); call the answer inside a test or hook.
 */
export function useTestApp(): () => TestApp {
  let opened: TestApp | undefined;
  beforeAll(async () => {
    opened = await openTestApp();
  });
  afterAll(async () => {
    await opened?.close();
    await stopTestDatabaseServer();
  });
  return () => {
    if (!opened) throw new Error('useTestApp: the app opens in beforeAll');
    return opened;
  };
}

export interface TwoIspApp extends TestApp {
  /** Two ISPs on Tier 2: A to act on, B to show A's rows stay A's. */
  ispA: TestIsp;
  ispB: TestIsp;
}

/** The app with ISPs `<prefix>-a` and `<prefix>-b` made; the caller closes it. */
export async function openTwoIspApp(options: TestAppOptions & { prefix?: string } = {}): Promise<TwoIspApp> {
  const testApp = await openTestApp(options);
  const prefix = options.prefix ?? 'isp';
  return Object.assign(testApp, {
    ispA: await testApp.createIsp(`${prefix}-a`),
    ispB: await testApp.createIsp(`${prefix}-b`),
  });
}

/** For a test file: openTwoIspApp before its tests, closed after them. */
export function useTwoIspApp(prefix: string): () => TwoIspApp {
  let opened: TwoIspApp | undefined;
  beforeAll(async () => {
    opened = await openTwoIspApp({ prefix });
  });
  afterAll(async () => {
    await opened?.close();
    await stopTestDatabaseServer();
  });
  return () => {
    if (!opened) throw new Error('useTwoIspApp: the app opens in beforeAll');
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
  return (method: string, path: string, body?: unknown) => callApi(testApp.app, token, method, path, body);
}

/** Signs in through POST /api/v1/auth/login and answers the access token. */
export async function signInWithToken(testApp: TestApp, email: string, password = TEST_PASSWORD) {
  const response = await callApi(testApp.app, null, 'POST', '/api/v1/auth/login', { email, password });
  if (response.status !== 200)
    throw new Error(`sign-in of ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
