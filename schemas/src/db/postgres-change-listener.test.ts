// The LISTEN connection behind PostgresDatabases.watchChanges, on a real PostgreSQL: a watch vouches only
// while the listener is live, a commit acknowledged before a request is known after that request's round
// trip (no stale window), and a lost connection stops the vouching until it is back.
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresChangeListener } from './postgres-change-listener';
import { PostgresDatabases } from './postgres-databases';
import type { ChangeWatch } from './sql-database';
import { type PostgresServer, startPostgresServer } from './testing/postgres-server';

let server: PostgresServer;
let databases: PostgresDatabases;
/** The same database through a pool of its own: another node (the control API that writes). */
let otherNode: PostgresDatabases;
let planCount = 0;

const PLAN_SQL = `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
                  VALUES (?, 'Plan', 'pppoe', 100, 1, 1, 0, 0)`;

beforeAll(async () => {
  server = await startPostgresServer();
  const url = await server.createDatabase('listener');
  databases = await PostgresDatabases.open({ url });
  await databases.createTenant('ten_watched');
  await databases.createTenant('ten_other');
  otherNode = await PostgresDatabases.open({ url });
});

afterAll(async () => {
  await otherNode?.close();
  await databases?.close();
  await server?.stop();
});

async function addPlan(tenantId: string): Promise<void> {
  await otherNode.forTenant(tenantId).run(PLAN_SQL, [`pln_${++planCount}`]);
}

/** What the AAA cache does after a read: accept the mark of the check made before it. */
function acceptNow(watch: ChangeWatch): void {
  watch.isUnchangedSinceAccepted();
  watch.accept(watch.markOfLastCheck());
}

/** The check as the AAA cache makes it on PostgreSQL: after the round trip that follows the request. */
async function isUnchangedNow(watch: ChangeWatch): Promise<boolean> {
  if (!watch.isUnchangedSinceAccepted()) return false;
  await watch.deliveredUpToNow?.();
  return watch.isUnchangedSinceAccepted();
}

describe('PostgreSQL change listener', () => {
  it('vouches once live, and not after a commit to its schema acknowledged before the check', async () => {
    const watch = databases.watchChanges('ten_watched');
    await expect.poll(() => databases.isListeningForChanges(), { timeout: 10_000 }).toBe(true);
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
    acceptNow(watch);
    expect(await isUnchangedNow(watch)).toBe(true);
    await addPlan('ten_other');
    expect(await isUnchangedNow(watch)).toBe(true);
    for (let round = 0; round < 20; round += 1) {
      await addPlan('ten_watched');
      // No waiting beyond the check's own round trip: the commit above was acknowledged before it.
      expect(await isUnchangedNow(watch)).toBe(false);
      acceptNow(watch);
      expect(await isUnchangedNow(watch)).toBe(true);
    }
  });

  it('stops vouching when its connection is lost, and vouches again only after a new read once back', async () => {
    const watch = databases.watchChanges('ten_watched');
    await expect.poll(() => databases.isListeningForChanges(), { timeout: 10_000 }).toBe(true);
    acceptNow(watch);
    expect(await isUnchangedNow(watch)).toBe(true);
    await otherNode.platform.get(
      `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = 'kiunga-listen'`,
    );
    await expect.poll(() => watch.isUnchangedSinceAccepted(), { timeout: 10_000 }).toBe(false);
    await addPlan('ten_watched');
    await expect.poll(() => databases.isListeningForChanges(), { timeout: 10_000 }).toBe(true);
    // A mark of the lost connection is never current again: the cache must read first.
    expect(watch.isUnchangedSinceAccepted()).toBe(false);
    acceptNow(watch);
    expect(await isUnchangedNow(watch)).toBe(true);
  });

  it('waits for a late reply as slowness, and takes only silence for a lost connection', async () => {
    const url = await server.createDatabase('listener_slow');
    const states: boolean[] = [];
    // Silence bound well above the pause below, so that a loaded machine does not turn slow into silent.
    const listener = new PostgresChangeListener(url, (isListening) => states.push(isListening), {
      silenceMs: 4_000,
    });
    try {
      await expect.poll(() => listener.isLive, { timeout: 10_000 }).toBe(true);
      const backend = await otherNode.platform.get<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = 'listener_slow' AND application_name = 'kiunga-listen'`,
      );
      const pid = backend!.pid;
      // The listening backend stops answering for longer than the 1 s that once counted as lost.
      process.kill(pid, 'SIGSTOP');
      let slowTrip: Promise<void>;
      try {
        slowTrip = listener.deliveredUpToNow();
        await delay(1_500);
        expect(listener.isLive).toBe(true);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      await slowTrip;
      expect(listener.isLive).toBe(true);
      expect(states).toEqual([true]);
      // Silent past the bound: lost, the waiting round trip ends with an error, and it connects again.
      process.kill(pid, 'SIGSTOP');
      try {
        const silentTrip = listener.deliveredUpToNow().then(
          () => 'answered',
          () => 'lost',
        );
        await expect.poll(() => listener.isLive, { timeout: 10_000 }).toBe(false);
        expect(await silentTrip).toBe('lost');
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      await expect.poll(() => listener.isLive, { timeout: 10_000 }).toBe(true);
      expect(states).toEqual([true, false, true]);
    } finally {
      await listener.close();
    }
  });
});
