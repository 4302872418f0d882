// Authentication middleware: a Bearer access token becomes the request's Principal, or 401.
import { KiungaError } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import type { ApiDependencies, AppEnv } from '../dependencies';
import { loadUserPrincipal } from '../identity/principals';
import { verifyAccessToken } from '../identity/tokens';

const BEARER_PREFIX = 'Bearer ';

export function authenticate(dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const header = context.req.header('authorization');
    if (!header?.startsWith(BEARER_PREFIX)) throw new KiungaError('unauthenticated');
    const subject = await verifyAccessToken(
      dependencies.tokenKey,
      header.slice(BEARER_PREFIX.length).trim(),
      dependencies.clock.now(),
    );
    const principal = subject === null ? null : loadUserPrincipal(dependencies.platform, subject);
    if (!principal) throw new KiungaError('unauthenticated', 'Your session has ended. Sign in again.');
    context.set('principal', principal);
    await next();
  };
}
