// The `Kiunga-Signature` header: Stripe's webhook signing scheme under Kiunga's name. Header
// `t=<unix seconds>,v1=<hex>`, v1 = HMAC-SHA256(secret, "<t>.<body>"), several v1 allowed (secret
// rotation), other schemes ignored, compared in constant time, the timestamp within a tolerance.
// Sources: Stripe's "Check the webhook signatures" guide (docs.stripe.com/webhooks, "Verify signatures
// manually") and stripe-node src/Webhooks.ts (parseHeader, makeHMACContent, DEFAULT_TOLERANCE = 300).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Kiunga-Signature';
export const SIGNATURE_SCHEME = 'v1';
/** Stripe's default: five minutes between signing and checking, against replays. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** A header with more parts than this is not ours (one t, a v1 per secret during a rotation). */
const HEADER_PARTS_MAX = 16;
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function computeSignature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/** The header value for `body` signed at `timestampSeconds` with each secret (two while rotating). */
export function signatureHeader(
  secrets: string | readonly string[],
  timestampSeconds: number,
  body: string,
): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError('timestampSeconds must be a non-negative integer');
  }
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0 || list.some((secret) => secret.length === 0))
    throw new RangeError('a secret is required');
  const signatures = list.map(
    (secret) => `${SIGNATURE_SCHEME}=${computeSignature(secret, timestampSeconds, body)}`,
  );
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}

export type SignatureCheck =
  | { readonly isValid: true; readonly timestampSeconds: number }
  | {
      readonly isValid: false;
      readonly reason:
        | 'missing_header'
        | 'malformed_header'
        | 'no_signature'
        | 'mismatch'
        | 'outside_tolerance';
    };

export interface VerifySignatureInput {
  /** The raw body exactly as received, before any JSON parsing. */
  readonly body: string;
  readonly header: string | null | undefined;
  /** The endpoint's secret, or its current and previous ones during a rotation. */
  readonly secrets: string | readonly string[];
  readonly nowSeconds: number;
  readonly toleranceSeconds?: number;
}

/** What a receiver (an ISP's system, Kiunga's tests, the docs' example) does with a delivery. */
export function verifySignature(input: VerifySignatureInput): SignatureCheck {
  if (input.header === null || input.header === undefined || input.header === '') {
    return { isValid: false, reason: 'missing_header' };
  }
  const parsed = parseHeader(input.header);
  if (parsed === null) return { isValid: false, reason: 'malformed_header' };
  if (parsed.signatures.length === 0) return { isValid: false, reason: 'no_signature' };
  const secrets = typeof input.secrets === 'string' ? [input.secrets] : input.secrets;
  const isMatch = secrets.some((secret) => {
    const expected = Buffer.from(computeSignature(secret, parsed.timestampSeconds, input.body), 'hex');
    return parsed.signatures.some((signature) => timingSafeEqual(expected, Buffer.from(signature, 'hex')));
  });
  if (!isMatch) return { isValid: false, reason: 'mismatch' };
  // Stripe's library only refuses old timestamps; a receiver also refuses ones from the future.
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.nowSeconds - parsed.timestampSeconds) > tolerance) {
    return { isValid: false, reason: 'outside_tolerance' };
  }
  return { isValid: true, timestampSeconds: parsed.timestampSeconds };
}

function parseHeader(header: string): { timestampSeconds: number; signatures: string[] } | null {
  const parts = header.split(',');
  if (parts.length > HEADER_PARTS_MAX) return null;
  let timestampSeconds: number | null = null;
  const signatures: string[] = [];
  for (const part of parts) {
    const separator = part.indexOf('=');
    if (separator <= 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestampSeconds !== null) return null;
      timestampSeconds = Number(value);
    } else if (key === SIGNATURE_SCHEME && HEX_SHA256.test(value)) {
      signatures.push(value);
    }
  }
  return timestampSeconds === null ? null : { timestampSeconds, signatures };
}
