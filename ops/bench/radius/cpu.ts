// Reads how much CPU time a process has used so far, from Linux's /proc/<pid>/stat, in microseconds.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU time in clock ticks; 100 per second is the value on every common build. */
const CLOCK_TICKS_PER_SECOND_DEFAULT = 100;
const MICROSECONDS_PER_SECOND = 1_000_000;
/** After the ')' closing the command name, utime and stime are fields 12 and 13 (man 5 proc, fields 14, 15). */
const USER_TIME_FIELD_AFTER_NAME = 11;
const SYSTEM_TIME_FIELD_AFTER_NAME = 12;
/** cutime and cstime: CPU of the process's children it has waited for (man 5 proc, fields 16, 17). */
const REAPED_CHILDREN_USER_TIME_FIELD_AFTER_NAME = 13;
const REAPED_CHILDREN_SYSTEM_TIME_FIELD_AFTER_NAME = 14;

let clockTicksPerSecondCached: number | undefined;

export function clockTicksPerSecond(): number {
  if (clockTicksPerSecondCached !== undefined) return clockTicksPerSecondCached;
  try {
    const parsed = Number.parseInt(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(), 10);
    clockTicksPerSecondCached =
      Number.isFinite(parsed) && parsed > 0 ? parsed : CLOCK_TICKS_PER_SECOND_DEFAULT;
  } catch {
    clockTicksPerSecondCached = CLOCK_TICKS_PER_SECOND_DEFAULT;
  }
  return clockTicksPerSecondCached;
}

/** User plus system CPU time of every thread of `pid` (not its children), in microseconds. */
export function readProcessCpuMicroseconds(pid: number): number {
  return readCpuFields(pid, USER_TIME_FIELD_AFTER_NAME, SYSTEM_TIME_FIELD_AFTER_NAME);
}

/**
 * CPU time of the children of `pid` that have exited and been waited for, in microseconds: a
 * PostgreSQL backend whose connection the pool closed takes its time here, not out of the total.
 */
export function readReapedChildrenCpuMicroseconds(pid: number): number {
  return readCpuFields(
    pid,
    REAPED_CHILDREN_USER_TIME_FIELD_AFTER_NAME,
    REAPED_CHILDREN_SYSTEM_TIME_FIELD_AFTER_NAME,
  );
}

function readCpuFields(pid: number, userField: number, systemField: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may itself contain spaces or parentheses, so split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number.parseInt(fields[userField] ?? '', 10);
  const systemTicks = Number.parseInt(fields[systemField] ?? '', 10);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) {
    throw new Error(`unexpected /proc/${pid}/stat format`);
  }
  return ((userTicks + systemTicks) * MICROSECONDS_PER_SECOND) / clockTicksPerSecond();
}

/**
 * CPU so far of the postmaster, its live children (backends, WAL writer, checkpointer) and the ones
 * that exited (a pooled connection idle for 10 s is closed, and its backend's time must not vanish).
 */
export function postgresCpuMicroseconds(postmasterPid: number): number {
  let total = readProcessCpuMicroseconds(postmasterPid) + readReapedChildrenCpuMicroseconds(postmasterPid);
  for (const child of childPids(postmasterPid)) {
    try {
      total += readProcessCpuMicroseconds(child);
    } catch {
      // It exited between the listing and the read.
    }
  }
  return total;
}

function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((item) => Number.parseInt(item, 10));
  } catch {
    return [];
  }
}

/** The postmaster of the server on `port`: the process whose program is postgres, started with `-p port`. */
export function postmasterPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const portIndex = argv.indexOf('-p');
      if (argv[0]?.endsWith('/postgres') && argv[portIndex + 1] === String(port)) return Number(entry);
    } catch {
      // It exited while we looked.
    }
  }
  throw new Error(`no postgres process listens on port ${port}`);
}
