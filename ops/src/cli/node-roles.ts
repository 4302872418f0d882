// `kiunga start --role all|aaa|api`: which servers this process runs, and which deployments allow a
// process that runs only part of them.
import { type AaaControl, KiungaError } from '@kiunga/schemas';
import { ConfigError, type KiungaConfig } from '../config';

export const NODE_ROLES = ['all', 'aaa', 'api'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

export function parseNodeRole(text: string | undefined): NodeRole {
  const role = text ?? 'all';
  if (!(NODE_ROLES as readonly string[]).includes(role))
    throw new ConfigError(`--role must be one of ${NODE_ROLES.join(', ')}, not '${role}'`);
  return role as NodeRole;
}

/**
 * Refuses a role this deployment cannot run. Nodes of a split deployment share state only through
 * PostgreSQL (and Redis): several processes on one SQLite data dir would each keep their own session
 * table, limits and job schedule, which is not a supported scaled setup.
 */
export function assertRoleFits(role: NodeRole, config: KiungaConfig): void {
  if (role === 'all') return;
  if (config.databaseUrl === null) {
    throw new ConfigError(
      `--role ${role} needs KIUNGA_DATABASE_URL (PostgreSQL): nodes share their state through it, and ` +
        'several processes on one SQLite data dir is not a supported scaled setup. ' +
        "Run './kiunga start' (role all) for one embedded node.",
    );
  }
}

const NOT_WIRED_MESSAGE =
  'Live sessions are held by the AAA nodes; an API-only node reaches them only through Redis (KIUNGA_REDIS_URL, docs/scaling.md).';

/**
 * The AAA control of an API-only node (`--role api`) without KIUNGA_REDIS_URL: no AAA server in this
 * process and no shared table to read. It sees no live session and refuses CoA with 503. With Redis set,
 * the node uses startApiNodeControl (@kiunga/aaa-server) instead.
 */
export const aaaOnOtherNodes: AaaControl = {
  isUp: () => false,
  metricsText: async () => '',
  listSessions: async () => [],
  findSession: async () => undefined,
  devicesOfSubject: async () => [],
  disconnectSession: async () => {
    throw new KiungaError('service_unavailable', NOT_WIRED_MESSAGE);
  },
  changeSessionRate: async () => {
    throw new KiungaError('service_unavailable', NOT_WIRED_MESSAGE);
  },
  changeSessionTimeout: async () => {
    throw new KiungaError('service_unavailable', NOT_WIRED_MESSAGE);
  },
  reloadNasRegistry: async () => {},
};
