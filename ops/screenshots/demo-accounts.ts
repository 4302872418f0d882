// The accounts the demo does not seed but the screenshots need: a technician and a reseller of the first
// ISP, created through the API as its owner would (POST /api/v1/users, POST /api/v1/resellers).
import { randomBytes } from 'node:crypto';
import type { DemoTenantJson } from '@kiunga/ops';

/** Random bytes of each made-up password: 16 base64url characters, above the password minimum. */
const PASSWORD_BYTES = 12;

export interface ConsoleCredentials {
  readonly email: string;
  readonly password: string;
}

export interface ScreenshotAccounts {
  readonly technician: ConsoleCredentials;
  readonly reseller: ConsoleCredentials;
}

async function callApi<Body>(
  baseUrl: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<Body> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Body;
}

/** Creates a technician (the built-in technician role) and a reseller with a known password each. */
export async function createScreenshotAccounts(
  baseUrl: string,
  isp: DemoTenantJson,
): Promise<ScreenshotAccounts> {
  const { token } = await callApi<{ token: string }>(baseUrl, 'POST', '/api/v1/auth/login', null, isp.owner);
  const roles = await callApi<{ items: Array<{ id: string; name: string }> }>(
    baseUrl,
    'GET',
    '/api/v1/roles',
    token,
  );
  const role = roles.items.find((candidate) => candidate.name === 'technician');
  if (!role) throw new Error(`the ISP ${isp.slug} has no technician role`);
  const technician = {
    email: `fundi@${isp.slug}.demo`,
    password: randomBytes(PASSWORD_BYTES).toString('base64url'),
  };
  await callApi(baseUrl, 'POST', '/api/v1/users', token, {
    ...technician,
    kind: 'technician',
    roleId: role.id,
  });
  const reseller = {
    email: `kiosk@${isp.slug}.demo`,
    password: randomBytes(PASSWORD_BYTES).toString('base64url'),
  };
  await callApi(baseUrl, 'POST', '/api/v1/resellers', token, {
    name: 'Kiosk Kawangware',
    phone: '0712 555 666',
    ...reseller,
  });
  return { technician, reseller };
}
