// The write gate between this process's threads (thread-write-gate.ts): a tenant shard's write
// transaction awaits another thread's hold on the gate without blocking its event loop, and goes
// on once the gate is freed, by its holder or because the holder thread ended.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openExistingTenantConnection, tenantDatabasePath } from '../database';
import { SqliteDatabases } from './sqlite-databases';
import { releaseThreadWriteGatesOf, threadWriteGateBuffer, writeGateSlotOf } from './thread-write-gate';

const dataDirs: string[] = [];
afterAll(() => {
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
});

/** A thread that is not this one (worker thread ids start at 1; the mark is id + 1). */
const OTHER_THREAD_ID = 41;

async function tenantWithSecondConnection() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-write-gate-'));
  dataDirs.push(dataDir);
  const databases = new SqliteDatabases({ dataDir });
  await databases.createTenant('ten_gate');
  const database = databases.forTenant('ten_gate');
  await database.run('CREATE TABLE gate_probe (step TEXT NOT NULL)');
  // What the metering worker has: its own connection to the same file.
  const other = openExistingTenantConnection(dataDir, 'ten_gate');
  const words = new Int32Array(threadWriteGateBuffer());
  const slot = writeGateSlotOf(tenantDatabasePath(dataDir, 'ten_gate'));
  return { databases, database, other, words, slot };
}

/** Turns of the event loop (macrotasks) until `done` settles. */
async function loopTurnsWhile(done: Promise<unknown>): Promise<number> {
  let isDone = false;
  void done.finally(() => {
    isDone = true;
  });
  let turns = 0;
  while (!isDone) {
    await new Promise((resolve) => setImmediate(resolve));
    turns += 1;
  }
  return turns;
}

describe('the write gate between threads', () => {
  it('makes a write transaction await another thread writing the shard, serving its event loop meanwhile', async () => {
    const { databases, database, other, words, slot } = await tenantWithSecondConnection();
    // The other thread takes the gate, then SQLite's write lock, and writes.
    Atomics.store(words, slot, OTHER_THREAD_ID + 1);
    other.exec("BEGIN IMMEDIATE; INSERT INTO gate_probe VALUES ('other')");
    const ours = database.transaction(async (transaction) => {
      await transaction.run("INSERT INTO gate_probe VALUES ('ours')");
    });
    // Without the gate, BEGIN IMMEDIATE would sleep in SQLite's busy handler: no turn until it gave up.
    const turnsBeforeRelease = await loopTurnsWhile(new Promise((resolve) => setTimeout(resolve, 50)));
    expect(turnsBeforeRelease).toBeGreaterThan(1);
    expect(Atomics.load(words, slot)).toBe(OTHER_THREAD_ID + 1);
    other.exec('COMMIT');
    Atomics.store(words, slot, 0);
    Atomics.notify(words, slot);
    await ours;
    expect(await database.column('SELECT step FROM gate_probe ORDER BY rowid')).toEqual(['other', 'ours']);
    // Ours freed the gate after its commit.
    expect(Atomics.load(words, slot)).toBe(0);
    other.close();
    await databases.close();
  });

  it('frees the gates a thread held when it ended, and the waiting write goes on', async () => {
    const { databases, database, other, words, slot } = await tenantWithSecondConnection();
    Atomics.store(words, slot, OTHER_THREAD_ID + 1);
    const ours = database.run("INSERT INTO gate_probe VALUES ('first')").then(() =>
      database.transaction(async (transaction) => {
        await transaction.run("INSERT INTO gate_probe VALUES ('after the end')");
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    releaseThreadWriteGatesOf(OTHER_THREAD_ID);
    await ours;
    expect(await database.column('SELECT step FROM gate_probe ORDER BY rowid')).toEqual([
      'first',
      'after the end',
    ]);
    other.close();
    await databases.close();
  });

  it('goes on without the gate when its holder never frees it (SQLite still orders the writes)', async () => {
    const { databases, database, other, words, slot } = await tenantWithSecondConnection();
    Atomics.store(words, slot, OTHER_THREAD_ID + 1);
    await database.transaction(async (transaction) => {
      await transaction.run("INSERT INTO gate_probe VALUES ('after the longest wait')");
    });
    expect(await database.column('SELECT step FROM gate_probe')).toEqual(['after the longest wait']);
    // Still the dead holder's: ours never took it, so never freed it.
    expect(Atomics.load(words, slot)).toBe(OTHER_THREAD_ID + 1);
    releaseThreadWriteGatesOf(OTHER_THREAD_ID);
    other.close();
    await databases.close();
  });
});
