// The AaaControl of an API-only node (`--role api`) with KIUNGA_REDIS_URL: live sessions read from the AAA nodes' shared table in Redis, CoA sent from this node.
import type { AaaControl, Databases, SecretBox } from '@kiunga/schemas';
import type { Logger } from 'pino';
import { CoaClient } from './coa/index';
import { AaaMetrics } from './intake/metrics';
import { createControl, NAS_REGISTRY_REFRESH_MS } from './server';
import { RedisSessionTable } from './sessions/index';
import { NasRegistry } from './store/index';

export interface ApiNodeControlOptions {
  /** KIUNGA_REDIS_URL: the table the AAA nodes share. */
  readonly redisUrl: string;
  readonly databases: Databases;
  readonly secretBox: SecretBox;
  readonly logger: Logger;
}

export interface ApiNodeControl {
  readonly control: AaaControl;
  close(): Promise<void>;
}

/**
 * Session lists, a session's details and a subject's devices come from the shared table, exactly as an
 * AAA node sees them. Disconnect and rate change are sent by this node itself, with the NAS registry it
 * reads from the platform database (the same secrets the AAA nodes use): the API node needs no path to
 * an AAA node, and a CoA still works while every AAA node is being restarted. The NAS must accept CoA
 * from this node's address (docs/scaling.md, "API nodes and live sessions").
 *
 * This node never rebuilds the table: an empty Redis is rebuilt by the AAA nodes, which own it. Reads
 * while Redis is down fail as `session_store_unavailable` (503).
 */
export async function startApiNodeControl(options: ApiNodeControlOptions): Promise<ApiNodeControl> {
  const sessions = await RedisSessionTable.connect({
    url: options.redisUrl,
    connectionName: 'kiunga-api',
    openSessions: () => [],
    logger: options.logger,
  });
  const nasRegistry = new NasRegistry(options.databases.platform, options.secretBox);
  await nasRegistry.reload();
  const timer = setInterval(() => {
    nasRegistry
      .reload()
      .catch((error: unknown) => options.logger.error({ err: error }, 'nas registry reload failed'));
  }, NAS_REGISTRY_REFRESH_MS);
  timer.unref();
  const coa = new CoaClient();
  const control = createControl({
    sessions,
    nasRegistry,
    coa,
    metrics: new AaaMetrics(sessions),
    // No AAA server in this process: /healthz reports it absent, and its metrics are the AAA nodes'.
    isUp: () => false,
  });
  return {
    control: { ...control, metricsText: async () => '' },
    async close() {
      clearInterval(timer);
      coa.close();
      await sessions.close();
    },
  };
}
