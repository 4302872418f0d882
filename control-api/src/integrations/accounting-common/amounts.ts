// Amounts on the wire: both vendors take and give decimal numbers in JSON ("Amount": 1500.5). Kiunga keeps
// integer cents, so the conversion goes through decimal digits, never through multiplying a float.
import { type Cents, cents } from '@kiunga/schemas';

/**
 * Cents as the JSON number a vendor expects: 150050 → 1500.5. Built from its digits, so the number is the
 * double nearest that decimal and JSON.stringify writes exactly those digits back.
 */
export function vendorAmountOf(amount: number): number {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`cents must be a safe integer, got ${amount}`);
  const sign = amount < 0 ? '-' : '';
  const absolute = Math.abs(amount);
  return Number(`${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`);
}

/** A vendor's amount back to cents by its decimal digits; null when it has more than 2 decimals or is not finite. */
export function centsOfVendorAmount(value: unknown): Cents | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const match = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(String(value));
  if (!match) return null;
  const whole = Number.parseInt(match[2] ?? '0', 10);
  const fraction = Number.parseInt((match[3] ?? '').padEnd(2, '0'), 10);
  const magnitude = whole * 100 + fraction;
  return cents(match[1] === '-' ? -magnitude : magnitude);
}
