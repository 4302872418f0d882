// Test support for the features' in-process tests (`app.request()`, no server, no socket): the app
// on fresh test databases (SQLite, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres), a manual clock,
// a stand-in for the AAA server with no live sessions, and ISPs and a super admin made through the
// same services as the routes.
import { type AaaControl, createSecretBox, generateMasterKey, ManualClock } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import type { Hono } from 'hono';
import pino from 'pino';
import { createApp } from '../../app';
import { createTenantWithOwner } from '../../features/tenants/service';
import { issueAccessToken } from '../../identity/tokens';
import { createAccount } from '../../identity/users/service';
import type { ApiDependencies, AppEnv } from '../dependencies';

/** A fixed day (no test depends on today's date): 1 March 2030, 09:00 Nairobi. */
export const TEST_START_MS = Date.UTC(2030, 2, 1, 6, 0, 0);
/** What the owner accounts of test ISPs sign in with (at least PASSWORD_LENGTH_MIN characters). */
export const TEST_PASSWORD = 'correct horse battery';

export interface TestIsp {
  tenantId: string;
  ownerId: string;
  /** A Bearer access token of the owner. */
  token: string;
}

export interface InProcessApp {
  app: Hono<AppEnv>;
  dependencies: ApiDependencies;
  clock: ManualClock;
  /** A tier-2 ISP in good standing with its owner; slugs must differ within a file. */
  createIsp(slug: string): Promise<TestIsp>;
  /** A super admin's Bearer token (made on first call). */
  superAdminToken(): Promise<string>;
  /** A JSON request to the app as the holder of `token` (none: anonymous). */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
    // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely and assert on them.
  ): Promise<{ status: number; body: any }>;
  /** Signs in to the web consoles as a browser would (login form, CSRF cookie); the session. */
  signIn(email: string, password: string): Promise<ConsoleSession>;
  /** A console page as the session's browser asks for it: GET, or POST of a form (CSRF field added). */
  page(session: ConsoleSession, path: string, form?: Record<string, string>): Promise<ConsolePage>;
}

export interface ConsoleSession {
  /** The browser's cookies by name: the session, and the flash and draft a redirect leaves. */
  cookies: Map<string, string>;
  csrfToken: string;
}

export interface ConsolePage {
  status: number;
  /** Where a redirect points (303 after most form posts), or null. */
  location: string | null;
  html: string;
}

/** The hidden CSRF field every console form carries. */
function csrfFieldOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

/** Keeps the cookies a response sets (an expired or emptied one is dropped), as a browser does. */
function storeCookies(cookies: Map<string, string>, response: Response): Map<string, string> {
  for (const line of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';');
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator).trim();
    const value = pair.slice(separator + 1).trim();
    const isRemoved = value === '' || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
    if (isRemoved) cookies.delete(name);
    else cookies.set(name, value);
  }
  return cookies;
}

function cookieHeaderOf(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** An AAA server with no NAS online: no live sessions, every CoA finds nothing to act on. */
export const idleAaaControl: AaaControl = {
  isUp: () => true,
  metricsText: async () => '',
  listSessions: async () => [],
  findSession: async () => undefined,
  devicesOfSubject: async () => [],
  disconnectSession: async () => ({ outcome: 'not_found' }),
  changeSessionRate: async () => ({ outcome: 'not_found' }),
  reloadNasRegistry: async () => {},
};

/** For a test file: the app on databases opened before its tests and closed after them. */
export function useInProcessApp(): () => InProcessApp {
  const testDatabases = useTestDatabases();
  let built: InProcessApp | undefined;
  return () => {
    built ??= buildInProcessApp(testDatabases().databases);
    return built;
  };
}

function buildInProcessApp(databases: ApiDependencies['databases']): InProcessApp {
  const clock = new ManualClock(TEST_START_MS);
  const dependencies: ApiDependencies = {
    databases,
    secretBox: createSecretBox(generateMasterKey()),
    clock,
    aaa: idleAaaControl,
    logger: pino({ level: 'silent' }),
    tokenKey: new Uint8Array(32).fill(7),
    publicUrl: 'http://127.0.0.1:9',
    mpesaBaseUrl: null,
  };
  const app = createApp(dependencies);
  const tokenOf = (userId: string) => issueAccessToken(dependencies.tokenKey, userId, clock.now());
  let superAdmin: Promise<string> | undefined;
  return {
    app,
    dependencies,
    clock,
    async createIsp(slug) {
      const { tenantId, ownerId } = await createTenantWithOwner(dependencies, {
        name: `ISP ${slug}`,
        slug,
        tier: 'tier2',
        isTrial: false,
        owner: { email: `owner@${slug}.example`, password: TEST_PASSWORD },
      });
      return { tenantId, ownerId, token: await tokenOf(ownerId) };
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
      const headers: Record<string, string> = {};
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await app.request(path, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await response.text();
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      return { status: response.status, body: isJson && text ? JSON.parse(text) : text };
    },
    async signIn(email, password) {
      const cookies = new Map<string, string>();
      const form = await app.request('/login');
      storeCookies(cookies, form);
      const signedIn = await app.request('/login', {
        method: 'POST',
        headers: { cookie: cookieHeaderOf(cookies), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, password, _csrf: csrfFieldOf(await form.text()) }).toString(),
      });
      storeCookies(cookies, signedIn);
      const home = await app.request(signedIn.headers.get('location') ?? '/', {
        headers: { cookie: cookieHeaderOf(cookies) },
      });
      storeCookies(cookies, home);
      return { cookies, csrfToken: csrfFieldOf(await home.text()) };
    },
    async page(session, path, form) {
      const response = await app.request(path, {
        method: form ? 'POST' : 'GET',
        headers: {
          cookie: cookieHeaderOf(session.cookies),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: new URLSearchParams({ ...form, _csrf: session.csrfToken }).toString() } : {}),
      });
      storeCookies(session.cookies, response);
      return {
        status: response.status,
        location: response.headers.get('location'),
        html: await response.text(),
      };
    },
  };
}
