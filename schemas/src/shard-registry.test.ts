// The shard registry's cap on open handles: the least recently used shard is the one closed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ShardRegistry } from './shard-registry';

let dataDir: string | undefined;

afterEach(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('ShardRegistry', () => {
  it('closes the least recently used shard past its cap, counting repeated asks for the same one', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kiunga-shards-'));
    const shards = new ShardRegistry({ dataDir, openShardsMax: 2 });
    const first = shards.forTenant('ten_a');
    const second = shards.forTenant('ten_b');
    expect(shards.forTenant('ten_a')).toBe(first);
    expect(shards.forTenant('ten_a')).toBe(first);
    shards.forTenant('ten_c');
    expect(shards.openCount).toBe(2);
    expect(second.sqlite.open).toBe(false);
    expect(first.sqlite.open).toBe(true);
    expect(shards.forTenant('ten_a')).toBe(first);
    shards.close('ten_a');
    expect(shards.forTenant('ten_b')).not.toBe(second);
    shards.forTenant('ten_d');
    expect(shards.openCount).toBe(2);
    shards.closeAll();
  });
});
