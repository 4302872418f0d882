// The OpenAPI document covers the API: every route mounted under /api/v1 by createApp appears in it,
// with who may call it (a permission, any signed-in account, or anyone).
import { type AaaControl, createSecretBox, generateMasterKey, systemClock } from '@kiunga/schemas';
import { useTestDatabases } from '@kiunga/schemas/testing';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { type ControlApiOptions, createApp } from '../app';
import { buildOpenApiDocument } from './openapi';

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

const testDatabases = useTestDatabases();

/** "/api/v1/plans/:id" → "/api/v1/plans/{id}" (a regex constraint such as :action{a|b} is dropped). */
function openApiPathOf(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}').replace(/\/$/, '') || '/';
}

/** The method and path of each handler createApp mounts under /api/v1 (middleware excluded). */
function mountedApiRoutes(): string[] {
  const options = {
    databases: testDatabases().databases,
    secretBox: createSecretBox(generateMasterKey()),
    clock: systemClock,
    aaa: {} as AaaControl,
    logger: pino({ level: 'silent' }),
    tokenKey: new Uint8Array(32),
    publicUrl: 'http://localhost',
    mpesaBaseUrl: null,
  } as unknown as ControlApiOptions;
  const app = createApp(options);
  const routes = new Set<string>();
  for (const route of app.routes) {
    if (!HTTP_METHODS.has(route.method) || !route.path.startsWith('/api/v1/')) continue;
    if (route.path.endsWith('*')) continue;
    routes.add(`${route.method.toLowerCase()} ${openApiPathOf(route.path)}`);
  }
  return [...routes].sort();
}

describe('OpenAPI document', () => {
  it('describes every route mounted under /api/v1', () => {
    const mounted = mountedApiRoutes();
    expect(mounted.length).toBeGreaterThan(60);
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, unknown>>;
    const missing = mounted.filter((route) => {
      const [method = '', path = ''] = route.split(' ');
      return paths[path]?.[method] === undefined;
    });
    expect(missing, 'describe these with registerApiOperations() in their route file').toEqual([]);
  });

  it('documents who may call each identity, tenant and billing operation', () => {
    const declaredTags = new Set([
      'auth',
      'users',
      'roles',
      'api-keys',
      'platform',
      'registration',
      'billing',
      'platform-billing',
    ]);
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, Record<string, unknown>>>;
    const undocumented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => (operation.tags as string[]).some((tag) => declaredTags.has(tag)))
        .filter(
          ([, operation]) =>
            operation['x-permission'] === undefined &&
            operation['x-signed-in'] !== true &&
            !(Array.isArray(operation.security) && operation.security.length === 0),
        )
        .map(([method]) => `${method} ${path}`),
    );
    expect(undocumented).toEqual([]);
    expect(paths['/api/v1/auth/password']?.post?.['x-signed-in']).toBe(true);
    expect(paths['/api/v1/platform/tenants/{id}/suspend']?.post?.['x-permission']).toBe('tenants.write');
    expect(paths['/api/v1/invoices/{id}']?.get?.['x-feature']).toBe('pppoe');
    expect(paths['/api/v1/registration']?.post?.security).toEqual([]);
  });

  it('documents identity operations with their request schemas and permissions', () => {
    const paths = buildOpenApiDocument().paths as Record<string, Record<string, Record<string, unknown>>>;
    const createKey = paths['/api/v1/api-keys']?.post as {
      'x-permission': string;
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
    };
    expect(createKey['x-permission']).toBe('api_keys.manage');
    expect(createKey.requestBody.content['application/json'].schema.required).toEqual([
      'name',
      'permissions',
    ]);
    expect(paths['/api/v1/platform/roles/{id}']?.patch).toBeDefined();
    expect(paths['/api/v1/auth/totp/confirm']?.post).toBeDefined();
  });
});
