// The data directory is the service account's alone: after `kiunga demo` seeding, `migrate` and a
// running `start` (new ISP, RADIUS traffic, an archived ISP), every file is 0600 and every folder 0700,
// and an installation whose files were made readable by others before is tightened on migrate/start.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, uniqueEmail } from './support/identity-client';
import {
  type DemoJson,
  makeDataDir,
  removeDataDir,
  runKiunga,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';
import { radclient } from './support/radclient';

let dataDir: string;
let demo: DemoJson;

/** Every file and folder under the data dir (itself included) with its permission bits, as `ls -l` would show. */
function modesUnder(path: string, modes: Record<string, string> = {}): Record<string, string> {
  const stats = lstatSync(path);
  modes[path.slice(dataDir.length) || '/'] = (stats.mode & 0o777).toString(8);
  if (stats.isDirectory()) for (const entry of readdirSync(path)) modesUnder(join(path, entry), modes);
  return modes;
}

/** What an older installation looks like: everything readable by group and others. */
function loosenUnder(path: string): void {
  const isDirectory = lstatSync(path).isDirectory();
  chmodSync(path, isDirectory ? 0o755 : 0o644);
  if (isDirectory) for (const entry of readdirSync(path)) loosenUnder(join(path, entry));
}

function expectOwnerOnly(modes: Record<string, string>): void {
  const wrong = Object.entries(modes).filter(([path, mode]) => {
    const isDirectory = lstatSync(join(dataDir, path)).isDirectory();
    return mode !== (isDirectory ? '700' : '600');
  });
  expect(wrong).toEqual([]);
}

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
});

afterAll(() => {
  removeDataDir(dataDir);
});

describe('data directory permissions', () => {
  it('seeds the demo owner-only: databases, demo.json and master.key 0600, folders 0700', () => {
    const modes = modesUnder(dataDir);
    expect(Object.keys(modes)).toEqual(
      expect.arrayContaining(['/platform.db', '/demo.json', '/master.key', '/tenants']),
    );
    expectOwnerOnly(modes);
  });

  it('tightens an installation whose files are readable by others on migrate', async () => {
    loosenUnder(dataDir);
    expect(modesUnder(dataDir)['/master.key']).toBe('644');
    await runKiunga(['migrate', '--data-dir', dataDir]);
    expectOwnerOnly(modesUnder(dataDir));
  });

  it('tightens on start, and keeps every file it makes while running owner-only', async () => {
    loosenUnder(dataDir);
    const kiunga = await startKiunga(dataDir);
    try {
      const tenant = demo.tenants[0]!;
      const voucher = tenant.vouchers[0]!;
      const reply = await radclient({
        server: `127.0.0.1:${kiunga.authPort}`,
        command: 'auth',
        secret: tenant.nas[0]!.secret,
        attributes: { 'User-Name': voucher.code, 'User-Password': voucher.code },
      });
      expect(reply.code).toBe('Access-Accept');
      const admin = await login(kiunga.baseUrl, demo.superAdmin);
      const created = await admin.post('/api/v1/platform/tenants', {
        name: 'Modes Net',
        slug: 'modes-net',
        tier: 'tier1',
        featureChoice: 'hotspot',
        owner: { email: uniqueEmail('modes-owner') },
      });
      expect(created.status).toBe(201);
      const archived = await admin.post(`/api/v1/platform/tenants/${created.body.id}/archive`, {});
      expect(archived.body.status).toBe('archived');

      const modes = modesUnder(dataDir);
      // While running, SQLite's write-ahead logs exist beside the databases.
      expect(Object.keys(modes)).toEqual(
        expect.arrayContaining([
          '/platform.db-wal',
          '/platform.db-shm',
          `/tenants/${tenant.id}.db-wal`,
          '/tenants/archive',
          `/tenants/archive/${created.body.id}.db`,
        ]),
      );
      expectOwnerOnly(modes);
    } finally {
      expect(await kiunga.stop()).toBe(0);
    }
    expectOwnerOnly(modesUnder(dataDir));
  });

  it('migrates again after an ISP was archived (its shard is left in the archive)', async () => {
    const { stdout } = await runKiunga(['migrate', '--data-dir', dataDir]);
    expect(stdout).toContain(`and ${demo.tenants.length} tenant shard(s)`);
    expectOwnerOnly(modesUnder(dataDir));
  });
});
