// What the control API's routes need, passed in once at start (no globals).
import type { AaaControl, Clock, PlatformDatabase, SecretBox, ShardRegistry } from '@kiunga/schemas';
import type { Logger } from 'pino';
import type { Principal } from './permissions';

export interface ApiDependencies {
  platform: PlatformDatabase;
  shards: ShardRegistry;
  secretBox: SecretBox;
  clock: Clock;
  aaa: AaaControl;
  logger: Logger;
  /** HMAC key for access tokens (HS256), derived from the master key. */
  tokenKey: Uint8Array;
  publicUrl: string;
}

/** Hono's typed context variables. */
export interface AppEnv {
  Variables: {
    principal: Principal;
  };
}
