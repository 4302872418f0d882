// Daraja's clock format (YYYYMMDDHHmmss in Kenyan time) and the STK password built from it.

/** Africa/Nairobi is UTC+3 all year (no daylight saving since 1942), so a fixed offset is exact. */
const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;
const DARAJA_TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

function twoDigits(value: number): string {
  return value.toString().padStart(2, '0');
}

/** `YYYYMMDDHHmmss` as a clock on a wall in Nairobi shows `epochMs`; what Daraja expects in `Timestamp`. */
export function darajaTimestamp(epochMs: number): string {
  const wall = new Date(epochMs + EAT_OFFSET_MS);
  if (Number.isNaN(wall.getTime())) throw new RangeError(`not a time: ${epochMs}`);
  return (
    wall.getUTCFullYear().toString().padStart(4, '0') +
    twoDigits(wall.getUTCMonth() + 1) +
    twoDigits(wall.getUTCDate()) +
    twoDigits(wall.getUTCHours()) +
    twoDigits(wall.getUTCMinutes()) +
    twoDigits(wall.getUTCSeconds())
  );
}

/**
 * Epoch milliseconds of a Daraja time (`Timestamp`, `TransactionDate`, `TransTime`), which Daraja sends
 * as a string or, in STK callback metadata, as a JSON number. `null` when it is not a real date and time.
 */
export function parseDarajaTimestamp(value: string | number): number | null {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? value.toString() : '') : value;
  const match = DARAJA_TIMESTAMP.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallMs);
  // Date.UTC rolls 31 February over into March; a rolled-over field means the input was not a date.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    return null;
  }
  return wallMs - EAT_OFFSET_MS;
}

/** Daraja's `Password` for STK push and query: base64(BusinessShortCode + passkey + Timestamp). */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, 'utf8').toString('base64');
}
