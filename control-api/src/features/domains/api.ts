// An ISP's own domain (issue 15): GET/PUT/DELETE /api/v1/settings/domain, POST .../verify (429 with
// Retry-After within 10 s of the last check), and the TLS proxy's GET /tls/ask?domain= (no sign-in).
import { Hono } from 'hono';
import { setRetryAfter } from '../../identity/login-limits';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantIdOf } from '../../kernel/tenant-access';
import { tlsAskStatus } from './core';
import { domainRegistryOf } from './registry';
import {
  claimDomain,
  claimDomainSchema,
  DomainCheckTooSoon,
  domainViewSchema,
  readDomain,
  removeDomain,
  verifyDomain,
  verifyResultSchema,
} from './service';

const domainSettings = routeGroup({ basePath: '/api/v1/settings/domain', tag: 'settings' });

domainSettings.declare({
  method: 'get',
  path: '/',
  summary: "The ISP's own domain for its portals, the TXT record proving it, and whether it is verified",
  permission: 'settings.write',
  response: domainViewSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readDomain(dependencies, tenantIdOf(context))),
});

domainSettings.declare({
  method: 'put',
  path: '/',
  summary:
    'Set the domain (e.g. wifi.example.co.ke) the captive portal, account pages and sign-in are served at',
  permission: 'settings.write',
  body: claimDomainSchema,
  response: domainViewSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await claimDomain(dependencies, tenantIdOf(context), body, auditorOf(dependencies, context))),
});

domainSettings.declare({
  method: 'post',
  path: '/verify',
  summary: "Look up the TXT record now: verified when it holds the ISP's value (at most once per 10 s)",
  permission: 'settings.write',
  response: verifyResultSchema,
  handler: async ({ dependencies, respond }, context) => {
    try {
      return respond(await verifyDomain(dependencies, tenantIdOf(context), auditorOf(dependencies, context)));
    } catch (error) {
      if (error instanceof DomainCheckTooSoon)
        setRetryAfter(context, error.retryAtMs - dependencies.clock.now());
      throw error;
    }
  },
});

domainSettings.declare({
  method: 'delete',
  path: '/',
  summary: "Give the domain up: the portals are served at Kiunga's address only",
  permission: 'settings.write',
  responseStatus: 204,
  handler: async ({ dependencies }, context) => {
    await removeDomain(dependencies, tenantIdOf(context), auditorOf(dependencies, context));
    return context.body(null, 204);
  },
});

export const domainSettingsRoutes = (dependencies: ApiDependencies) => domainSettings.mount(dependencies);

/**
 * `GET /tls/ask?domain=`: 200 for a verified custom domain, 404 otherwise, empty body, from the in-memory
 * table only (Caddy docs, Caddyfile global options, `on_demand_tls`: "The ask endpoint should return as fast
 * as possible … avoid making DNS queries"; a 2xx authorises a certificate).
 */
export function tlsAskRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/ask', async (context) => {
    const verified = await domainRegistryOf(dependencies).verifiedDomains();
    return context.body(null, tlsAskStatus(context.req.query('domain'), verified));
  });
  return routes;
}
