// Helpers for identity and platform end-to-end tests: tokens, staff accounts, console cookies.
import { type ApiClient, apiRequest, clientWithToken, login } from './api-client';

export type { ApiClient };
export { apiRequest, clientWithToken, login };

let accountSequence = 0;

/** A unique email for an account created in a test. */
export function uniqueEmail(label: string): string {
  accountSequence += 1;
  return `${label}-${process.pid}-${accountSequence}@test.kiunga.example`;
}

/** Creates a staff account with the named role through the API, then signs it in. */
export async function createAccount(
  baseUrl: string,
  manager: ApiClient,
  options: { scope: 'isp' | 'platform'; kind: string; roleName: string },
): Promise<{ id: string; email: string; password: string; client: ApiClient }> {
  const prefix = options.scope === 'platform' ? '/api/v1/platform' : '/api/v1';
  const roles = await manager.get(`${prefix}/roles`);
  if (roles.status !== 200) throw new Error(`roles: ${roles.status} ${roles.text}`);
  const role = (roles.body.items as Array<{ id: string; name: string }>).find(
    (r) => r.name === options.roleName,
  );
  if (!role) throw new Error(`no role ${options.roleName}`);
  const email = uniqueEmail(options.roleName);
  const password = 'correct horse battery';
  const created = await manager.post(`${prefix}/users`, {
    email,
    password,
    kind: options.kind,
    roleId: role.id,
  });
  if (created.status !== 201) throw new Error(`create user: ${created.status} ${created.text}`);
  return { id: created.body.id, email, password, client: await login(baseUrl, { email, password }) };
}

/** A console cookie session started through POST /api/v1/auth/session. */
export async function cookieSession(
  baseUrl: string,
  credentials: { email: string; password: string },
): Promise<{ cookie: string; csrfToken: string; setCookie: string }> {
  const response = await fetch(`${baseUrl}/api/v1/auth/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (response.status !== 200) throw new Error(`session: ${response.status} ${await response.text()}`);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: setCookie.split(';')[0] ?? '', csrfToken: body.csrfToken, setCookie };
}
