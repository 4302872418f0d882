// A route declared once: its method, path, zod input and output schemas, permission and feature flag
// validate the request, enforce access, document the OpenAPI operation and type the handler's input.
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { Permission } from '../identity/permissions';
import type { ApiDependencies, AppEnv } from './dependencies';
import { KiungaError } from './errors';
import { type Feature, requireFeature } from './middleware/require-feature';
import { requirePermission } from './middleware/require-permission';
import { type HttpMethod, registerApiOperations } from './openapi';
import { parseJsonBody, parseQuery, parseWith } from './validation';

/**
 * Who may call: a permission the principal must hold, 'signed-in' (any principal, whatever its
 * permissions: one's own password and two-factor settings), or 'public' (no principal needed).
 */
export type RouteAccess = Permission | 'signed-in' | 'public';

/** What a schema parses to, or undefined when the route declares no such input. */
type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

export interface RouteInput<Params, Query, Body, Output> {
  params: Parsed<Params>;
  query: Parsed<Query>;
  body: Parsed<Body>;
  dependencies: ApiDependencies;
  /** JSON typed by the declared response schema, with the declared status (200 unless said otherwise). */
  respond: (value: Output extends z.ZodType ? z.output<Output> : unknown) => Response;
}

export interface RouteDeclaration<
  Params extends z.ZodType | undefined = undefined,
  Query extends z.ZodType | undefined = undefined,
  Body extends z.ZodType | undefined = undefined,
  Output extends z.ZodType | undefined = undefined,
> {
  method: HttpMethod;
  /** Under the group's base path, in Hono's form: '/', '/:id', '/:id/sheet.pdf'. */
  path: string;
  summary: string;
  /** The group's tag unless said otherwise. */
  tag?: string;
  permission: RouteAccess;
  /** The tier feature the tenant needs (Tier 1 has hotspot or PPPoE, no SMS). */
  feature?: Feature;
  /** Every :name in the path; parsed, so `z.coerce` and refinements apply. */
  params?: Params;
  query?: Query;
  /** A JSON body (415 unless sent as application/json, 400 when it does not parse). */
  body?: Body;
  response?: Output;
  /** 200 unless said otherwise; `respond` answers with it (a 204 route answers `context.body(null, 204)`). */
  responseStatus?: ContentfulStatusCode | 204;
  /** application/json unless said otherwise (text/csv, application/pdf, text/html, RouterOS script). */
  responseContentType?: string;
  /**
   * Throws (404) when the path names nothing the caller may see; runs after the params parse and
   * before the query and body do, so a request about a missing target answers 404, not 400.
   */
  checkTarget?: (
    input: { params: Parsed<Params>; dependencies: ApiDependencies },
    context: Context<AppEnv>,
  ) => Promise<unknown> | unknown;
  handler: (
    input: RouteInput<Params, Query, Body, Output>,
    context: Context<AppEnv>,
  ) => Response | Promise<Response>;
}

export interface RouteGroup {
  readonly basePath: string;
  /** Registers the OpenAPI operation now and the handler when the group is mounted. */
  declare<
    Params extends z.ZodType | undefined = undefined,
    Query extends z.ZodType | undefined = undefined,
    Body extends z.ZodType | undefined = undefined,
    Output extends z.ZodType | undefined = undefined,
  >(declaration: RouteDeclaration<Params, Query, Body, Output>): void;
  /** A Hono app with every declared route, to mount at the group's base path (`api.route(...)`). */
  mount(dependencies: ApiDependencies): Hono<AppEnv>;
}

/** "/:id{[0-9]+}/sheet.pdf" → ["id"]: the path parameters a declaration must parse. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] ?? '');
}

/** Hono's "/api/v1/plans/:id" (regex constraints dropped, no trailing slash) → OpenAPI's "/api/v1/plans/{id}". */
export function openApiPathOf(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}').replace(/(.)\/$/, '$1');
}

