// The checks both dialects apply to values crossing the driver: safe integers only, known types only.
import type { SqlValue } from './sql-database';

/** A value a bound parameter may not hold, or a stored integer JavaScript cannot represent exactly. */
export class SqlValueError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'SqlValueError';
  }
}

/**
 * Refuses what one dialect would store differently from the other: a number that is not a safe
 * integer (SQLite keeps 1.5 in an INTEGER column, PostgreSQL refuses it for BIGINT; beyond 2^53 a
 * number is already not the integer the caller meant), or a type outside SqlValue (a boolean, a bigint,
 * undefined), which the drivers would turn into different things or refuse.
 */
export function assertBindable(params: readonly SqlValue[]): void {
  for (let index = 0; index < params.length; index++) {
    const value: unknown = params[index];
    if (typeof value === 'string' || value === null || value instanceof Uint8Array) continue;
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value)) continue;
      throw new SqlValueError(`parameter ${index + 1} is ${value}: bind integers within ±(2^53 − 1) only`);
    }
    throw new SqlValueError(
      `parameter ${index + 1} is a ${typeof value}: bind strings, safe integers, null or bytes (booleans as 0/1)`,
    );
  }
}

/** A stored integer read back: refused when it is beyond what a JavaScript number holds exactly. */
export function safeIntegerFromText(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new SqlValueError(`stored integer ${text} is beyond Number.MAX_SAFE_INTEGER: it cannot be read`);
  }
  return value;
}

/**
 * A stored numeric read back (PostgreSQL's SUM of BIGINT is numeric): integers must be safe, and a
 * fraction (an AVG) must lie within the safe range too.
 */
export function numberFromNumericText(text: string): number {
  if (/^-?\d+$/.test(text)) return safeIntegerFromText(text);
  const value = Number(text);
  if (!(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) {
    throw new SqlValueError(`stored number ${text} is beyond Number.MAX_SAFE_INTEGER: it cannot be read`);
  }
  return value;
}

/**
 * better-sqlite3 returns an integer beyond 2^53 as the nearest double, silently; the magnitude
 * check catches it (such a double is at least 2^53, which no safe integer reaches).
 */
export function assertReadableNumber(value: unknown): void {
  if (typeof value === 'number' && !(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) {
    throw new SqlValueError(`stored number ${value} is beyond Number.MAX_SAFE_INTEGER: it cannot be read`);
  }
}
