// Prometheus metrics of the AAA server: requests, accepts, rejects and drops by reason, duplicates,
// accounting records and open sessions per tenant.
import { Counter, Gauge, Registry } from 'prom-client';

/** One labelled count: the label object is made once, when the combination is first seen. */
interface Slot {
  readonly labels: Record<string, string>;
  value: number;
}

/**
 * Counts of the packet path, kept as plain numbers under two label values and handed to prom-client only
 * when /metrics is read: prom-client's own `inc` builds and hashes a label string on every call. The label
 * values are bounded sets (tenants, packet kinds, reject reasons, Acct-Status-Types), so the map is too.
 */
class TwoLabelCounts {
  private readonly slots = new Map<string, Map<string, Slot>>();

  constructor(
    private readonly firstName: string,
    private readonly secondName: string | null,
  ) {}

  add(first: string, second = ''): void {
    let inner = this.slots.get(first);
    if (inner === undefined) {
      inner = new Map();
      this.slots.set(first, inner);
    }
    const slot = inner.get(second);
    if (slot !== undefined) {
      slot.value += 1;
      return;
    }
    const labels: Record<string, string> = { [this.firstName]: first };
    if (this.secondName !== null) labels[this.secondName] = second;
    inner.set(second, { labels, value: 1 });
  }

  /** Writes the totals into a prom-client counter (its collect hook, at scrape time). */
  publish(counter: Counter<string>): void {
    counter.reset();
    for (const inner of this.slots.values()) {
      for (const slot of inner.values()) counter.inc(slot.labels, slot.value);
    }
  }
}

export class AaaMetrics {
  readonly registry = new Registry();
  private readonly requestCounts = new TwoLabelCounts('kind', 'tenant');
  private readonly acceptCounts = new TwoLabelCounts('tenant', null);
  private readonly rejectCounts = new TwoLabelCounts('tenant', 'reason');
  private readonly accountingCounts = new TwoLabelCounts('tenant', 'status');
  private duplicateCount = 0;

  readonly drops = new Counter({
    name: 'kiunga_radius_drops_total',
    help: 'Datagrams dropped silently, by reason (and, for reason="malformed", by the framing problem found)',
    labelNames: ['reason', 'problem'] as const,
    registers: [this.registry],
  });
  readonly coaRequests = new Counter({
    name: 'kiunga_radius_coa_requests_total',
    help: 'CoA and Disconnect requests sent to NAS, by outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly openSessions: Gauge<'tenant' | 'scope'>;
  readonly pendingSlots: Gauge<'scope'>;

  constructor(source: {
    countsByTenant(): Promise<Map<string, number>>;
    counts(): Promise<{ pendingSlots: number }>;
    countsScope?(): 'node' | 'cluster';
  }) {
    const counted = (
      name: string,
      help: string,
      labelNames: readonly string[],
      counts: TwoLabelCounts,
    ): Counter<string> =>
      new Counter({
        name,
        help,
        labelNames,
        registers: [this.registry],
        collect() {
          counts.publish(this);
        },
      });
    counted(
      'kiunga_radius_requests_total',
      'RADIUS requests received, by packet kind and tenant (empty before the NAS is known)',
      ['kind', 'tenant'],
      this.requestCounts,
    );
    counted('kiunga_radius_accepts_total', 'Access-Accepts sent', ['tenant'], this.acceptCounts);
    counted(
      'kiunga_radius_rejects_total',
      'Access-Rejects sent, by reason',
      ['tenant', 'reason'],
      this.rejectCounts,
    );
    counted(
      'kiunga_radius_accounting_records_total',
      'Accounting records stored, by Acct-Status-Type',
      ['tenant', 'status'],
      this.accountingCounts,
    );
    const duplicates = (): number => this.duplicateCount;
    new Counter({
      name: 'kiunga_radius_duplicates_total',
      help: 'Retransmitted requests answered from the duplicate cache or dropped while in progress',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(duplicates());
      },
    });
    // With Redis every node sees the whole cluster's table: those figures carry scope="cluster" (the same
    // on every node: take one, do not sum them); a node's own table (embedded, or during a Redis outage)
    // is shown without the label, as it always was.
    const scopeLabels = (): { scope?: 'cluster' } =>
      source.countsScope?.() === 'cluster' ? { scope: 'cluster' } : {};
    this.openSessions = new Gauge({
      name: 'kiunga_radius_open_sessions',
      help: 'Open sessions in the session table, per tenant; scope="cluster" when the table is the one all AAA nodes share (Redis), not this node\'s',
      labelNames: ['tenant', 'scope'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await source.countsByTenant();
        const scope = scopeLabels();
        this.reset();
        for (const [tenant, count] of counts) this.set({ tenant, ...scope }, count);
      },
    });
    this.pendingSlots = new Gauge({
      name: 'kiunga_radius_pending_device_slots',
      help: 'Device slots held between Access-Accept and Accounting-Start; scope="cluster" as for open sessions',
      labelNames: ['scope'] as const,
      registers: [this.registry],
      async collect() {
        const { pendingSlots } = await source.counts();
        this.reset();
        this.set(scopeLabels(), pendingSlots);
      },
    });
  }

  countRequest(kind: string, tenant: string): void {
    this.requestCounts.add(kind, tenant);
  }

  countAccept(tenant: string): void {
    this.acceptCounts.add(tenant);
  }

  countReject(tenant: string, reason: string): void {
    this.rejectCounts.add(tenant, reason);
  }

  countAccountingRecord(tenant: string, status: string): void {
    this.accountingCounts.add(tenant, status);
  }

  countDuplicate(): void {
    this.duplicateCount += 1;
  }

  /** A datagram that breaks RFC 2865 framing or value rules: `problem` is the codec's name for it. */
  countMalformed(problem: string): void {
    this.drops.inc({ reason: 'malformed', problem });
  }
}
