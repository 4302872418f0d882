// The Hono application: health, metrics, and (as they land) the API routes and consoles.
import { type AaaControl, KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';

export interface ControlApiOptions {
  aaa: AaaControl;
  /** Extra Prometheus text from this process (the control API's own registry). */
  ownMetricsText?: () => Promise<string>;
}

export function createApp(options: ControlApiOptions): Hono {
  const app = new Hono();

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
        { error: { code: error.code, message: error.message } },
        error.httpStatus as 400 | 401 | 403 | 404 | 409 | 500 | 503,
      );
    }
    return context.json(
      { error: { code: 'internal_error', message: 'Something went wrong on our side.' } },
      500,
    );
  });

  return app;
}
