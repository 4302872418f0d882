// One Lua script run by its SHA1 digest (EVALSHA), loaded again whenever Redis has forgotten it.
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

export type ScriptArgument = string | number;

/**
 * Redis keeps scripts by digest in a cache that "isn't saved with your data. It's emptied when the
 * server restarts, when a replica becomes the primary, and when someone runs SCRIPT FLUSH" (Redis docs,
 * "NOSCRIPT error", How to fix it). So every run sends only the digest, and a NOSCRIPT answer loads
 * the script (SCRIPT LOAD) and runs it again once.
 */
export class RedisScript {
  readonly name: string;
  readonly source: string;
  readonly sha: string;

  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: readonly string[], args: readonly ScriptArgument[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScriptError(error)) throw error;
      await this.load(client);
      return client.evalsha(this.sha, keys.length, ...keys, ...args);
    }
  }

  async load(client: Redis): Promise<void> {
    const loadedSha = await client.script('LOAD', this.source);
    if (loadedSha !== this.sha) throw new Error(`Redis digested script ${this.name} as ${String(loadedSha)}`);
  }
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
