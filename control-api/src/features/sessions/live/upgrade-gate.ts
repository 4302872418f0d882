// Who may open a live feed: the upgrade request passes the same authentication and permission
// middlewares as the feed's HTTP twin (GET /api/v1/sessions, GET /api/v1/platform/live; reused, not
// copied), plus an Origin check for cookies. The grant's scope is the feed's room: the ISP for the
// sessions feed, the platform for the operator's live view.
import type { IncomingMessage } from 'node:http';
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { apiErrorHandler } from '../../../app';
import type { Permission, Principal } from '../../../identity/permissions';
import type { ApiDependencies, AppEnv } from '../../../kernel/dependencies';
import { authenticate } from '../../../kernel/middleware/authenticate';
import { requirePermission } from '../../../kernel/middleware/require-permission';
import type { LiveFeedRoute } from '../../../kernel/ws-upgrade';
import { isAllowedOrigin } from './feed-policy';

export interface Grant {
  principal: Principal;
  /** Whose data the socket may receive: a tenant id, or 'platform'. */
  scope: string;
}

export interface GateRule {
  permission: Permission;
  /** The grant's scope from the authenticated request; throws a KiungaError to refuse. */
  scopeOf: (context: Context<AppEnv>) => string;
}

export type GateOutcome = { grant: Grant } | { refusal: { status: number; body: string } };

/** Only what authentication reads is carried over from the upgrade request. */
const FORWARDED_HEADERS = ['authorization', 'cookie'] as const;

export interface UpgradeGate {
  check(request: IncomingMessage): Promise<GateOutcome>;
}

export function createUpgradeGate(dependencies: ApiDependencies, rule: GateRule): UpgradeGate {
  const grants = new WeakMap<Request, Grant>();
  const gate = new Hono<AppEnv>();
  gate.onError(apiErrorHandler(dependencies.logger));
  gate.get('*', authenticate(dependencies), requirePermission(rule.permission), (context) => {
    const scope = rule.scopeOf(context);
    if (context.get('authMethod') === 'cookie') {
      const origin = context.req.header('origin');
      const host = context.req.header('x-upgrade-host');
      if (!isAllowedOrigin(origin, host, dependencies.publicUrl)) {
        throw new KiungaError(
          'forbidden',
          'A live feed opened with a console cookie must come from this site.',
        );
      }
    }
    grants.set(context.req.raw, { principal: context.get('principal'), scope });
    return context.body(null, 204);
  });

  return {
    async check(request) {
      const headers = new Headers();
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      if (typeof request.headers.origin === 'string') headers.set('origin', request.headers.origin);
      // 'host' is not settable on a fetch Request; it travels under a name of our own.
      if (typeof request.headers.host === 'string') headers.set('x-upgrade-host', request.headers.host);
      const gateRequest = new Request('http://upgrade.invalid/api/v1/sessions/live', { headers });
      const response = await gate.fetch(gateRequest);
      const grant = grants.get(gateRequest);
      if (grant && response.status === 204) return { grant };
      return { refusal: { status: response.status, body: await response.text() } };
    },
  };
}

/**
 * A live feed's route behind `gate`: the grant's scope is the viewer's room, `identityOf` what the feed keeps
 * of it; `prepare` runs once the caps let the viewer in (kernel/ws-upgrade.ts).
 */
export function gatedRoute<Identity>(
  path: string,
  gate: UpgradeGate,
  identityOf: (grant: Grant) => Identity,
  prepare?: () => Promise<void>,
): LiveFeedRoute<Identity> {
  return {
    path,
    async admit(request) {
      const outcome = await gate.check(request);
      if ('refusal' in outcome) return outcome;
      return {
        scope: outcome.grant.scope,
        identity: identityOf(outcome.grant),
        ...(prepare === undefined ? {} : { prepare }),
      };
    },
  };
}

/** The keep-alive round's question: does the gate still grant this viewer its room, as the same principal? */
export async function isStillGranted(
  gate: UpgradeGate,
  viewer: { request: IncomingMessage; scope: string },
  principalId: string,
): Promise<boolean> {
  const outcome = await gate.check(viewer.request);
  return (
    'grant' in outcome && outcome.grant.scope === viewer.scope && outcome.grant.principal.id === principalId
  );
}
