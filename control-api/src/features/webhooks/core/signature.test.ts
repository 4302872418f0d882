import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSignature, SIGNATURE_TOLERANCE_SECONDS, signatureHeader, verifySignature } from './signature';

const secret = 'whsec_test_secret';
const body = '{"id":"evt_1","type":"payment.received"}';
const signedAt = 1_767_258_000;

describe('signatureHeader', () => {
  it("is t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<body>'>, Stripe's scheme", () => {
    const expected = createHmac('sha256', secret).update(`${signedAt}.${body}`).digest('hex');
    expect(signatureHeader(secret, signedAt, body)).toBe(`t=${signedAt},v1=${expected}`);
    expect(computeSignature(secret, signedAt, body)).toBe(expected);
  });

  it('carries one v1 per secret while a secret is rotated', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], signedAt, body);
    expect(header.split(',').filter((part) => part.startsWith('v1='))).toHaveLength(2);
    expect(verifySignature({ body, header, secrets: 'whsec_old', nowSeconds: signedAt }).isValid).toBe(true);
  });
});

describe('verifySignature', () => {
  it('accepts any body signed with the secret, within the tolerance', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: -SIGNATURE_TOLERANCE_SECONDS, max: SIGNATURE_TOLERANCE_SECONDS }),
        (anyBody, anySecret, timestamp, skew) => {
          const header = signatureHeader(anySecret, timestamp, anyBody);
          return verifySignature({ body: anyBody, header, secrets: anySecret, nowSeconds: timestamp + skew })
            .isValid;
        },
      ),
    );
  });

  it('refuses a body changed in any way', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 0xffff }),
        (anyBody, at, delta) => {
          const header = signatureHeader(secret, signedAt, anyBody);
          const index = at % anyBody.length;
          const changed =
            anyBody.slice(0, index) +
            String.fromCharCode((anyBody.charCodeAt(index) + delta) % 0x10000) +
            anyBody.slice(index + 1);
          fc.pre(changed !== anyBody);
          const check = verifySignature({ body: changed, header, secrets: secret, nowSeconds: signedAt });
          return !check.isValid && check.reason === 'mismatch';
        },
      ),
    );
  });

  it('refuses another secret, an old or future timestamp, and malformed headers', () => {
    const header = signatureHeader(secret, signedAt, body);
    const check = (overrides: Partial<Parameters<typeof verifySignature>[0]>) =>
      verifySignature({ body, header, secrets: secret, nowSeconds: signedAt, ...overrides });
    expect(check({ secrets: 'whsec_other' })).toEqual({ isValid: false, reason: 'mismatch' });
    expect(check({ nowSeconds: signedAt + SIGNATURE_TOLERANCE_SECONDS + 1 })).toEqual({
      isValid: false,
      reason: 'outside_tolerance',
    });
    expect(check({ nowSeconds: signedAt - SIGNATURE_TOLERANCE_SECONDS - 1 }).isValid).toBe(false);
    expect(check({ header: undefined })).toEqual({ isValid: false, reason: 'missing_header' });
    expect(check({ header: 'v1=abc' })).toEqual({ isValid: false, reason: 'malformed_header' });
    expect(check({ header: `t=${signedAt},v0=${'a'.repeat(64)}` })).toEqual({
      isValid: false,
      reason: 'no_signature',
    });
    expect(check({ header: `t=${signedAt},t=${signedAt + 1},${header.split(',')[1]}` }).isValid).toBe(false);
    // The timestamp is signed: moving it breaks the signature even inside the tolerance.
    expect(check({ header: header.replace(`t=${signedAt}`, `t=${signedAt + 1}`) }).isValid).toBe(false);
  });
});
