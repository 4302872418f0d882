// MS-CHAPv2 server side (RFC 2759, carried in RADIUS per RFC 2548): NT-Response check and success value.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { desEncryptBlock, md4 } from './legacy-crypto';
import { deriveMppeMasterKeys, type MppeMasterKeys } from './mppe';
import { userNameWithoutDomain } from './user-name';

/** RFC 2548 §2.1.3 MS-CHAP-Challenge: 16 octets from the authenticator. */
const AUTHENTICATOR_CHALLENGE_LENGTH = 16;
/** RFC 2548 §2.3.2 MS-CHAP2-Response: Ident, Flags, Peer-Challenge (16), Reserved (8), Response (24). */
const RESPONSE_LENGTH = 50;
const PEER_CHALLENGE_OFFSET = 2;
const PEER_CHALLENGE_LENGTH = 16;
const NT_RESPONSE_OFFSET = 26;
const NT_RESPONSE_LENGTH = 24;
const CHALLENGE_LENGTH = 8;
const DES_KEY_SOURCE_LENGTH = 7;
/** RFC 2759 §8.5: the 16-octet hash padded with zeros to three 7-octet DES keys. */
const PADDED_HASH_LENGTH = 21;
/** RFC 2759 §6: a password of at most 256 Unicode characters. */
const PASSWORD_LENGTH_MAX = 256;

// RFC 2759 §8.7 GenerateAuthenticatorResponse constants.
const SIGNING_MAGIC = Buffer.from('Magic server to client signing constant', 'ascii');
const PADDING_MAGIC = Buffer.from('Pad to make it do more than one iteration', 'ascii');

export interface MsChap2Response {
  readonly ident: number;
  readonly flags: number;
  readonly peerChallenge: Buffer;
  readonly ntResponse: Buffer;
}

export type MsChapV2Verdict =
  | {
      readonly outcome: 'accept';
      /** MS-CHAP2-Success value: Ident + "S=" + 40 upper-case hex digits. */
      readonly successValue: Buffer;
      readonly authenticatorResponse: string;
      readonly mppeKeys: MppeMasterKeys;
    }
  | {
      readonly outcome: 'reject';
      readonly reason: 'malformed_challenge' | 'malformed_response' | 'wrong_password';
    };

export interface MsChapV2Input {
  /** Value of MS-CHAP-Challenge. */
  readonly authenticatorChallenge: Buffer;
  /** Value of MS-CHAP2-Response. */
  readonly response: Buffer;
  /** The name the peer used in its challenge hash; any DOMAIN\ prefix is dropped. */
  readonly userName: string;
  readonly password: string;
}

export function parseMsChap2Response(value: Buffer): MsChap2Response | undefined {
  if (value.length !== RESPONSE_LENGTH) return undefined;
  return {
    ident: value[0]!,
    flags: value[1]!,
    peerChallenge: value.subarray(PEER_CHALLENGE_OFFSET, PEER_CHALLENGE_OFFSET + PEER_CHALLENGE_LENGTH),
    ntResponse: value.subarray(NT_RESPONSE_OFFSET, NT_RESPONSE_OFFSET + NT_RESPONSE_LENGTH),
  };
}

/** Checks the peer's NT-Response; on success gives the MS-CHAP2-Success value and MPPE keys. */
export function verifyMsChapV2(input: MsChapV2Input): MsChapV2Verdict {
  if (input.authenticatorChallenge.length !== AUTHENTICATOR_CHALLENGE_LENGTH) {
    return { outcome: 'reject', reason: 'malformed_challenge' };
  }
  const response = parseMsChap2Response(input.response);
  if (response === undefined) return { outcome: 'reject', reason: 'malformed_response' };
  const passwordHash = ntPasswordHash(input.password);
  const challenge = challengeHash(response.peerChallenge, input.authenticatorChallenge, input.userName);
  const expected = challengeResponse(challenge, passwordHash);
  if (!timingSafeEqual(expected, response.ntResponse)) return { outcome: 'reject', reason: 'wrong_password' };
  const passwordHashHash = md4(passwordHash);
  const authenticatorResponse = authenticatorResponseFor(passwordHashHash, response.ntResponse, challenge);
  return {
    outcome: 'accept',
    successValue: Buffer.concat([Buffer.from([response.ident]), Buffer.from(authenticatorResponse, 'ascii')]),
    authenticatorResponse,
    mppeKeys: deriveMppeMasterKeys(passwordHashHash, response.ntResponse),
  };
}

