// Voucher codes people can read off paper and type on a phone: no look-alike characters.
import { randomInt } from 'node:crypto';

/** Without 0/O, 1/I/L: the pairs people confuse on a printed sheet. */
export const VOUCHER_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const VOUCHER_CODE_LENGTH_DEFAULT = 8;
export const VOUCHER_CODE_LENGTH_MIN = 4;
export const VOUCHER_CODE_LENGTH_MAX = 32;

export interface VoucherCodeOptions {
  length?: number;
  prefix?: string;
  alphabet?: string;
}

export function generateVoucherCode(options: VoucherCodeOptions = {}): string {
  const length = options.length ?? VOUCHER_CODE_LENGTH_DEFAULT;
  const alphabet = options.alphabet ?? VOUCHER_ALPHABET;
  if (length < VOUCHER_CODE_LENGTH_MIN || length > VOUCHER_CODE_LENGTH_MAX) {
    throw new RangeError(
      `voucher code length must be ${VOUCHER_CODE_LENGTH_MIN}..${VOUCHER_CODE_LENGTH_MAX}`,
    );
  }
  let code = options.prefix ?? '';
  for (let index = 0; index < length; index += 1) {
    code += alphabet[randomInt(alphabet.length)];
  }
  return code;
}
