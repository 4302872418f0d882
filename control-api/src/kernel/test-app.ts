// For the in-process tests beside each feature (app.request(), no server, no socket): the whole app
// on fresh test databases (SQLite, or PostgreSQL with KIUNGA_TEST_DATABASE=postgres), with two ISPs
// whose owners are signed in, a clock the test moves, and a stand-in for the AAA server's small
// control interface (no sessions unless a test gives some).
import { type AaaControl, createSecretBox, ManualClock } from '@kiunga/schemas';
import { openTestDatabases, type TestDatabases } from '@kiunga/schemas/testing';
import pino from 'pino';
import { createApp } from '../app';
import { createTenantWithOwner } from '../features/tenants/service';
import { deriveTokenKey } from '../identity/tokens';
import type { ApiDependencies } from './dependencies';

/** A fixed key: the test databases are thrown away, nothing sealed with it outlives the test. */
const TEST_MASTER_KEY = 'a'.repeat(64);
const OWNER_PASSWORD = 'correct horse battery staple';

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

export interface TestIsp {
  tenantId: string;
  ownerId: string;
  /** Calls the API as this ISP's owner (Bearer access token); a body is sent as JSON. */
  request(method: string, path: string, body?: unknown): Promise<Response>;
  /** Signs the owner in to the web console (the sign-in form, as a browser does); answers a page reader. */
  openConsole(): Promise<(path: string) => Promise<Response>>;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  dependencies: ApiDependencies;
  clock: ManualClock;
  /** Two ISPs on Tier 2 (hotspot and PPPoE): A to act on, B to show A's rows stay A's. */
  ispA: TestIsp;
  ispB: TestIsp;
  close(): Promise<void>;
}

/** The AAA server's control interface with no live sessions; a test overrides what it needs. */
export function idleAaaControl(overrides: Partial<AaaControl> = {}): AaaControl {
  return {
    isUp: () => true,
    metricsText: async () => '',
    listSessions: async () => [],
    findSession: async () => undefined,
    devicesOfSubject: async () => [],
    disconnectSession: async () => ({ outcome: 'not_found' }),
    changeSessionRate: async () => ({ outcome: 'not_found' }),
    reloadNasRegistry: async () => {},
    ...overrides,
  };
}

export async function openTestApp(options: { aaa?: AaaControl } = {}): Promise<TestApp> {
  const opened: TestDatabases = await openTestDatabases();
  const clock = new ManualClock();
  const dependencies: ApiDependencies = {
    databases: opened.databases,
    secretBox: createSecretBox(TEST_MASTER_KEY),
    clock,
    aaa: options.aaa ?? idleAaaControl(),
    logger: pino({ level: 'silent' }),
    tokenKey: deriveTokenKey(TEST_MASTER_KEY),
    publicUrl: 'http://127.0.0.1:9',
    mpesaBaseUrl: null,
  };
  const app = createApp(dependencies);
  const ispOf = async (slug: string): Promise<TestIsp> => {
    const email = `owner@${slug}.test`;
    const { tenantId, ownerId } = await createTenantWithOwner(dependencies, {
      name: `ISP ${slug}`,
      slug,
      tier: 'tier2',
      isTrial: false,
      owner: { email, password: OWNER_PASSWORD },
    });
    const login = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: OWNER_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`test owner sign-in failed: ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };
    return {
      tenantId,
      ownerId,
      request: async (method, path, body) =>
        app.request(path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      openConsole: () => signInToConsole(app, email),
    };
  };
  const ispA = await ispOf('isp-a');
  const ispB = await ispOf('isp-b');
  return { app, dependencies, clock, ispA, ispB, close: () => opened.close() };
}

/** "name=value" of each Set-Cookie of a response, for the next request's Cookie header. */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0] ?? '');
}

async function signInToConsole(
  app: ReturnType<typeof createApp>,
  email: string,
): Promise<(path: string) => Promise<Response>> {
  const form = await app.request('/login');
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const signedIn = await app.request('/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form).join('; ') },
    body: new URLSearchParams({ email, password: OWNER_PASSWORD, _csrf: csrfToken }).toString(),
  });
  const cookie = cookiesOf(signedIn).join('; ');
  if (signedIn.status !== 303 || !cookie) throw new Error(`test console sign-in failed: ${signedIn.status}`);
  return async (path) => app.request(path, { headers: { cookie } });
}
