// KIUNGA_CLOCK_START: a clock that starts at a given instant and runs at real speed, for demos and
// tests that must not depend on today's date. Refused on a data dir that `kiunga demo` did not make:
// billing, expiry and dunning follow this clock, so on real data it would bill the wrong months.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '@kiunga/schemas';
import { z } from 'zod';
import { ConfigError } from './config';
import { DEMO_FILE_NAME } from './demo/seed';

export const CLOCK_START_VARIABLE = 'KIUNGA_CLOCK_START';

/** An ISO 8601 instant with its offset, e.g. 2030-03-14T10:00:00+03:00. */
const clockStartSchema = z.iso.datetime({ offset: true });

/** A clock reading `startMs` now and moving with `realNow` from here on. */
export function clockStartingAt(startMs: number, realNow: () => number = Date.now): Clock {
  const realStartMs = realNow();
  return { now: () => startMs + (realNow() - realStartMs) };
}

export interface ProcessClock {
  clock: Clock;
  /** The instant KIUNGA_CLOCK_START set, or null for the system clock. */
  startMs: number | null;
}

/**
 * The clock `kiunga demo` and `kiunga start` run on: the system clock, or KIUNGA_CLOCK_START's when set
 * for the demo command or on a demo data dir (one with the demo.json `kiunga demo` writes).
 */
export function processClock(
  environment: NodeJS.ProcessEnv,
  options: { dataDir: string; isDemoCommand: boolean },
): ProcessClock {
  const value = environment[CLOCK_START_VARIABLE];
  if (value === undefined || value === '') return { clock: systemClock, startMs: null };
  const parsed = clockStartSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      `invalid configuration: ${CLOCK_START_VARIABLE} must be an ISO 8601 instant with an offset, e.g. 2030-03-14T10:00:00+03:00`,
    );
  }
  if (!options.isDemoCommand && !existsSync(join(options.dataDir, DEMO_FILE_NAME))) {
    throw new ConfigError(
      `${CLOCK_START_VARIABLE} is a demo and test setting: refused for ${options.dataDir}, which 'kiunga demo' did not create`,
    );
  }
  const startMs = Date.parse(parsed.data);
  return { clock: clockStartingAt(startMs), startMs };
}
