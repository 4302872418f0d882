// GET /metrics: Prometheus text for the platform operator's scraper, only with KIUNGA_METRICS_TOKEN
// (the series name every ISP's tenant id and reveal its traffic, so nobody else may read them).
import { createHash, timingSafeEqual } from 'node:crypto';
import { KiungaError } from '@kiunga/schemas';
import { Hono } from 'hono';
import type { ApiDependencies, AppEnv } from './dependencies';

/** Prometheus docs, "Exposition formats": the text format is served as version 0.0.4. */
const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/**
 * RFC 6750 §2.1: `Authorization: Bearer b64token`, b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" /
 * "~" / "+" / "/" ) *"="; the scheme name is case-insensitive (RFC 7235 §2.1).
 */
const BEARER_CREDENTIALS = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** RFC 6750 §3: a refused request names the scheme it wants. */
const BEARER_CHALLENGE = 'Bearer realm="kiunga-metrics"';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether an Authorization header carries the metrics token. Both sides are hashed to 32 bytes and
 * compared in constant time, so neither the token's characters nor its length leak through timing.
 */
export function isMetricsTokenPresented(authorization: string | undefined, token: string): boolean {
  const presented = BEARER_CREDENTIALS.exec(authorization ?? '')?.[1];
  if (presented === undefined) return false;
  return timingSafeEqual(sha256(presented), sha256(token));
}

/** What /metrics reads: the token, the AAA server's text, and this process's own registry if it has one. */
export interface MetricsSources extends Pick<ApiDependencies, 'metricsToken' | 'aaa'> {
  ownMetricsText?: () => Promise<string>;
}

export function metricsRoutes(options: MetricsSources): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (context) => {
    const token = options.metricsToken;
    if (!token) {
      throw new KiungaError(
        'not_found',
        'Metrics are off on this server: set KIUNGA_METRICS_TOKEN to serve them.',
      );
    }
    if (!isMetricsTokenPresented(context.req.header('authorization'), token)) {
      context.header('WWW-Authenticate', BEARER_CHALLENGE);
      throw new KiungaError('unauthenticated', 'Send the metrics token: Authorization: Bearer <token>.');
    }
    const parts = [await options.aaa.metricsText()];
    if (options.ownMetricsText) parts.push(await options.ownMetricsText());
    return context.body(parts.join('\n'), 200, { 'content-type': PROMETHEUS_TEXT_CONTENT_TYPE });
  });
  return routes;
}
