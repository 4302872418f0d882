// Ksh cents to USD cents at a fixed configured rate: PayPal does not settle in KES, so the platform
// asks for USD and credits the Ksh amount the order was created for. Integer arithmetic only.
import { type Cents, cents } from '@kiunga/schemas';

/** A rate is Ksh cents per 1 USD (12_900 = Ksh 129.00 per dollar); bounds catch a rate typed in the wrong unit. */
export const KES_CENTS_PER_USD_MIN = 1_000;
export const KES_CENTS_PER_USD_MAX = 100_000;

/**
 * USD cents for a Ksh amount, rounded up so the platform never receives less than it asked for.
 * 50_000 Ksh cents at 12_900 → ceil(50_000 × 100 / 12_900) = 388 USD cents ($3.88).
 */
export function kesCentsToUsdCents(amount: Cents, kesCentsPerUsd: number): number {
  assertRate(kesCentsPerUsd);
  if (!Number.isSafeInteger(amount) || amount <= 0)
    throw new RangeError(`positive cents expected, got ${amount}`);
  return Math.ceil((amount * 100) / kesCentsPerUsd);
}

export function assertRate(kesCentsPerUsd: number): void {
  if (
    !Number.isSafeInteger(kesCentsPerUsd) ||
    kesCentsPerUsd < KES_CENTS_PER_USD_MIN ||
    kesCentsPerUsd > KES_CENTS_PER_USD_MAX
  ) {
    throw new RangeError(
      `rate must be Ksh cents per USD between ${KES_CENTS_PER_USD_MIN} and ${KES_CENTS_PER_USD_MAX}`,
    );
  }
}

/** "129.00" or "129" (Ksh per USD, as configured) → 12_900; null when not a plain decimal. */
export function parseKesPerUsd(text: string): number | null {
  const match = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return Number.parseInt(match[1] ?? '0', 10) * 100 + Number.parseInt((match[2] ?? '').padEnd(2, '0'), 10);
}

/** PayPal's `value` for minor units of a two-decimal currency: 388 → "3.88". */
export function formatPayPalValue(minorUnits: number): string {
  if (!Number.isSafeInteger(minorUnits) || minorUnits < 0) throw new RangeError(`bad amount ${minorUnits}`);
  return `${Math.trunc(minorUnits / 100)}.${(minorUnits % 100).toString().padStart(2, '0')}`;
}

/** PayPal's `value` ("3.88", "10", "0.5") → minor units by digits only; null when not such a value. */
export function parsePayPalValue(value: string): Cents | null {
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return null;
  return cents(
    Number.parseInt(match[1] ?? '0', 10) * 100 + Number.parseInt((match[2] ?? '').padEnd(2, '0'), 10),
  );
}
