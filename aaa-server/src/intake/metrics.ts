// Prometheus metrics of the AAA server: requests, accepts, rejects and drops by reason, duplicates,
// accounting records and open sessions per tenant.
import { Counter, Gauge, Registry } from 'prom-client';

/** Bound children per counter: tenants × packet kinds; beyond it labels are resolved per call. */
const BOUND_CHILDREN_MAX = 10_000;

type Child = { inc(value?: number): void };

export class AaaMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'kiunga_radius_requests_total',
    help: 'RADIUS requests received, by packet kind and tenant (empty before the NAS is known)',
    labelNames: ['kind', 'tenant'] as const,
    registers: [this.registry],
  });
  readonly accepts = new Counter({
    name: 'kiunga_radius_accepts_total',
    help: 'Access-Accepts sent',
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });
  readonly rejects = new Counter({
    name: 'kiunga_radius_rejects_total',
    help: 'Access-Rejects sent, by reason',
    labelNames: ['tenant', 'reason'] as const,
    registers: [this.registry],
  });
  readonly drops = new Counter({
    name: 'kiunga_radius_drops_total',
    help: 'Datagrams dropped silently, by reason (and, for reason="malformed", by the framing problem found)',
    labelNames: ['reason', 'problem'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'kiunga_radius_duplicates_total',
    help: 'Retransmitted requests answered from the duplicate cache or dropped while in progress',
    registers: [this.registry],
  });
  readonly accountingRecords = new Counter({
    name: 'kiunga_radius_accounting_records_total',
    help: 'Accounting records stored, by Acct-Status-Type',
    labelNames: ['tenant', 'status'] as const,
    registers: [this.registry],
  });
  readonly coaRequests = new Counter({
    name: 'kiunga_radius_coa_requests_total',
    help: 'CoA and Disconnect requests sent to NAS, by outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly openSessions: Gauge<'tenant'>;
  readonly pendingSlots: Gauge;

  private readonly requestChildren = new Map<string, Child>();
  private readonly acceptChildren = new Map<string, Child>();

  /** Per-packet counting without prom-client hashing the label object every time. */
  countRequest(kind: string, tenant: string): void {
    boundChild(this.requestChildren, `${kind}|${tenant}`, () => this.requests.labels(kind, tenant)).inc();
  }

  /** A datagram that breaks RFC 2865 framing or value rules: `problem` is the codec's name for it. */
  countMalformed(problem: string): void {
    this.drops.inc({ reason: 'malformed', problem });
  }

  countAccept(tenant: string): void {
    boundChild(this.acceptChildren, tenant, () => this.accepts.labels(tenant)).inc();
  }

  constructor(source: { countsByTenant(): Map<string, number>; pendingSlotCount: number }) {
    this.openSessions = new Gauge({
      name: 'kiunga_radius_open_sessions',
      help: 'Open sessions in the session table, per tenant',
      labelNames: ['tenant'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [tenant, count] of source.countsByTenant()) this.set({ tenant }, count);
      },
    });
    this.pendingSlots = new Gauge({
      name: 'kiunga_radius_pending_device_slots',
      help: 'Device slots held between Access-Accept and Accounting-Start',
      registers: [this.registry],
      collect() {
        this.set(source.pendingSlotCount);
      },
    });
  }
}

function boundChild(children: Map<string, Child>, key: string, create: () => Child): Child {
  let child = children.get(key);
  if (child === undefined) {
    child = create();
    if (children.size < BOUND_CHILDREN_MAX) children.set(key, child);
  }
  return child;
}
