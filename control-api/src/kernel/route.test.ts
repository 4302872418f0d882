// A declared route, in process through app.request(): the house validation error, the permission
// refusal, the signed-in access kind, the feature flag, its OpenAPI entry, typed handler input, and a
// non-JSON (CSV) answer.
import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import {
  type ApiDependencies,
  type AppEnv,
  apiErrorHandler,
  buildOpenApiDocument,
  KiungaError,
  openApiPathOf,
  type Permission,
  type Principal,
  pathParameterNames,
  routeGroup,
} from '.';

const BASE_PATH = '/api/v1/kernel-route-test/widgets';

const widgetSchema = z.object({ id: z.string(), name: z.string(), priceCents: z.number().int() });

const widgets = routeGroup({ basePath: BASE_PATH, tag: 'kernel-route-test' });

widgets.declare({
  method: 'post',
  path: '/:shelf',
  summary: 'Put a widget on a shelf',
  permission: 'plans.write',
  params: z.object({ shelf: z.coerce.number().int().min(1) }),
  query: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
  body: z.object({ name: z.string().min(1), priceCents: z.number().int().nonnegative() }),
  response: widgetSchema,
  responseStatus: 201,
  handler: ({ params, query, body, respond }) => {
    expectTypeOf(params.shelf).toEqualTypeOf<number>();
    expectTypeOf(query.dryRun).toEqualTypeOf<'true' | 'false'>();
    expectTypeOf(body).toEqualTypeOf<{ name: string; priceCents: number }>();
    expectTypeOf(respond).parameter(0).toEqualTypeOf<z.output<typeof widgetSchema>>();
    return respond({ id: `${params.shelf}-${query.dryRun}`, name: body.name, priceCents: body.priceCents });
  },
});

widgets.declare({
  method: 'get',
  path: '/export.csv',
  summary: 'Every widget as CSV',
  permission: 'plans.read',
  feature: 'sms',
  responseContentType: 'text/csv',
  handler: ({ params, body }, context) => {
    expectTypeOf(params).toEqualTypeOf<undefined>();
    expectTypeOf(body).toEqualTypeOf<undefined>();
    return context.body('id,name\n1,lamp\n', 200, { 'content-type': 'text/csv; charset=utf-8' });
  },
});

widgets.declare({
  method: 'get',
  path: '/',
  summary: 'How many widgets there are',
  permission: 'public',
  response: z.object({ count: z.number().int() }),
  handler: ({ respond }) => respond({ count: 1 }),
});

widgets.declare({
  method: 'get',
  path: '/mine',
  summary: "The caller's own widget settings",
  permission: 'signed-in',
  response: z.object({ ownerId: z.string() }),
  handler: ({ respond }, context) => respond({ ownerId: context.get('principal').id }),
});

widgets.declare({
  method: 'patch',
  path: '/shelves/:shelf',
  summary: 'Rename a shelf',
  permission: 'plans.write',
  params: z.object({ shelf: z.coerce.number().int() }),
  body: z.object({ name: z.string().min(1) }),
  checkTarget: ({ params }) => {
    if (params.shelf !== 1) throw new KiungaError('not_found', 'No such shelf.');
  },
  handler: ({ params, body, respond }) => respond({ shelf: params.shelf, name: body.name }),
});

const TIER1_HOTSPOT_TENANT = 'tenant-tier1';

/**
 * Dependencies whose platform database knows one tenant's tier (all the feature flag reads), in both
 * shapes of the data layer: today's synchronous `platform.sqlite` and the async `databases.platform`.
 */
function dependenciesWithTier(tier: string, featureChoice: string | null): ApiDependencies {
  const row = { tier, featureChoice };
  return {
    logger: pino({ level: 'silent' }),
    platform: { sqlite: { prepare: () => ({ get: () => row }) } },
    databases: { platform: { get: async () => row } },
  } as unknown as ApiDependencies;
}

/** A Tier 1 hotspot ISP: no SMS. */
const dependencies = dependenciesWithTier('tier1', 'hotspot');

function principalHolding(permissions: Permission[]): Principal {
  return {
    kind: 'isp_staff',
    id: 'user-1',
    email: 'staff@example.test',
    tenantId: TIER1_HOTSPOT_TENANT,
    permissions: new Set(permissions),
  };
}

/** The app as createApp builds it, in miniature: a principal (or none), the group, the one error handler. */
function appFor(principal: Principal | null): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (context, next) => {
    if (principal) context.set('principal', principal);
    await next();
  });
  app.route(BASE_PATH, widgets.mount(dependencies));
  app.onError(apiErrorHandler(dependencies.logger));
  return app;
}

function postWidget(app: Hono<AppEnv>, path: string, body: unknown, contentType = 'application/json') {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: JSON.stringify(body),
  });
}

