// What GET /healthz answers: which part of this node is up — the AAA server (when this node runs it),
// the database, Redis (when configured) — and 200 only when every part this node needs is up.
import type { AaaControl, Databases } from '@kiunga/schemas';

/**
 * How long one probe may take before its part counts as down. A health check must answer quickly
 * even when a part hangs (a load balancer's own timeout is a few seconds); a healthy database or
 * Redis answers in about a millisecond.
 */
export const HEALTH_PROBE_TIMEOUT_MS = 2_000;

export interface HealthProbes {
  /** False on an API-only node (`--role api`): the AAA server runs elsewhere and is not asked. */
  readonly isAaaInProcess: boolean;
  /** Resolves when Redis answers; absent when KIUNGA_REDIS_URL is unset. */
  readonly redis?: () => Promise<void>;
}

export type PartState = 'ok' | 'down';

export interface HealthReport {
  /** ok: all up; degraded: the node answers but a part it needs is down; down: its database is. */
  status: 'ok' | 'degraded' | 'down';
  api: 'up';
  /** absent: this node does not run the AAA server (`--role api`). */
  aaa: 'up' | 'down' | 'absent';
  database: PartState;
  /** absent: no KIUNGA_REDIS_URL, the node keeps its counts in memory. */
  redis: PartState | 'absent';
}

const EMBEDDED_NODE: HealthProbes = { isAaaInProcess: true };

/** Probes the parts (at once, each bounded by HEALTH_PROBE_TIMEOUT_MS) and says whether all are up. */
export async function checkHealth(
  dependencies: { databases: Databases; aaa: AaaControl; health?: HealthProbes },
  timeoutMs = HEALTH_PROBE_TIMEOUT_MS,
): Promise<{ report: HealthReport; isHealthy: boolean }> {
  const probes = dependencies.health ?? EMBEDDED_NODE;
  const [database, redis] = await Promise.all([
    probe(async () => {
      await dependencies.databases.platform.get('SELECT 1 AS ok');
    }, timeoutMs),
    probes.redis ? probe(probes.redis, timeoutMs) : Promise.resolve('absent' as const),
  ]);
  const aaa = probes.isAaaInProcess ? (dependencies.aaa.isUp() ? 'up' : 'down') : 'absent';
  const isHealthy = database === 'ok' && redis !== 'down' && aaa !== 'down';
  const status = database === 'down' ? 'down' : isHealthy ? 'ok' : 'degraded';
  return { report: { status, api: 'up', aaa, database, redis }, isHealthy };
}

async function probe(check: () => Promise<void>, timeoutMs: number): Promise<PartState> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<PartState>((resolve) => {
    timer = setTimeout(() => resolve('down'), timeoutMs);
  });
  try {
    return await Promise.race([
      check().then(
        () => 'ok' as const,
        () => 'down' as const,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
