// The control API's Redis connection (KIUNGA_REDIS_URL): short time limits, no queueing while Redis is
// away, reconnecting in the background, so that a lost Redis costs a fast error rather than a hang.
import Redis from 'ioredis';
import type { Logger } from 'pino';

/**
 * Longest wait for one reply. A counter update takes Redis well under a millisecond; half a second
 * means it is stuck or gone, and a sign-in falls back to this node's own counts instead of waiting.
 */
export const API_REDIS_COMMAND_TIMEOUT_MS = 500;
/** Longest wait for a TCP connection and the ready check, at start and on every reconnect. */
export const API_REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** Reconnect attempts back off to at most this: a restarted Redis is used again within a second. */
export const API_REDIS_RECONNECT_DELAY_MAX_MS = 1_000;
const RECONNECT_STEP_MS = 100;

/**
 * A client that starts connecting at once and never queues a command while disconnected (it fails at
 * once). The node starts even when Redis is down: its limits are then counted locally and /healthz
 * says `redis: "down"` until the connection is back.
 */
export function connectApiRedis(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    protocol: 2,
    connectionName: 'kiunga-api',
    commandTimeout: API_REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: API_REDIS_CONNECT_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * RECONNECT_STEP_MS, API_REDIS_RECONNECT_DELAY_MAX_MS),
  });
  let isUp = false;
  client.on('ready', () => {
    if (!isUp) logger.info('Redis connection ready');
    isUp = true;
  });
  // Without an 'error' listener ioredis would print every failed reconnect; one warning per outage.
  client.on('error', (error: Error) => {
    if (isUp)
      logger.warn({ err: error }, 'Redis connection lost: limits are counted on this node until it is back');
    isUp = false;
  });
  client.connect().catch((error: unknown) => {
    logger.warn({ err: error }, 'Redis not reachable at start: limits are counted on this node until it is');
  });
  return client;
}

/** Resolves when Redis answers PING within the command timeout; throws otherwise. */
export async function pingRedis(client: Redis): Promise<void> {
  const reply = await client.ping();
  if (reply !== 'PONG') throw new Error(`Redis answered PING with ${reply}`);
}
