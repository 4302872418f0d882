// How many SMS parts a message takes, for the cost preview: GSM-7 when every character is in the GSM
// 03.38 default alphabet or its extension table, UCS-2 otherwise.
//
// Sources: 3GPP TS 23.038 §6.2.1 (GSM 7-bit default alphabet) and §6.2.1.1 (default alphabet extension
// table, each character sent as ESC + code, two septets), as mapped to Unicode in unicode.org's
// Public/MAPPINGS/ETSI/GSM0338.TXT; 3GPP TS 23.040 §9.2.3.24.1 (concatenated short messages: a 6-octet
// user data header), which leaves 153 septets or 67 UCS-2 characters of the 140-octet user data per part
// (160 and 70 for a single part). A part never splits an escape pair or a UTF-16 surrogate pair, so the
// count is made greedily, as gateways cut. Africa's Talking bills per part ("Sent to 1/1 Total Cost").
//
// 0x09 is the capital Ç in TS 23.038's table; a small ç is counted as UCS-2, so a doubtful character can
// only make the preview dearer, never cheaper than the bill.

/** The 127 printable characters of the default alphabet (0x1B, the escape, is not one). */
const GSM_BASIC_CHARACTERS =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: form feed ^ { } \ [ ~ ] | € — two septets each. */
const GSM_EXTENSION_CHARACTERS = '\f^{}\\[~]|€';

export const GSM_BASIC_SET: ReadonlySet<string> = new Set(GSM_BASIC_CHARACTERS);
export const GSM_EXTENSION_SET: ReadonlySet<string> = new Set(GSM_EXTENSION_CHARACTERS);

/** Septets in one unsplit message, and in each part of a concatenated one. */
export const GSM_SINGLE_PART_SEPTETS = 160;
export const GSM_CONCATENATED_PART_SEPTETS = 153;
/** UTF-16 code units likewise. */
export const UCS2_SINGLE_PART_UNITS = 70;
export const UCS2_CONCATENATED_PART_UNITS = 67;
/** Characters listed back to the person writing: enough to find them, not the whole message. */
const NON_GSM_LISTED_MAX = 10;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsMeasure {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  readonly units: number;
  readonly parts: number;
  /** Distinct characters that forced UCS-2 (curly quotes, emoji), at most ten, in order of appearance. */
  readonly nonGsmCharacters: readonly string[];
}

/** Septets a character takes in GSM-7: 1, 2 (extension table), or null when it is not in GSM-7 at all. */
export function gsmSeptetsOf(character: string): 1 | 2 | null {
  if (GSM_BASIC_SET.has(character)) return 1;
  if (GSM_EXTENSION_SET.has(character)) return 2;
  return null;
}

/** Parts when characters of these widths are packed greedily into parts of `perPart`, none split. */
function greedyParts(widths: readonly number[], total: number, single: number, perPart: number): number {
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > perPart) {
      parts += 1;
      used = 0;
    }
    used += width;
  }
  return parts;
}

export function measureSms(text: string): SmsMeasure {
  const characters = Array.from(text);
  const nonGsm: string[] = [];
  const septets: number[] = [];
  for (const character of characters) {
    const width = gsmSeptetsOf(character);
    if (width === null) {
      if (nonGsm.length < NON_GSM_LISTED_MAX && !nonGsm.includes(character)) nonGsm.push(character);
    } else {
      septets.push(width);
    }
  }
  if (nonGsm.length === 0) {
    const units = septets.reduce((sum, width) => sum + width, 0);
    const parts = greedyParts(septets, units, GSM_SINGLE_PART_SEPTETS, GSM_CONCATENATED_PART_SEPTETS);
    return { encoding: 'GSM-7', units, parts: text === '' ? 0 : parts, nonGsmCharacters: [] };
  }
  const widths = characters.map((character) => character.length);
  const parts = greedyParts(widths, text.length, UCS2_SINGLE_PART_UNITS, UCS2_CONCATENATED_PART_UNITS);
  return { encoding: 'UCS-2', units: text.length, parts, nonGsmCharacters: nonGsm };
}
