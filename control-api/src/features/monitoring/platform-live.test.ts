import { describe, expect, it } from 'vitest';
import { radiusRates, readRadiusCounters } from './platform-live';

const metrics = (accessRequests: number, accounting: number, deviceLimit: number) => `
# HELP kiunga_radius_requests_total RADIUS requests received
# TYPE kiunga_radius_requests_total counter
kiunga_radius_requests_total{kind="access_request",tenant="ten_a"} ${accessRequests / 2}
kiunga_radius_requests_total{kind="access_request",tenant="ten_b"} ${accessRequests / 2}
kiunga_radius_requests_total{kind="accounting_request",tenant="ten_a"} ${accounting}
kiunga_radius_requests_total{kind="status_server",tenant=""} 7
kiunga_radius_rejects_total{tenant="ten_a",reason="device_limit_reached"} ${deviceLimit}
kiunga_radius_rejects_total{tenant="ten_b",reason="voucher_expired"} 4
kiunga_radius_open_sessions{tenant="ten_a"} 30
kiunga_radius_open_sessions{tenant="ten_b"} 12
`;

describe('platform live counters', () => {
  it('sums the AAA counters over tenants', () => {
    expect(readRadiusCounters(metrics(100, 40, 2), 0)).toEqual({
      atMs: 0,
      accessRequests: 100,
      accountingRequests: 40,
      rejectsByReason: { device_limit_reached: 2, voucher_expired: 4 },
      openSessions: 42,
    });
  });

  it('turns two readings 10 s apart into rates, and restarts into zero', () => {
    const before = readRadiusCounters(metrics(100, 40, 2), 0);
    const after = readRadiusCounters(metrics(350, 240, 5), 10_000);
    expect(radiusRates(before, after)).toEqual({
      accessRequestsPerSecond: 25,
      accountingPerSecond: 20,
      rejectsPerMinuteByReason: { device_limit_reached: 18 },
    });
    expect(radiusRates(after, before)).toEqual({
      accessRequestsPerSecond: 0,
      accountingPerSecond: 0,
      rejectsPerMinuteByReason: {},
    });
    expect(radiusRates(null, after).accessRequestsPerSecond).toBe(0);
  });
});
