// Authentication middleware: a Bearer access token, a Bearer API key (`kiu_…`) or a console
// session cookie becomes the request's Principal, or 401. Cookie requests must echo the CSRF
// token on unsafe methods; users of a suspended ISP may read but not write; an account whose
// password a superior set gets 403 password_change_required until it picks its own.
import { KiungaError } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import { apiKeyPrincipal, isApiKeyToken } from '../../identity/api-keys/service';
import {
  assertTenantWritable,
  cookieSessionPrincipal,
  hasValidCsrfToken,
  isSafeMethod,
} from '../../identity/console-sessions';
import { loadUserPrincipal } from '../../identity/principals';
import { verifyAccessToken } from '../../identity/tokens';
import type { ApiDependencies, AppEnv } from '../dependencies';

export const BEARER_PREFIX = 'Bearer ';

export interface AuthenticateOptions {
  /**
   * Only for the route that changes one's own password: it must work while a change is required,
   * and for users of a suspended ISP (it writes nothing of the ISP's).
   */
  isOwnPasswordRoute?: boolean;
}

export function authenticate(
  dependencies: ApiDependencies,
  options: AuthenticateOptions = {},
): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const header = context.req.header('authorization');
    if (header?.startsWith(BEARER_PREFIX)) {
      const token = header.slice(BEARER_PREFIX.length).trim();
      if (isApiKeyToken(token)) {
        const principal = await apiKeyPrincipal(dependencies, token);
        if (!principal) throw new KiungaError('unauthenticated', 'This API key is not valid or was revoked.');
        context.set('principal', principal);
        context.set('authMethod', 'api_key');
      } else {
        const subject = await verifyAccessToken(dependencies.tokenKey, token, dependencies.clock.now());
        const principal =
          subject === null ? null : await loadUserPrincipal(dependencies.databases.platform, subject);
        if (!principal) throw new KiungaError('unauthenticated', 'Your session has ended. Sign in again.');
        context.set('principal', principal);
        context.set('authMethod', 'token');
      }
      context.set('csrfToken', null);
    } else {
      const session = await cookieSessionPrincipal(dependencies, context);
      if (!session) throw new KiungaError('unauthenticated');
      context.set('principal', session.principal);
      context.set('authMethod', 'cookie');
      context.set('csrfToken', session.csrfToken);
      if (!isSafeMethod(context.req.method) && !(await hasValidCsrfToken(context, session.csrfToken))) {
        throw new KiungaError('csrf_failed');
      }
    }
    const principal = context.get('principal');
    if (options.isOwnPasswordRoute) return next();
    if (principal.mustChangePassword) throw new KiungaError('password_change_required');
    assertTenantWritable(principal, context.req.method);
    await next();
  };
}
