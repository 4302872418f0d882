// The DNS TXT record an ISP publishes to prove it controls its custom domain.
//
// Name: `_kiunga-verify.<domain>`. The leading underscore (RFC 8552, "Scoped Interpretation of DNS Resource
// Records through Underscored Naming of Attribute Leaves") puts it where no host lives, and — the reason that
// matters here — beside the domain rather than on it: an ISP usually points `wifi.example.co.ke` at Kiunga
// with a CNAME, and a CNAME cannot share its name with any other record (RFC 1034 §3.6.2, RFC 2181 §10.1),
// so a TXT record on the domain itself could not be published at all.
// Value: `kiunga-verify=<token>`, the ISP's own random token, so the record proves which ISP asked.

export const VERIFICATION_RECORD_PREFIX = '_kiunga-verify';
const VERIFICATION_VALUE_PREFIX = 'kiunga-verify=';
/** 128 random bits: unguessable, and short enough to type from a phone (32 hex characters). */
export const VERIFICATION_TOKEN_BYTES = 16;
const VERIFICATION_TOKEN = /^[0-9a-f]{32}$/;

export interface VerificationRecord {
  /** The owner name to publish the TXT record at, without a trailing dot. */
  readonly name: string;
  readonly type: 'TXT';
  readonly value: string;
}

/** The token from VERIFICATION_TOKEN_BYTES random bytes (`crypto.randomBytes` at the edge). */
export function verificationTokenFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== VERIFICATION_TOKEN_BYTES) {
    throw new RangeError(`a verification token takes exactly ${VERIFICATION_TOKEN_BYTES} random bytes`);
  }
  return Buffer.from(bytes).toString('hex');
}

export function isVerificationToken(text: string): boolean {
  return VERIFICATION_TOKEN.test(text);
}

/** What the ISP must publish for `domain` (already normalised by normaliseCustomDomain). */
export function verificationRecordFor(domain: string, token: string): VerificationRecord {
  if (!isVerificationToken(token)) throw new RangeError('not a verification token');
  return {
    name: `${VERIFICATION_RECORD_PREFIX}.${domain}`,
    type: 'TXT',
    value: `${VERIFICATION_VALUE_PREFIX}${token}`,
  };
}

/**
 * True when one published TXT value is the expected one. DNS panels differ in what they keep: some add
 * quotes around the value, some keep spaces a person pasted; case does not matter (the token is hex).
 */
export function isMatchingVerificationValue(published: string, expected: string): boolean {
  const unquoted = published
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  return unquoted.toLowerCase() === expected.toLowerCase();
}
