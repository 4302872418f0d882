// The Lua scripts of the rebuild lock: renewed, released and finished only by the node that holds it.
import { RedisScript } from './redis-script';

/** Renews a lock only while this node still holds it. KEYS: lock. ARGV: token, ttl. Reply: 1 when renewed. */
export const RENEW_LOCK = new RedisScript(
  'renew-lock',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
);

/** Releases a lock only while this node still holds it. KEYS: lock. ARGV: token. */
export const RELEASE_LOCK = new RedisScript(
  'release-lock',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

/**
 * The last step of a rebuild: the table marker is set only while this node still holds the lock.
 * KEYS: lock, table marker. ARGV: token, marker value, marker ttl. Reply: 1 when set.
 */
export const FINISH_REBUILD = new RedisScript(
  'finish-rebuild',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
`,
);

export const LOCK_SCRIPTS: readonly RedisScript[] = [RENEW_LOCK, RELEASE_LOCK, FINISH_REBUILD];
