// Host routing (issue 15): a request whose Host is an ISP's verified domain is served that ISP's pages —
// `/` its captive portal, `/account…` its customer portal, `/login` its branded sign-in; a Host Kiunga
// does not serve answers 404; Kiunga's own host goes on as before.
import { KiungaError } from '@kiunga/schemas';
import type { Hono, MiddlewareHandler } from 'hono';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { routeHost } from './core';
import { domainRegistryOf, platformHostsOf } from './registry';
import { tenantSlugOf } from './store';

const NO_VERIFIED_DOMAINS: ReadonlyMap<string, string> = new Map();

/** The path a tenant's custom domain serves for `path`: its own pages under the ISP's slug. */
export function tenantPathOf(path: string, slug: string): string {
  if (path === '/') return `/portal/${slug}`;
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  // Pages already under the ISP's slug (its own links) are left as they are.
  if (under(`/account/${slug}`) || under(`/login/${slug}`) || under(`/portal/${slug}`)) return path;
  if (path === '/account' || path.startsWith('/account/'))
    return `/account/${slug}${path.slice('/account'.length)}`;
  if (path === '/login') return `/login/${slug}`;
  return path;
}

/**
 * The first middleware: rewrites a custom domain's request to its ISP's path and sends it through the app
 * again (marked, so it is not rewritten twice); the rest of the app sees an ordinary request.
 */
export function routeByHost(dependencies: ApiDependencies, app: Hono<AppEnv>): MiddlewareHandler<AppEnv> {
  const rewritten = new WeakSet<Request>();
  const platformHosts = platformHostsOf(dependencies);
  return async (context, next) => {
    if (rewritten.has(context.req.raw)) return next();
    const hostHeader = context.req.header('host');
    if (hostHeader === undefined) return next();
    // Kiunga's own host (nearly every request) goes on at once, before any await: awaiting the registry
    // first left a 50 MB upload waiting for its 413 until the client gave up (tests/api-request-edges.test.ts).
    if (routeHost(hostHeader, NO_VERIFIED_DOMAINS, platformHosts).kind === 'platform') return next();
    const verified = await domainRegistryOf(dependencies).verifiedDomains();
    const route = routeHost(hostHeader, verified, platformHosts);
    if (route.kind === 'platform') return next();
    const slug =
      route.kind === 'tenant' ? await tenantSlugOf(dependencies.databases.platform, route.tenantId) : null;
    if (slug === null) throw new KiungaError('not_found', 'This site is not served here.');
    const url = new URL(context.req.url);
    const path = tenantPathOf(url.pathname, slug);
    if (path === url.pathname) return next();
    url.pathname = path;
    const request = new Request(url, context.req.raw);
    rewritten.add(request);
    return app.fetch(request, context.env);
  };
}
