// Short codes people read off a sheet or an SMS and type on a phone: a reseller's code (`?r=`) and a
// client's referral code (`?ref=`). Same look-alike-free alphabet as vouchers; the two kinds differ in
// length, so a code typed into the portal's one field says which kind it is.
import { randomInt } from 'node:crypto';
import { VOUCHER_ALPHABET } from '@kiunga/schemas';

/** 31^6 ≈ 887 million codes: collisions among an ISP's few thousand resellers are rare; six fit a sticker. */
export const RESELLER_CODE_LENGTH = 6;
/** One longer than a reseller code (31^7 ≈ 27 billion, for every client of an ISP), so the kinds never meet. */
export const REFERRAL_CODE_LENGTH = 7;
/**
 * Draws before giving up on an unused code. With an ISP holding n codes of 31^6, each draw collides with
 * probability n / 31^6; twenty in a row is impossible in practice, so running out means a broken check.
 */
export const CODE_DRAWS_MAX = 20;
/** What people type: a code with spaces or dashes and some slack; longer input is not a code. */
const TYPED_CODE_LENGTH_MAX = 24;

export type ShortCodeKind = 'reseller' | 'referral';

/** crypto.randomInt by default; tests pass a seeded one. */
export type RandomIndex = (bound: number) => number;

const lengthOf: Record<ShortCodeKind, number> = {
  reseller: RESELLER_CODE_LENGTH,
  referral: REFERRAL_CODE_LENGTH,
};

const ALPHABET_SET = new Set(VOUCHER_ALPHABET);

export function generateShortCode(kind: ShortCodeKind, randomIndex: RandomIndex = randomInt): string {
  let code = '';
  for (let index = 0; index < lengthOf[kind]; index += 1) {
    code += VOUCHER_ALPHABET[randomIndex(VOUCHER_ALPHABET.length)];
  }
  return code;
}

/**
 * A code no one of this ISP holds yet, checked with `isTaken` (the store's lookup). The store's unique
 * index stays the guard against a race; on a unique violation the caller simply asks again.
 */
export async function pickUnusedShortCode(
  kind: ShortCodeKind,
  isTaken: (code: string) => boolean | Promise<boolean>,
  randomIndex: RandomIndex = randomInt,
): Promise<string> {
  for (let draw = 0; draw < CODE_DRAWS_MAX; draw += 1) {
    const code = generateShortCode(kind, randomIndex);
    if (!(await isTaken(code))) return code;
  }
  throw new Error(`no unused ${kind} code after ${CODE_DRAWS_MAX} draws`);
}

/**
 * A typed code in stored form: upper case, spaces and dashes dropped. null when it holds a character
 * outside the alphabet (0, O, 1, I, L never appear in a code) or has neither code length.
 */
export function normaliseTypedCode(input: string): string | null {
  if (input.length > TYPED_CODE_LENGTH_MAX) return null;
  const code = input.trim().toUpperCase().replace(/[\s-]/g, '');
  if (kindOfCode(code) === null) return null;
  for (const character of code) if (!ALPHABET_SET.has(character)) return null;
  return code;
}

/** Which kind a normalised code is, by its length. */
export function kindOfCode(code: string): ShortCodeKind | null {
  if (code.length === RESELLER_CODE_LENGTH) return 'reseller';
  if (code.length === REFERRAL_CODE_LENGTH) return 'referral';
  return null;
}
