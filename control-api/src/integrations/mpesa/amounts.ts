// M-Pesa amounts ("10.00", 1, 1.5) to integer cents and back, by digits only: no float arithmetic on money.
import { type Cents, cents } from '@kiunga/schemas';

/** Whole shillings, then at most two decimals; 12 digits of shillings is far above any M-Pesa balance. */
const MPESA_AMOUNT = /^(\d{1,12})(?:\.(\d{1,2}))?$/;
const CENTS_PER_SHILLING = 100;

/**
 * Integer cents of an amount as M-Pesa sends it: `TransAmount` is a string such as "10.00", STK
 * callback `Amount` a JSON number such as 1 or 1.5. `null` for anything else (negative, more than two
 * decimals, exponent notation, empty), which the caller treats as a malformed callback.
 */
export function parseMpesaAmount(value: string | number): Cents | null {
  let text: string;
  if (typeof value === 'number') {
    // String() of a finite number prints its shortest exact decimal form ("1.5", "10"); 1e21 and
    // 0.30000000000000004 then fail the pattern below instead of being rounded into money.
    if (!Number.isFinite(value)) return null;
    text = String(value);
  } else {
    text = value.trim();
  }
  const match = MPESA_AMOUNT.exec(text);
  if (match === null) return null;
  const shillings = Number.parseInt(match[1] ?? '0', 10);
  const fraction = (match[2] ?? '').padEnd(2, '0');
  return cents(shillings * CENTS_PER_SHILLING + Number.parseInt(fraction, 10));
}

/** "10.00" for 1000 cents: the form of `TransAmount`, for simulators and display. */
export function formatMpesaAmount(amount: Cents): string {
  if (amount < 0) throw new RangeError(`negative amount: ${amount}`);
  const shillings = Math.trunc(amount / CENTS_PER_SHILLING);
  const remainder = amount % CENTS_PER_SHILLING;
  return `${shillings}.${remainder.toString().padStart(2, '0')}`;
}

/** Whole shillings for STK push's `Amount` (Daraja takes whole numbers only); `null` when cents remain. */
export function wholeShillings(amount: Cents): number | null {
  if (amount % CENTS_PER_SHILLING !== 0) return null;
  return amount / CENTS_PER_SHILLING;
}
