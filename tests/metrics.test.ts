// End to end: /metrics of a running ./kiunga answers the scraper holding KIUNGA_METRICS_TOKEN with the
// Prometheus text, and refuses everyone else without naming a single tenant.
import { describe, expect, it } from 'vitest';
import { TEST_METRICS_TOKEN, useDemoKiunga } from './support/kiunga-process';

const suite = useDemoKiunga();

async function getMetrics(headers: Record<string, string> = {}) {
  const response = await fetch(`${suite.baseUrl}/metrics`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('GET /metrics on a running server', () => {
  it('refuses a request without a token: 401, no tenant named', async () => {
    const refused = await getMetrics();
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="kiunga-metrics"');
    expect(JSON.parse(refused.text).error.code).toBe('unauthenticated');
    for (const tenant of suite.demo.tenants) expect(refused.text).not.toContain(tenant.id);
  });

  it('refuses a wrong token', async () => {
    const refused = await getMetrics({ authorization: `Bearer ${TEST_METRICS_TOKEN.replace('0', '1')}` });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text).error.code).toBe('unauthenticated');
  });

  it('answers the right token with the Prometheus text', async () => {
    const answered = await getMetrics({ authorization: `Bearer ${TEST_METRICS_TOKEN}` });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answered.text).toMatch(/^# HELP kiunga_radius_requests_total /m);
    expect(answered.text).toMatch(/^# TYPE kiunga_radius_requests_total counter$/m);
  });
});
