// POST /api/v1/auth/login: email + password → access token.
import { KiungaError } from '@kiunga/schemas';
import argon2 from 'argon2';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies, AppEnv } from '../dependencies';
import { loadUserPrincipal } from '../identity/principals';
import { issueAccessToken } from '../identity/tokens';
import { parseJsonBody } from '../validation';

const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

/** Verifying against this keeps the time of an unknown email like that of a wrong password. */
let dummyHash: Promise<string> | null = null;

export function authRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/login', async (context) => {
    const { email, password } = await parseJsonBody(context, loginSchema);
    const user = dependencies.platform.sqlite
      .prepare('SELECT id, password_hash AS passwordHash FROM users WHERE email = ?')
      .get(email) as { id: string; passwordHash: string } | undefined;
    dummyHash ??= argon2.hash('kiunga-dummy-password', { type: argon2.argon2id });
    const isValid = await argon2.verify(user?.passwordHash ?? (await dummyHash), password);
    const principal = user && isValid ? loadUserPrincipal(dependencies.platform, user.id) : null;
    if (!principal) throw new KiungaError('unauthenticated', 'Wrong email or password.');
    const token = await issueAccessToken(dependencies.tokenKey, principal.id, dependencies.clock.now());
    return context.json({ token, tokenType: 'Bearer', kind: principal.kind, tenantId: principal.tenantId });
  });
  return routes;
}
