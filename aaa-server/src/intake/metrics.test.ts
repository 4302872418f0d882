// The AAA metrics as /metrics shows them: counts kept as plain numbers appear with their labels.
import { describe, expect, it } from 'vitest';
import { AaaMetrics } from './metrics';

const noSessions = {
  countsByTenant: async () => new Map([['ten_a', 2]]),
  counts: async () => ({ openSessions: 2, pendingSlots: 1 }),
};

describe('AaaMetrics', () => {
  it('publishes what the packet path counted, by label, each time it is read', async () => {
    const metrics = new AaaMetrics(noSessions);
    for (let index = 0; index < 3; index += 1) metrics.countRequest('access_request', 'ten_a');
    metrics.countRequest('accounting_request', 'ten_a');
    metrics.countAccept('ten_a');
    metrics.countReject('ten_a', 'voucher_expired');
    metrics.countAccountingRecord('ten_a', 'start');
    metrics.countDuplicate();
    metrics.countMalformed('too_short');
    const text = await metrics.registry.metrics();
    expect(text).toContain('kiunga_radius_requests_total{kind="access_request",tenant="ten_a"} 3');
    expect(text).toContain('kiunga_radius_requests_total{kind="accounting_request",tenant="ten_a"} 1');
    expect(text).toContain('kiunga_radius_accepts_total{tenant="ten_a"} 1');
    expect(text).toContain('kiunga_radius_rejects_total{tenant="ten_a",reason="voucher_expired"} 1');
    expect(text).toContain('kiunga_radius_accounting_records_total{tenant="ten_a",status="start"} 1');
    expect(text).toContain('kiunga_radius_duplicates_total 1');
    expect(text).toContain('kiunga_radius_drops_total{reason="malformed",problem="too_short"} 1');
    expect(text).toContain('kiunga_radius_open_sessions{tenant="ten_a"} 2');
    expect(text).toContain('kiunga_radius_pending_device_slots 1');
    metrics.countAccept('ten_a');
    expect(await metrics.registry.metrics()).toContain('kiunga_radius_accepts_total{tenant="ten_a"} 2');
  });

  it("labels the open sessions and pending slots of a table every AAA node shares as the cluster's, not this node's", async () => {
    let scope: 'node' | 'cluster' = 'cluster';
    const metrics = new AaaMetrics({ ...noSessions, countsScope: () => scope });
    const shared = await metrics.registry.metrics();
    expect(shared).toContain('kiunga_radius_open_sessions{tenant="ten_a",scope="cluster"} 2');
    expect(shared).toContain('kiunga_radius_pending_device_slots{scope="cluster"} 1');
    // During a Redis outage the node counts its own stand-in table again.
    scope = 'node';
    const own = await metrics.registry.metrics();
    expect(own).toContain('kiunga_radius_open_sessions{tenant="ten_a"} 2');
    expect(own).toContain('kiunga_radius_pending_device_slots 1');
    expect(own).not.toContain('scope="cluster"} ');
  });
});