describe('a declared route', () => {
  const writer = appFor(principalHolding(['plans.write', 'plans.read']));

  it('hands the handler its parsed params, query and body, and answers with the declared status', async () => {
    const response = await postWidget(writer, `${BASE_PATH}/3?dryRun=true`, {
      name: 'lamp',
      priceCents: 1500,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: '3-true', name: 'lamp', priceCents: 1500 });
  });

  it('answers 400 validation_failed naming each field that does not parse', async () => {
    const response = await postWidget(writer, `${BASE_PATH}/3`, { name: '', priceCents: 1.5 });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { code: string; message: string; details: { path: string }[] };
    };
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^The request is not valid: /);
    expect(error.details.map((issue) => issue.path).sort()).toEqual(['name', 'priceCents']);
  });

  it('validates path parameters and the query with the same error', async () => {
    const badShelf = await postWidget(writer, `${BASE_PATH}/0`, { name: 'lamp', priceCents: 1 });
    expect(badShelf.status).toBe(400);
    expect(((await badShelf.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    const badQuery = await postWidget(writer, `${BASE_PATH}/1?dryRun=maybe`, { name: 'lamp', priceCents: 1 });
    expect(badQuery.status).toBe(400);
  });

  it('refuses a body not sent as JSON with 415', async () => {
    const response = await postWidget(
      writer,
      `${BASE_PATH}/1`,
      { name: 'lamp', priceCents: 1 },
      'text/plain',
    );
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'unsupported_media_type',
    );
  });

  it('refuses a principal without the permission with 403, before reading the input', async () => {
    const reader = appFor(principalHolding(['plans.read']));
    const response = await postWidget(reader, `${BASE_PATH}/not-a-number`, { name: '' });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: 'forbidden', message: "You need the 'plans.write' permission to do this." },
    });
  });

  it('refuses a request without a principal with 401, and serves a public route to it', async () => {
    const anonymous = appFor(null);
    const refused = await postWidget(anonymous, `${BASE_PATH}/1`, { name: 'lamp', priceCents: 1 });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    const open = await anonymous.request(BASE_PATH);
    expect(open.status).toBe(200);
    expect(await open.json()).toEqual({ count: 1 });
  });

  it('serves a signed-in route to a principal holding no permission, and refuses one without a principal', async () => {
    const powerless = appFor(principalHolding([]));
    const served = await powerless.request(`${BASE_PATH}/mine`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ ownerId: 'user-1' });
    const refused = await appFor(null).request(`${BASE_PATH}/mine`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('answers 404 for a missing target before validating the body, 400 for a bad body of one that exists', async () => {
    const rename = (shelf: number, body: unknown) =>
      writer.request(`${BASE_PATH}/shelves/${shelf}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const missing = await rename(2, { name: '' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await rename(1, { name: '' })).status).toBe(400);
    const renamed = await rename(1, { name: 'top' });
    expect(await renamed.json()).toEqual({ shelf: 1, name: 'top' });
  });

  it('enforces the feature flag: a Tier 1 hotspot ISP is refused the SMS-only export', async () => {
    const response = await writer.request(`${BASE_PATH}/export.csv`);
    expect(response.status).toBe(403);
    // SMS answers its own code naming Tier 2 (issue 13).
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('feature_not_in_tier');
    expect(error.message).toContain('Tier 2');
  });

  it('serves non-JSON answers as the handler writes them', async () => {
    const tier2 = dependenciesWithTier('tier2', null);
    const app = new Hono<AppEnv>();
    app.use('*', async (context, next) => {
      context.set('principal', principalHolding(['plans.read']));
      await next();
    });
    app.route(BASE_PATH, widgets.mount(tier2));
    const response = await app.request(`${BASE_PATH}/export.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await response.text()).toBe('id,name\n1,lamp\n');
  });
});

describe('the OpenAPI entry of a declared route', () => {
  const paths = buildOpenApiDocument().paths as Record<string, Record<string, Record<string, unknown>>>;

  it('documents path, permission, parameters, body and the declared response status', () => {
    const post = paths[`${BASE_PATH}/{shelf}`]?.post as {
      tags: string[];
      'x-permission': string;
      parameters: { name: string; in: string; schema: { type: string } }[];
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
      responses: Record<string, unknown>;
    };
    expect(post.tags).toEqual(['kernel-route-test']);
    expect(post['x-permission']).toBe('plans.write');
    expect(post.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
      'path:shelf',
      'query:dryRun',
    ]);
    expect(post.parameters[0]?.schema.type).toBe('integer');
    expect(post.requestBody.content['application/json'].schema.required.sort()).toEqual([
      'name',
      'priceCents',
    ]);
    expect(Object.keys(post.responses).sort()).toEqual(['201', 'default']);
  });

  it('documents a public route without security, a feature flag, and a CSV answer', () => {
    expect(paths[BASE_PATH]?.get?.security).toEqual([]);
    const csv = paths[`${BASE_PATH}/export.csv`]?.get as {
      'x-feature': string;
      responses: { '200': { content: Record<string, unknown> } };
    };
    expect(csv['x-feature']).toBe('sms');
    expect(Object.keys(csv.responses['200'].content)).toEqual(['text/csv']);
  });

  it('documents a signed-in route as needing a token but no permission', () => {
    const mine = paths[`${BASE_PATH}/mine`]?.get as Record<string, unknown>;
    expect(mine['x-signed-in']).toBe(true);
    expect(mine['x-permission']).toBeUndefined();
    expect(mine.security).toBeUndefined();
  });
});

describe('declaring a route', () => {
  it('refuses a path parameter the declaration does not parse', () => {
    const group = routeGroup({ basePath: '/api/v1/kernel-route-test/broken', tag: 'kernel-route-test' });
    expect(() =>
      group.declare({
        method: 'get',
        path: '/:id',
        summary: 'Get one',
        permission: 'plans.read',
        handler: (_input, context) => context.body(null, 204),
      }),
    ).toThrow('declare params for id');
  });

  it('turns Hono paths into OpenAPI paths', () => {
    expect(openApiPathOf('/api/v1/plans/')).toBe('/api/v1/plans');
    expect(openApiPathOf('/api/v1/plans/:id{[0-9]+}/sheet.pdf')).toBe('/api/v1/plans/{id}/sheet.pdf');
    expect(pathParameterNames('/:tenantId/:token/stk')).toEqual(['tenantId', 'token']);
  });
});
