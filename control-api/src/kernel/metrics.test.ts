// GET /metrics answers only the platform's scraper: the bearer token, else 401; no token set, 404.
import type { AaaControl } from '@kiunga/schemas';
import { Hono } from 'hono';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { apiErrorHandler, type ControlApiOptions } from '../app';
import type { AppEnv } from './dependencies';
import { isMetricsTokenPresented, metricsRoutes } from './metrics';

const TOKEN = 'metrics-token-for-this-test-0123456789';
const AAA_TEXT = 'kiunga_radius_open_sessions{tenant="ten_a"} 3';

function appWith(metricsToken: string | null): Hono<AppEnv> {
  const options = {
    aaa: { metricsText: async () => AAA_TEXT } as unknown as AaaControl,
    ownMetricsText: async () => 'kiunga_http_requests_total 7',
    metricsToken,
  } as ControlApiOptions;
  const app = new Hono<AppEnv>();
  app.route('/metrics', metricsRoutes(options));
  app.onError(apiErrorHandler(pino({ level: 'silent' })));
  return app;
}

async function getMetrics(app: Hono<AppEnv>, authorization?: string) {
  const response = await app.request('/metrics', { headers: authorization ? { authorization } : {} });
  return { response, text: await response.text() };
}

describe('GET /metrics', () => {
  it('serves the Prometheus text of the AAA server and the API to the bearer of the token', async () => {
    const { response, text } = await getMetrics(appWith(TOKEN), `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toBe(`${AAA_TEXT}\nkiunga_http_requests_total 7`);
    // RFC 7235 §2.1: the scheme name is case-insensitive.
    expect((await getMetrics(appWith(TOKEN), `bearer ${TOKEN}`)).response.status).toBe(200);
  });

  it('refuses a request without the token, with a wrong one or another scheme: 401 and a Bearer challenge', async () => {
    const app = appWith(TOKEN);
    for (const authorization of [
      undefined,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      'Bearer ',
      `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}`,
      TOKEN,
    ]) {
      const { response, text } = await getMetrics(app, authorization);
      expect([authorization, response.status]).toEqual([authorization, 401]);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="kiunga-metrics"');
      expect(JSON.parse(text).error.code).toBe('unauthenticated');
      expect(text).not.toContain('ten_a');
    }
  });

  it('answers 404 when no token is configured, whatever is sent', async () => {
    for (const token of [null, '']) {
      const { response, text } = await getMetrics(appWith(token), `Bearer ${TOKEN}`);
      expect(response.status).toBe(404);
      expect(JSON.parse(text).error).toEqual({
        code: 'not_found',
        message: 'Metrics are off on this server: set KIUNGA_METRICS_TOKEN to serve them.',
      });
    }
  });
});

describe('isMetricsTokenPresented', () => {
  it('matches the whole token only', () => {
    expect(isMetricsTokenPresented(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(isMetricsTokenPresented(`Bearer  ${TOKEN}`, TOKEN)).toBe(true);
    expect(isMetricsTokenPresented(`Bearer ${TOKEN} extra`, TOKEN)).toBe(false);
    expect(isMetricsTokenPresented(`Bearer ${TOKEN}`, `${TOKEN}0`)).toBe(false);
    expect(isMetricsTokenPresented(undefined, TOKEN)).toBe(false);
  });
});