/** RFC 2759 §8.3 NtPasswordHash: MD4 of the password in UTF-16 little-endian. */
export function ntPasswordHash(password: string): Buffer {
  if (password.length > PASSWORD_LENGTH_MAX) throw new Error('MS-CHAP passwords are at most 256 characters');
  return md4(Buffer.from(password, 'utf16le'));
}

/** RFC 2759 §8.2 ChallengeHash: first 8 octets of SHA1(peer challenge + authenticator challenge + user name). */
export function challengeHash(
  peerChallenge: Buffer,
  authenticatorChallenge: Buffer,
  userName: string,
): Buffer {
  const digest = createHash('sha1')
    .update(peerChallenge)
    .update(authenticatorChallenge)
    .update(userNameWithoutDomain(userName), 'utf8')
    .digest();
  return digest.subarray(0, CHALLENGE_LENGTH);
}

/** RFC 2759 §8.5 ChallengeResponse: three DES encryptions of the challenge under the padded hash. */
export function challengeResponse(challenge: Buffer, passwordHash: Buffer): Buffer {
  const padded = Buffer.alloc(PADDED_HASH_LENGTH);
  passwordHash.copy(padded);
  const parts = [0, 1, 2].map((index) =>
    desEncryptBlock(
      challenge,
      padded.subarray(index * DES_KEY_SOURCE_LENGTH, (index + 1) * DES_KEY_SOURCE_LENGTH),
    ),
  );
  return Buffer.concat(parts);
}

/** RFC 2759 §8.1 GenerateNTResponse, the peer's side: used by tests and the NAS simulator. */
export function generateNtResponse(
  authenticatorChallenge: Buffer,
  peerChallenge: Buffer,
  userName: string,
  password: string,
): Buffer {
  const challenge = challengeHash(peerChallenge, authenticatorChallenge, userName);
  return challengeResponse(challenge, ntPasswordHash(password));
}

/** RFC 2759 §8.7 GenerateAuthenticatorResponse: "S=" + 40 upper-case hex digits. */
export function generateAuthenticatorResponse(
  password: string,
  ntResponse: Buffer,
  peerChallenge: Buffer,
  authenticatorChallenge: Buffer,
  userName: string,
): string {
  const challenge = challengeHash(peerChallenge, authenticatorChallenge, userName);
  return authenticatorResponseFor(md4(ntPasswordHash(password)), ntResponse, challenge);
}

function authenticatorResponseFor(passwordHashHash: Buffer, ntResponse: Buffer, challenge: Buffer): string {
  const first = createHash('sha1').update(passwordHashHash).update(ntResponse).update(SIGNING_MAGIC).digest();
  const second = createHash('sha1').update(first).update(challenge).update(PADDING_MAGIC).digest();
  return `S=${second.toString('hex').toUpperCase()}`;
}

/** RFC 2759 §6: 691 is ERROR_AUTHENTICATION_FAILURE. */
export const MS_CHAP_ERROR_AUTHENTICATION_FAILURE = 691;
/** RFC 2759 §6: the C= challenge is 16 octets, written as 32 hexadecimal digits. */
const FAILURE_CHALLENGE_LENGTH = 16;
/** RFC 2759 §6: "For MS-CHAP-V2, this value SHOULD always be 3" (the password-change protocol version). */
const PASSWORD_CHANGE_VERSION = 3;

/**
 * MS-CHAP-Error value of an Access-Reject (RFC 2548 §2.1.5: the MS-CHAP Ident, then the text), the text
 * being RFC 2759 §6's "E=eeeeeeeeee R=r C=cccc… V=vvvvvvvvvv": error 691, R=0 (no retry: the router has
 * nobody to prompt), and the C= challenge that "MUST be exactly 32 octets long and MUST be present" (a
 * fresh random one; with R=0 the peer never answers it).
 */
export function msChapErrorValue(
  ident: number,
  errorCode = MS_CHAP_ERROR_AUTHENTICATION_FAILURE,
  challenge: Buffer = randomBytes(FAILURE_CHALLENGE_LENGTH),
): Buffer {
  const text = `E=${errorCode} R=0 C=${challenge.toString('hex').toUpperCase()} V=${PASSWORD_CHANGE_VERSION}`;
  return Buffer.concat([Buffer.from([ident]), Buffer.from(text, 'ascii')]);
}
