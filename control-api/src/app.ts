// The Hono application: health, metrics, the REST API under /api/v1, and the consoles.
import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiDependencies, AppEnv } from './dependencies';
import { authenticate } from './middleware/authenticate';
import { authRoutes } from './routes/auth';

export interface ControlApiOptions extends ApiDependencies {
  /** Extra Prometheus text from this process (the control API's own registry). */
  ownMetricsText?: () => Promise<string>;
}

export function createApp(options: ControlApiOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/healthz', (context) => {
    const isAaaUp = options.aaa.isUp();
    return context.json(
      { status: isAaaUp ? 'ok' : 'degraded', api: 'up', aaa: isAaaUp ? 'up' : 'down' },
      isAaaUp ? 200 : 503,
    );
  });

  app.get('/metrics', async (context) => {
    const parts = [await options.aaa.metricsText()];
    if (options.ownMetricsText) parts.push(await options.ownMetricsText());
    return context.body(parts.join('\n'), 200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });

  // Open routes first; everything else under /api/v1 needs a principal.
  app.route('/api/v1/auth', authRoutes(options));
  const api = new Hono<AppEnv>();
  api.use('*', authenticate(options));
  api.get('/me', (context) => {
    const principal = context.get('principal');
    return context.json({ ...principal, permissions: [...principal.permissions].sort() });
  });
  app.route('/api/v1', api);

  app.notFound((context) =>
    context.json(
      { error: { code: 'not_found', message: `No route for ${context.req.method} ${context.req.path}.` } },
      404,
    ),
  );

  // The one place an error becomes {"error":{"code","message"}}.
  app.onError((error, context) => {
    if (error instanceof KiungaError) {
      return context.json(
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.details ? { details: error.details } : {}),
          },
        },
        error.httpStatus as ContentfulStatusCode,
      );
    }
    options.logger.error({ err: error, path: context.req.path }, 'unhandled error');
    return context.json(
      { error: { code: 'internal_error', message: 'Something went wrong on our side.' } },
      500,
    );
  });

  return app;
}
