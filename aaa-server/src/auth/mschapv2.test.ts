// Tests for MS-CHAPv2 against the RFC 2759 §9.2 test vector.
import { describe, expect, it } from 'vitest';
import {
  challengeHash,
  expandDesKey,
  generateAuthenticatorResponse,
  generateNtResponse,
  msChapErrorValue,
  ntPasswordHash,
  verifyMsChapV2,
} from './index';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

// RFC 2759 §9.2.
const USER_NAME = 'User';
const PASSWORD = 'clientPass';
const AUTHENTICATOR_CHALLENGE = hex('5B5D7C7D7B3F2F3E3C2C602132262628');
const PEER_CHALLENGE = hex('21402324255E262A28295F2B3A337C7E');
const CHALLENGE = hex('D02E4386BCE91226');
const PASSWORD_HASH = hex('44EBBA8D5312B8D611474411F56989AE');
const NT_RESPONSE = hex('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF');
const AUTHENTICATOR_RESPONSE = 'S=407A5589115FD0D6209F510FE9C04566932CDA56';

/** MS-CHAP2-Response value as a NAS sends it: ident 7, flags 0, peer challenge, 8 reserved, NT-Response. */
function responseValue(ntResponse: Buffer = NT_RESPONSE): Buffer {
  return Buffer.concat([Buffer.from([7, 0]), PEER_CHALLENGE, Buffer.alloc(8), ntResponse]);
}

describe('MS-CHAPv2 primitives (RFC 2759 §9.2)', () => {
  it('computes the intermediate values', () => {
    expect(ntPasswordHash(PASSWORD)).toEqual(PASSWORD_HASH);
    expect(challengeHash(PEER_CHALLENGE, AUTHENTICATOR_CHALLENGE, USER_NAME)).toEqual(CHALLENGE);
    expect(challengeHash(PEER_CHALLENGE, AUTHENTICATOR_CHALLENGE, 'KIUNGA\\User')).toEqual(CHALLENGE);
  });

  it('computes the NT-Response and the authenticator response', () => {
    expect(generateNtResponse(AUTHENTICATOR_CHALLENGE, PEER_CHALLENGE, USER_NAME, PASSWORD)).toEqual(
      NT_RESPONSE,
    );
    expect(
      generateAuthenticatorResponse(
        PASSWORD,
        NT_RESPONSE,
        PEER_CHALLENGE,
        AUTHENTICATOR_CHALLENGE,
        USER_NAME,
      ),
    ).toBe(AUTHENTICATOR_RESPONSE);
  });

  it('expands 7-octet DES keys with odd parity', () => {
    expect(expandDesKey(hex('FFFFFFFFFFFFFF'))).toEqual(hex('FEFEFEFEFEFEFEFE'));
    expect(expandDesKey(hex('00000000000000'))).toEqual(hex('0101010101010101'));
    for (const octet of expandDesKey(PASSWORD_HASH.subarray(0, 7))) {
      expect(octet.toString(2).split('1').length - 1).toSatisfy((count: number) => count % 2 === 1);
    }
  });
});

describe('verifyMsChapV2', () => {
  it('accepts the RFC vector and builds the MS-CHAP2-Success value', () => {
    const verdict = verifyMsChapV2({
      authenticatorChallenge: AUTHENTICATOR_CHALLENGE,
      response: responseValue(),
      userName: USER_NAME,
      password: PASSWORD,
    });
    expect(verdict.outcome).toBe('accept');
    if (verdict.outcome !== 'accept') return;
    expect(verdict.authenticatorResponse).toBe(AUTHENTICATOR_RESPONSE);
    expect(verdict.successValue[0]).toBe(7);
    expect(verdict.successValue.subarray(1).toString('ascii')).toBe(AUTHENTICATOR_RESPONSE);
    expect(verdict.successValue).toHaveLength(43);
    expect(verdict.mppeKeys.masterKey).toEqual(hex('FDECE3717A8C838CB388E527AE3CDD31'));
  });

  it('rejects a wrong password and malformed input', () => {
    const base = {
      authenticatorChallenge: AUTHENTICATOR_CHALLENGE,
      response: responseValue(),
      userName: USER_NAME,
    };
    expect(verifyMsChapV2({ ...base, password: 'clientPasS' })).toEqual({
      outcome: 'reject',
      reason: 'wrong_password',
    });
    expect(verifyMsChapV2({ ...base, password: PASSWORD, userName: 'Other' }).outcome).toBe('reject');
    expect(
      verifyMsChapV2({ ...base, password: PASSWORD, response: responseValue().subarray(0, 49) }),
    ).toEqual({
      outcome: 'reject',
      reason: 'malformed_response',
    });
    expect(verifyMsChapV2({ ...base, password: PASSWORD, authenticatorChallenge: Buffer.alloc(8) })).toEqual({
      outcome: 'reject',
      reason: 'malformed_challenge',
    });
  });

  it('formats MS-CHAP-Error as RFC 2548 §2.1.5 and RFC 2759 §6 say: Ident, then E= R= C=<32 hex> V=', () => {
    const value = msChapErrorValue(7, 691, Buffer.alloc(16, 0xab));
    expect(value[0]).toBe(7);
    expect(value.subarray(1).toString('ascii')).toBe(`E=691 R=0 C=${'AB'.repeat(16)} V=3`);
    expect(msChapErrorValue(9).subarray(1).toString('ascii')).toMatch(/^E=691 R=0 C=[0-9A-F]{32} V=3$/);
  });
});
