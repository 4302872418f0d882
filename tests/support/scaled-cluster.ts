// A scaled Kiunga cluster on loopback, as an operator runs one: a throwaway PostgreSQL and redis-server,
// two `./kiunga start --role aaa` nodes (RADIUS on 127.0.0.2 and 127.0.0.3) and one `--role api` node (or more),
// every node on the same KIUNGA_DATABASE_URL and KIUNGA_REDIS_URL; stopped and removed by stop().
import { type RedisServer, startRedisServer } from '@kiunga/aaa-server/testing';
import { createTestDatabaseUrl, stopTestDatabaseServer } from '@kiunga/schemas/testing';
import {
  type DemoJson,
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  runKiunga,
  startKiunga,
} from './kiunga-process';

/**
 * The AAA nodes' RADIUS addresses: apart from each other and from 127.0.0.1, so a request to one cannot
 * reach the other. Linux routes all of 127.0.0.0/8 to lo, and answers from them keep 127.0.0.1 as the
 * source of what radclient sends, which is the demo NAS's address.
 */
export const AAA_NODE_HOSTS = ['127.0.0.2', '127.0.0.3'] as const;

export interface AaaNode {
  /** 127.0.0.2 or 127.0.0.3. */
  readonly host: string;
  /** The running process; replaced by restart(). */
  readonly kiunga: RunningKiunga;
  /** host:port of its RADIUS authentication and accounting listeners, as radclient takes them. */
  readonly authServer: string;
  readonly acctServer: string;
}

export interface ScaledCluster {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly redis: RedisServer;
  readonly demo: DemoJson;
  /** The first API node. */
  readonly api: RunningKiunga;
  readonly apiNodes: readonly RunningKiunga[];
  readonly aaaNodes: readonly AaaNode[];
  /** Starts AAA node `index` again (after a kill) on new ports, on the same database and Redis. */
  restartAaaNode(index: number): Promise<AaaNode>;
  /** Another node of `role` on the cluster's database and Redis; stop() stops it too. */
  startNode(role: 'api' | 'aaa' | 'all', environment?: NodeJS.ProcessEnv): Promise<RunningKiunga>;
  /** Everything the cluster's nodes printed, node by node, to explain a failure. */
  output(): string;
  /** Stops every node (SIGTERM), Redis and PostgreSQL; the exit codes of the nodes still running. */
  stop(): Promise<Array<number | null>>;
}

export interface ScaledClusterOptions {
  /** Extra vouchers of the demo's first ISP (kiunga demo --vouchers). */
  readonly vouchers?: number;
  /** How many `--role api` nodes (default 1). */
  readonly apiNodes?: number;
  /** More KIUNGA_* variables for every node (the M-Pesa simulator's URL, say). */
  readonly environment?: NodeJS.ProcessEnv;
  /** Runs once the demo is seeded, before any node starts (to start a simulator the nodes call); its variables go to every node. */
  readonly beforeNodesStart?: (demo: DemoJson) => Promise<NodeJS.ProcessEnv>;
}

export async function startScaledCluster(options: ScaledClusterOptions = {}): Promise<ScaledCluster> {
  const dataDir = makeDataDir();
  const [databaseUrl, redis] = await Promise.all([createTestDatabaseUrl(), startRedisServer()]);
  const clusterEnvironment: NodeJS.ProcessEnv = {
    KIUNGA_DATABASE_URL: databaseUrl,
    KIUNGA_REDIS_URL: redis.url,
    ...options.environment,
  };
  const started: RunningKiunga[] = [];
  const startNode = async (role: 'api' | 'aaa' | 'all', environment: NodeJS.ProcessEnv = {}) => {
    const node = await startKiunga(dataDir, { ...clusterEnvironment, ...environment }, undefined, [
      '--role',
      role,
    ]);
    started.push(node);
    return node;
  };
  const startAaaNode = async (host: string): Promise<AaaNode> => {
    const kiunga = await startNode('aaa', { KIUNGA_RADIUS_HOST: host });
    return {
      host,
      kiunga,
      authServer: `${host}:${kiunga.authPort}`,
      acctServer: `${host}:${kiunga.acctPort}`,
    };
  };
  const stopAll = async () => {
    const codes: Array<number | null> = [];
    for (const node of started) {
      if (node.process.exitCode === null && node.process.signalCode === null) codes.push(await node.stop());
    }
    await redis.dispose();
    await stopTestDatabaseServer();
    removeDataDir(dataDir);
    return codes;
  };
  try {
    const seeded = await runKiunga(
      ['demo', '--seed-only', '--json', '--data-dir', dataDir, '--vouchers', String(options.vouchers ?? 0)],
      clusterEnvironment,
    );
    const demo = JSON.parse(seeded.stdout) as DemoJson;
    Object.assign(clusterEnvironment, await options.beforeNodesStart?.(demo));
    const [apiNodes, nodes] = await Promise.all([
      Promise.all(Array.from({ length: options.apiNodes ?? 1 }, () => startNode('api'))),
      Promise.all(AAA_NODE_HOSTS.map((host) => startAaaNode(host))),
    ]);
    const api = apiNodes[0];
    if (api === undefined) throw new Error('a cluster needs an API node');
    return {
      dataDir,
      databaseUrl,
      redis,
      demo,
      api,
      apiNodes,
      aaaNodes: nodes,
      async restartAaaNode(index) {
        const host = AAA_NODE_HOSTS[index];
        if (host === undefined) throw new Error(`no AAA node ${index}`);
        const node = await startAaaNode(host);
        nodes[index] = node;
        return node;
      },
      startNode,
      output: () => started.map((node) => `--- ${node.baseUrl}\n${node.output()}`).join('\n'),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
