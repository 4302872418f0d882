// CHAP-Password check of RFC 2865 §5.3 / RFC 1994: MD5(ident + password + challenge).
import { createHash, timingSafeEqual } from 'node:crypto';

/** CHAP Ident (1 octet) followed by the 16-octet MD5 response. */
const CHAP_PASSWORD_LENGTH = 17;

/** RFC 2865 §5.3: the challenge is CHAP-Challenge when present, else the Request Authenticator. */
export function chapChallengeFor(chapChallenge: Buffer | undefined, requestAuthenticator: Buffer): Buffer {
  return chapChallenge ?? requestAuthenticator;
}

export function verifyChapPassword(
  chapPassword: Buffer,
  challenge: Buffer,
  cleartextPassword: string,
): boolean {
  if (chapPassword.length !== CHAP_PASSWORD_LENGTH) return false;
  const expected = createHash('md5')
    .update(chapPassword.subarray(0, 1))
    .update(cleartextPassword, 'utf8')
    .update(challenge)
    .digest();
  return timingSafeEqual(expected, chapPassword.subarray(1));
}
