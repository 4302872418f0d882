// Kenyan mobile numbers in the one form M-Pesa and SMS gateways use: 2547XXXXXXXX or 2541XXXXXXXX.

/** What a stored or sent number looks like: country code, then a 7xx or 1xx mobile prefix, 12 digits in all. */
const NORMALISED_KENYAN_MOBILE = /^254[17]\d{8}$/;
/** Separators people type inside a number ("0712 345 678", "0712-345-678"); nothing else is forgiven. */
const SEPARATORS = /[\s-]/g;
/** Longer than any accepted form with generous separators: refuse before doing any work on it. */
const PHONE_INPUT_LENGTH_MAX = 32;

/**
 * `07XXXXXXXX`, `01XXXXXXXX`, `+2547XXXXXXXX`, `2547XXXXXXXX` (and the 1xx forms), with spaces or
 * dashes anywhere, become `2547XXXXXXXX` / `2541XXXXXXXX`; anything else (landlines, other
 * countries, letters, a missing or extra digit) is `null`.
 */
export function normaliseKenyanPhone(input: string): string | null {
  if (input.length > PHONE_INPUT_LENGTH_MAX) return null;
  const compact = input.trim().replace(SEPARATORS, '');
  let candidate: string;
  if (compact.startsWith('+254')) candidate = compact.slice(1);
  else if (compact.startsWith('254')) candidate = compact;
  else if (compact.startsWith('0') && compact.length === 10) candidate = `254${compact.slice(1)}`;
  else return null;
  return NORMALISED_KENYAN_MOBILE.test(candidate) ? candidate : null;
}

/** True for a number already in the normalised form (what M-Pesa's PartyA and PhoneNumber expect). */
export function isNormalisedKenyanPhone(value: string): boolean {
  return NORMALISED_KENYAN_MOBILE.test(value);
}
