// Which authentication method a request uses (PAP, CHAP, MS-CHAPv2) and whether the password fits;
// MS-CHAPv2 success also yields the MS-CHAP2-Success and MPPE key attributes of the Accept.
import { Attribute, MicrosoftAttribute, VendorId } from '@kiunga/dictionaries';
import {
  chapChallengeFor,
  encryptMppeKeyPair,
  msChapErrorValue,
  verifyChapPassword,
  verifyMsChapV2,
} from '../auth/index';
import {
  decryptUserPassword,
  getAttribute,
  getVendorAttribute,
  integerValue,
  type OutgoingAttribute,
  type RadiusPacket,
  type SharedSecret,
  vendorAttribute,
} from '../codec/index';

export type Credentials =
  | { method: 'pap'; password: string }
  | { method: 'chap'; chapPassword: Buffer; challenge: Buffer }
  | { method: 'mschapv2'; authenticatorChallenge: Buffer; response: Buffer };

export interface CredentialCheck {
  isValid: boolean;
  replyAttributes: OutgoingAttribute[];
}

/** MS-MPPE-Encryption-Policy 1 = encryption allowed; Types 6 = 40- and 128-bit RC4 (RFC 2548 §2.4.4-5). */
const MPPE_ENCRYPTION_POLICY_ALLOWED = 1;
const MPPE_ENCRYPTION_TYPES_RC4_40_128 = 6;

export function readCredentials(packet: RadiusPacket, secret: SharedSecret): Credentials | null {
  const userPassword = getAttribute(packet, Attribute.UserPassword);
  if (userPassword !== undefined) {
    return { method: 'pap', password: decryptUserPassword(userPassword, secret, packet.authenticator) };
  }
  const chapPassword = getAttribute(packet, Attribute.ChapPassword);
  if (chapPassword !== undefined) {
    const challenge = chapChallengeFor(getAttribute(packet, Attribute.ChapChallenge), packet.authenticator);
    return { method: 'chap', chapPassword, challenge };
  }
  const authenticatorChallenge = getVendorAttribute(
    packet,
    VendorId.Microsoft,
    MicrosoftAttribute.ChapChallenge,
  );
  const response = getVendorAttribute(packet, VendorId.Microsoft, MicrosoftAttribute.Chap2Response);
  if (authenticatorChallenge !== undefined && response !== undefined) {
    return { method: 'mschapv2', authenticatorChallenge, response };
  }
  return null;
}

const invalid: CredentialCheck = { isValid: false, replyAttributes: [] };

export function checkCredentials(
  credentials: Credentials,
  username: string,
  cleartextPassword: string,
  secret: SharedSecret,
  packet: RadiusPacket,
): CredentialCheck {
  switch (credentials.method) {
    case 'pap':
      return { isValid: timingSafeStringEqual(credentials.password, cleartextPassword), replyAttributes: [] };
    case 'chap':
      return {
        isValid: verifyChapPassword(credentials.chapPassword, credentials.challenge, cleartextPassword),
        replyAttributes: [],
      };
    case 'mschapv2': {
      const verdict = verifyMsChapV2({
        authenticatorChallenge: credentials.authenticatorChallenge,
        response: credentials.response,
        userName: username,
        password: cleartextPassword,
      });
      if (verdict.outcome !== 'accept') return invalid;
      const keys = encryptMppeKeyPair(verdict.mppeKeys, secret.bytes, packet.authenticator);
      return {
        isValid: true,
        replyAttributes: [
          vendorAttribute(VendorId.Microsoft, MicrosoftAttribute.Chap2Success, verdict.successValue),
          vendorAttribute(VendorId.Microsoft, MicrosoftAttribute.MppeSendKey, keys.sendKey),
          vendorAttribute(VendorId.Microsoft, MicrosoftAttribute.MppeRecvKey, keys.receiveKey),
          vendorAttribute(
            VendorId.Microsoft,
            MicrosoftAttribute.MppeEncryptionPolicy,
            integerValue(MPPE_ENCRYPTION_POLICY_ALLOWED),
          ),
          vendorAttribute(
            VendorId.Microsoft,
            MicrosoftAttribute.MppeEncryptionTypes,
            integerValue(MPPE_ENCRYPTION_TYPES_RC4_40_128),
          ),
        ],
      };
    }
  }
}

/**
 * What an Access-Reject adds for the method used: for MS-CHAPv2 the MS-CHAP-Error the NAS turns into the
 * peer's CHAP Failure (RFC 2548 §2.1.5), its Ident copied from the MS-CHAP2-Response (RFC 2548 §2.3.2).
 */
export function rejectAttributesFor(credentials: Credentials | null): OutgoingAttribute[] {
  if (credentials?.method !== 'mschapv2') return [];
  const ident = credentials.response[0] ?? 0;
  return [vendorAttribute(VendorId.Microsoft, MicrosoftAttribute.ChapError, msChapErrorValue(ident))];
}

/**
 * Compares without an early exit, so response timing does not leak how much of a guess was right. On
 * UTF-16 code units, which are equal exactly when the strings are: no buffers made per login.
 */
function timingSafeStringEqual(given: string, expected: string): boolean {
  const expectedLength = Math.max(1, expected.length);
  let difference = given.length ^ expected.length;
  for (let index = 0; index < given.length; index += 1) {
    difference |= given.charCodeAt(index) ^ (expected.charCodeAt(index % expectedLength) || 0);
  }
  return difference === 0;
}