/** Refuses a request without a principal: a non-public route mounted before authentication fails closed. */
const requireSignedIn: MiddlewareHandler<AppEnv> = async (context, next) => {
  if (!context.get('principal')) throw new KiungaError('unauthenticated');
  await next();
};

// biome-ignore lint/suspicious/noExplicitAny: a group holds declarations of every input and output type.
type AnyRouteDeclaration = RouteDeclaration<any, any, any, any>;

/**
 * Routes under one base path (a feature's API, e.g. '/api/v1/plans'), tagged alike in the OpenAPI
 * document. Declare at module level; mount in the feature's routes function with its dependencies.
 */
export function routeGroup(options: { basePath: string; tag: string }): RouteGroup {
  const declarations: AnyRouteDeclaration[] = [];
  return {
    basePath: options.basePath,
    declare(declaration) {
      const undeclared = pathParameterNames(declaration.path).filter(
        (name) => !declaration.params || !isObjectWithKey(declaration.params, name),
      );
      if (undeclared.length > 0) {
        throw new Error(
          `${declaration.method} ${options.basePath}${declaration.path}: declare params for ${undeclared.join(', ')}`,
        );
      }
      registerApiOperations([
        {
          method: declaration.method,
          path: openApiPathOf(`${options.basePath}${declaration.path}`),
          summary: declaration.summary,
          tag: declaration.tag ?? options.tag,
          ...openApiAccessOf(declaration.permission),
          ...(declaration.feature ? { feature: declaration.feature } : {}),
          params: declaration.params,
          query: declaration.query,
          body: declaration.body,
          response: declaration.response,
          responseStatus: declaration.responseStatus,
          responseContentType: declaration.responseContentType,
        },
      ]);
      declarations.push(declaration as AnyRouteDeclaration);
    },
    mount(dependencies) {
      const routes = new Hono<AppEnv>();
      for (const declaration of declarations) {
        const checks = accessChecks(declaration, dependencies);
        routes.on(declaration.method.toUpperCase(), declaration.path, async (context) => {
          for (const check of checks) {
            let isPassed = false;
            const refusal = await check(context, async () => {
              isPassed = true;
            });
            if (!isPassed) return refusal ?? context.res;
          }
          return handle(declaration, dependencies, context);
        });
      }
      return routes;
    },
  };
}

/** A permission is documented as x-permission, 'signed-in' as x-signed-in, 'public' as no security. */
function openApiAccessOf(
  access: RouteAccess,
): { isPublic: true } | { isSignedIn: true } | { permission: string } {
  if (access === 'public') return { isPublic: true };
  if (access === 'signed-in') return { isSignedIn: true };
  return { permission: access };
}

function isObjectWithKey(schema: z.ZodType, key: string): boolean {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined && key in shape;
}

/**
 * Permission before feature before parsing (and the target's existence before the body): a caller
 * without access learns nothing from validation.
 */
function accessChecks(
  declaration: AnyRouteDeclaration,
  dependencies: ApiDependencies,
): MiddlewareHandler<AppEnv>[] {
  if (declaration.permission === 'public') return [];
  if (declaration.permission === 'signed-in') return [requireSignedIn];
  return [
    requireSignedIn,
    requirePermission(declaration.permission),
    ...(declaration.feature ? [requireFeature(dependencies, declaration.feature)] : []),
  ];
}

async function handle(
  declaration: AnyRouteDeclaration,
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
): Promise<Response> {
  const status = declaration.responseStatus ?? 200;
  const params = declaration.params ? parseWith(declaration.params, context.req.param()) : undefined;
  await declaration.checkTarget?.({ params, dependencies }, context);
  const input = {
    params,
    query: declaration.query ? parseQuery(context, declaration.query) : undefined,
    body: declaration.body ? await parseJsonBody(context, declaration.body) : undefined,
    dependencies,
    respond: (value: unknown) => context.json(value as object, status as ContentfulStatusCode),
  };
  return declaration.handler(input, context);
}
