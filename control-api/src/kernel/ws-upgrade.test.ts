// The live-feed helper's own rules that no feed test sees: its routes are registered and removed with the
// feed, a tick slower than its interval is never run twice at once (a feed's poll of the AAA table or a
// shard then never piles up behind a slow database), and which cap refuses a connection.
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { admitConnection, startLiveFeed, type UpgradeHandler, type UpgradeRouter } from './ws-upgrade';

const TICK_MS = 1_000;

function recordingRouter() {
  const paths = new Map<string, UpgradeHandler>();
  const suffixes = new Map<string, UpgradeHandler>();
  const router: UpgradeRouter = {
    register: (path, handler) => void paths.set(path, handler),
    unregister: (path) => void paths.delete(path),
    registerSuffix: (suffix, handler) => void suffixes.set(suffix, handler),
    unregisterSuffix: (suffix) => void suffixes.delete(suffix),
  };
  return { router, paths, suffixes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('startLiveFeed', () => {
  it('runs one tick at a time however slow it is, and stops ticking and routing when stopped', async () => {
    vi.useFakeTimers();
    const { router, paths, suffixes } = recordingRouter();
    let ticks = 0;
    let finishTick = () => {};
    const feed = startLiveFeed<null>(router, {
      name: 'test feed',
      logger: pino({ level: 'silent' }),
      routes: [
        { path: '/api/v1/test/live', admit: async () => ({ scope: 'a', identity: null }) },
        { path: '/test/live', isSuffix: true, admit: async () => ({ scope: 'a', identity: null }) },
      ],
      caps: { perScopeMax: 1, overallMax: 1, refusalMessage: () => 'full' },
      backPressure: 'coalesce',
      isStillAllowed: async () => true,
      onWelcome: () => {},
      tick: {
        intervalMs: TICK_MS,
        run: () => {
          ticks += 1;
          return new Promise<void>((resolve) => {
            finishTick = resolve;
          });
        },
      },
    });
    expect([...paths.keys()]).toEqual(['/api/v1/test/live']);
    expect([...suffixes.keys()]).toEqual(['/test/live']);

    await vi.advanceTimersByTimeAsync(TICK_MS * 3);
    expect(ticks).toBe(1);
    finishTick();
    await vi.advanceTimersByTimeAsync(TICK_MS);
    expect(ticks).toBe(2);
    finishTick();

    const stopped = feed.stop();
    await vi.advanceTimersByTimeAsync(TICK_MS * 3);
    await stopped;
    expect(ticks).toBe(2);
    expect(paths.size + suffixes.size).toBe(0);
  });
});

describe('admitConnection', () => {
  const limits = { perTenantMax: 2, overallMax: 3 };
  it('admits under both caps and names the cap that is full', () => {
    expect(admitConnection({ tenantConnections: 1, allConnections: 2 }, limits)).toEqual({
      isAdmitted: true,
    });
    expect(admitConnection({ tenantConnections: 2, allConnections: 2 }, limits)).toEqual({
      isAdmitted: false,
      reason: 'tenant_full',
    });
    expect(admitConnection({ tenantConnections: 0, allConnections: 3 }, limits)).toEqual({
      isAdmitted: false,
      reason: 'server_full',
    });
  });
});
