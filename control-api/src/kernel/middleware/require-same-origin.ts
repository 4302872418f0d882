// Refuses unsafe requests (POST, PUT, PATCH, DELETE) that a browser sends from another website,
// before any route reads them: a cross-site form can neither sign a victim in (login CSRF) nor act
// with their console or account cookie. Defence in depth beside the synchronizer CSRF token.
import { KiungaError } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import { isSafeMethod } from '../../identity/console-sessions';
import { claimedOriginOf, isAllowedOrigin } from '../../identity/origin';
import type { ApiDependencies } from '../dependencies';
import { BEARER_PREFIX } from './authenticate';

export interface RequireSameOriginOptions {
  /**
   * Server-to-server paths (M-Pesa callbacks): no cookie, no browser, and a payment system's
   * request is never refused for a header it happened to send.
   */
  exemptPathPrefixes: readonly string[];
}

/**
 * A request passes when its method is safe, it carries a Bearer token or API key (a header other
 * sites cannot make a browser send), or the origin it claims (Origin, else Referer) is this site's
 * (`isAllowedOrigin`: the request's Host or KIUNGA_PUBLIC_URL). A request claiming no origin at
 * all comes from no browser (browsers send Origin on every unsafe request), so it carries no
 * victim's cookie and passes; its own credentials decide.
 */
export function requireSameOrigin(
  dependencies: Pick<ApiDependencies, 'publicUrl'>,
  options: RequireSameOriginOptions,
): MiddlewareHandler {
  return async (context, next) => {
    if (isSafeMethod(context.req.method)) return next();
    if (context.req.header('authorization')?.startsWith(BEARER_PREFIX)) return next();
    const path = context.req.path;
    if (options.exemptPathPrefixes.some((prefix) => path.startsWith(prefix))) return next();
    const origin = claimedOriginOf(context.req.header('origin'), context.req.header('referer'));
    if (origin === undefined) return next();
    const host = context.req.header('host') ?? new URL(context.req.url).host;
    if (!isAllowedOrigin(origin, host, dependencies.publicUrl)) throw new KiungaError('cross_site_request');
    return next();
  };
}
