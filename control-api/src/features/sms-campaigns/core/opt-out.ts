// Reading an inbound SMS as an opt-out (STOP) or opt-in (START), in English and Swahili, as people type
// it: any case, punctuation, a "please" before, a name after. A longer message is a person writing to the
// ISP, not a keyword, and is left for people to read.
//
// Africa's Talking also reports opt-outs itself for alphanumeric sender ids ("Bulk SMS Opt Out"
// notifications, `{senderId, phoneNumber}`: Africa's Talking docs, SMS, Notifications): the integration
// records those directly; this parser covers replies to a shortcode and the ISP's own numbers.

/** A keyword with a name or a word after it ("STOP KIUNGA", "stop please"); more is a sentence. */
export const OPT_OUT_WORDS_MAX = 3;
/** Longer texts are never keywords; reading them is wasted work. */
const INBOUND_CHARS_MAX = 160;

const OPT_OUT_KEYWORDS = new Set([
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'REMOVE',
  // Swahili: "stop/leave", "I don't want", "remove", "end it".
  'ACHA',
  'SITAKI',
  'ONDOA',
  'KOMESHA',
]);
/** Two-word forms, joined: "STOP ALL", "OPT OUT" / "OPT-OUT". */
const OPT_OUT_PAIRS = new Set(['STOPALL', 'OPTOUT']);
const OPT_IN_KEYWORDS = new Set(['START', 'UNSTOP', 'SUBSCRIBE', 'OPTIN', 'ANZA']);
const OPT_IN_PAIRS = new Set(['OPTIN']);
/** Politeness before the keyword is not part of it. */
const LEADING_COURTESIES = new Set(['PLEASE', 'PLS', 'PLZ', 'TAFADHALI']);

export type InboundIntent = 'opt_out' | 'opt_in' | null;

function wordsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^A-Z]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '');
}

export function parseInboundIntent(text: string): InboundIntent {
  if (text.length > INBOUND_CHARS_MAX) return null;
  let words = wordsOf(text);
  if (words.length > 0 && LEADING_COURTESIES.has(words[0]!)) words = words.slice(1);
  if (words.length === 0 || words.length > OPT_OUT_WORDS_MAX) return null;
  const pair = words.length >= 2 ? `${words[0]}${words[1]}` : null;
  if (pair !== null && OPT_OUT_PAIRS.has(pair)) return 'opt_out';
  if (pair !== null && OPT_IN_PAIRS.has(pair)) return 'opt_in';
  if (OPT_OUT_KEYWORDS.has(words[0]!)) return 'opt_out';
  if (OPT_IN_KEYWORDS.has(words[0]!)) return 'opt_in';
  return null;
}
