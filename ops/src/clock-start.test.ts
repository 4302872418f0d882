// KIUNGA_CLOCK_START: honoured for the demo command and on demo data dirs, refused elsewhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@kiunga/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import { clockStartingAt, processClock } from './clock-start';
import { ConfigError } from './config';

const plainDir = mkdtempSync(join(tmpdir(), 'kiunga-clock-plain-'));
const demoDir = mkdtempSync(join(tmpdir(), 'kiunga-clock-demo-'));
writeFileSync(join(demoDir, 'demo.json'), '{}\n');
const start = '2030-03-14T10:00:00+03:00';

afterAll(() => {
  rmSync(plainDir, { recursive: true, force: true });
  rmSync(demoDir, { recursive: true, force: true });
});

describe('clockStartingAt', () => {
  it('reads the start instant first and then moves with real time', () => {
    let realMs = 1_000_000;
    const clock = clockStartingAt(Date.parse(start), () => realMs);
    expect(new Date(clock.now()).toISOString()).toBe('2030-03-14T07:00:00.000Z');
    realMs += 90_000;
    expect(new Date(clock.now()).toISOString()).toBe('2030-03-14T07:01:30.000Z');
  });
});

describe('processClock', () => {
  it('is the system clock when KIUNGA_CLOCK_START is not set', () => {
    expect(processClock({}, { dataDir: plainDir, isDemoCommand: false })).toEqual({
      clock: systemClock,
      startMs: null,
    });
  });

  it('starts at the instant for `kiunga demo` and for `kiunga start` on a demo data dir', () => {
    const environment = { KIUNGA_CLOCK_START: start };
    for (const options of [
      { dataDir: plainDir, isDemoCommand: true },
      { dataDir: demoDir, isDemoCommand: false },
    ]) {
      const time = processClock(environment, options);
      expect(time.startMs).toBe(Date.UTC(2030, 2, 14, 7));
      expect(time.clock.now() - Date.UTC(2030, 2, 14, 7)).toBeLessThan(60_000);
    }
  });

  it('refuses it on a data dir the demo did not make, and refuses an instant without an offset', () => {
    expect(() =>
      processClock({ KIUNGA_CLOCK_START: start }, { dataDir: plainDir, isDemoCommand: false }),
    ).toThrow(ConfigError);
    expect(() =>
      processClock({ KIUNGA_CLOCK_START: '2030-03-14 10:00' }, { dataDir: demoDir, isDemoCommand: false }),
    ).toThrow(/ISO 8601/);
  });
});
