// The one Redis connection of a session table: bounded in time, failing fast while Redis is away, never evicting.
import { KiungaError } from '@kiunga/schemas';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { sessionStoreUnavailable } from '../session-store';
import { LOCK_SCRIPTS } from './lock-scripts';
import { SESSION_READ_SCRIPTS } from './read-scripts';
import {
  REDIS_COMMAND_TIMEOUT_MS,
  REDIS_CONNECT_TIMEOUT_MS,
  REDIS_RECONNECT_DELAY_MAX_MS,
} from './redis-limits';
import { SESSION_CHANGE_SCRIPTS } from './session-scripts';

/** Loaded at connect, so even the first call of each script is answered by its digest. */
const ALL_SCRIPTS = [...SESSION_CHANGE_SCRIPTS, ...SESSION_READ_SCRIPTS, ...LOCK_SCRIPTS];

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` (KIUNGA_REDIS_URL); `rediss://` for TLS. */
  readonly url: string;
  readonly commandTimeoutMs?: number;
  readonly connectionName?: string;
  readonly logger?: Logger;
}

/** Redis's only policy that never drops a key to make room (Redis docs, "Key eviction", Eviction policies). */
const REQUIRED_EVICTION_POLICY = 'noeviction';
const RECONNECT_STEP_MS = 100;

/**
 * A connection that never queues: while Redis is unreachable a call fails at once instead of waiting
 * for a reconnect, and a call whose reply was lost with the connection fails instead of being sent a
 * second time (a retried change could answer a different caller than the one that made it).
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<Redis> {
  const client = new Redis(options.url, {
    lazyConnect: true,
    // RESP2: the scripts answer only lists, strings, integers and nil, which RESP2 carries on every
    // Redis and Valkey version, without the HELLO handshake.
    protocol: 2,
    connectionName: options.connectionName ?? 'kiunga-aaa',
    commandTimeout: options.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // Calls made in one turn of the event loop go out in one write (ioredis "auto pipelining"): a
    // committed accounting group updates the table for each of its records in the same turn, so
    // that is one write and one read for the group instead of one per record, for the node and Redis.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, REDIS_RECONNECT_DELAY_MAX_MS),
  });
  watchConnection(client, options.logger);
  try {
    await client.connect();
    await assertNeverEvicts(client);
    for (const script of ALL_SCRIPTS) await script.load(client);
  } catch (error) {
    client.disconnect();
    if (error instanceof KiungaError || isConfigurationError(error)) throw error;
    throw sessionStoreUnavailable('connect', reasonOf(error));
  }
  return client;
}

/**
 * An evicting Redis would silently drop a device slot or a session under memory pressure and so let
 * an N+1th device in. Refuse it at start rather than break device limits later; with `noeviction`
 * a full Redis refuses writes, which become `session_store_unavailable` errors.
 */
async function assertNeverEvicts(client: Redis): Promise<void> {
  const info = await client.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
  if (policy !== REQUIRED_EVICTION_POLICY) {
    throw new ConfigurationError(
      `Redis maxmemory-policy is ${policy ?? 'unknown'}; the session table needs ${REQUIRED_EVICTION_POLICY} ` +
        '(an evicted device slot would let an extra device in)',
    );
  }
}

class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

function isConfigurationError(error: unknown): boolean {
  return error instanceof ConfigurationError;
}

/** Logs changes of state only: a Redis that stays away is one warning, not one per reconnect attempt. */
function watchConnection(client: Redis, logger: Logger | undefined): void {
  let isUp = false;
  client.on('ready', () => {
    if (!isUp) logger?.info('session table: Redis connection ready');
    isUp = true;
  });
  client.on('error', (error: Error) => {
    if (isUp) logger?.warn({ err: error }, 'session table: Redis connection lost');
    isUp = false;
  });
  client.on('end', () => {
    isUp = false;
  });
}

/**
 * Operating errors (no connection, timeout, Redis out of memory, a read-only replica, a busy or loading
 * server) become `session_store_unavailable`. An error inside one of our scripts is a bug and stays as it is.
 */
export function toStoreError(
  operation: string,
  error: unknown,
  connection: { isSlowNotLost?: boolean } = {},
): unknown {
  if (error instanceof KiungaError) return error;
  if (isScriptBug(error)) return error;
  const isSlow = connection.isSlowNotLost === true && isReplyTimeout(error);
  return sessionStoreUnavailable(operation, reasonOf(error), { isSlow });
}

/** ioredis's own error when a command's reply did not come within `commandTimeout` (Command.js). */
export function isReplyTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Command timed out';
}

/** Redis's own conditions (docs: error prefixes OOM, READONLY, BUSY, LOADING, MASTERDOWN), even when met inside a script. */
const REDIS_CONDITION_PATTERN = /\b(OOM|READONLY|BUSY|LOADING|MASTERDOWN)\b/;
const SCRIPT_BUG_PATTERN = /user_script|Error running script|Error compiling script/;

function isScriptBug(error: unknown): boolean {
  if (!(error instanceof Error) || REDIS_CONDITION_PATTERN.test(error.message)) return false;
  return SCRIPT_BUG_PATTERN.test(error.message);
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
