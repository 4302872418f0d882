// Checks authenticators and Message-Authenticator of received packets, in constant time.
import { PacketCode } from '@kiunga/dictionaries';
import { isEqualDigest, packetHmacMd5Into, packetMd5Into, type Secret, toSharedSecret } from './digest';
import { AUTHENTICATOR_LENGTH, ZERO_AUTHENTICATOR } from './limits';
import type { RadiusPacket } from './packet';

export type MessageAuthenticatorCheck = 'absent' | 'valid' | 'invalid';

/**
 * Accounting-Request, CoA-Request and Disconnect-Request: the authenticator must equal
 * MD5(Code+ID+Length+16 zero octets+Attributes+Secret) (RFC 2866 §3, RFC 5176 §2.3).
 */
export function verifyRequestAuthenticator(packet: RadiusPacket, secret: Secret): boolean {
  return authenticatorMatches(packet, ZERO_AUTHENTICATOR, secret);
}

/** A reply's authenticator must equal MD5(Code+ID+Length+RequestAuth+Attributes+Secret) (RFC 2865 §3). */
export function verifyResponseAuthenticator(
  response: RadiusPacket,
  requestAuthenticator: Buffer,
  secret: Secret,
): boolean {
  return authenticatorMatches(response, requestAuthenticator, secret);
}

// Checks run synchronously, so one buffer holds the digest each compares with.
const expected = Buffer.alloc(AUTHENTICATOR_LENGTH);

function authenticatorMatches(packet: RadiusPacket, standIn: Buffer, secret: Secret): boolean {
  if (standIn.length !== AUTHENTICATOR_LENGTH) throw new Error('authenticator must be 16 octets');
  packetMd5Into(packet.raw, standIn, toSharedSecret(secret), expected, 0);
  return isEqualDigest(expected, 0, packet.authenticator, 0);
}

/**
 * RFC 3579 §3.2: HMAC-MD5 over the packet with `authenticatorForHmac` in the authenticator
 * field and the Message-Authenticator value zeroed. Pass the request's own authenticator
 * for Access-Request/Status-Server, ZERO_AUTHENTICATOR for Accounting/CoA/Disconnect
 * requests, and the request's authenticator when checking a reply.
 */
export function checkMessageAuthenticator(
  packet: RadiusPacket,
  secret: Secret,
  authenticatorForHmac: Buffer,
): MessageAuthenticatorCheck {
  const valueOffset = packet.messageAuthenticatorOffset;
  if (valueOffset < 0) return 'absent';
  if (authenticatorForHmac.length !== AUTHENTICATOR_LENGTH)
    throw new Error('authenticator must be 16 octets');
  const raw = packet.raw;
  packetHmacMd5Into(raw, authenticatorForHmac, valueOffset, toSharedSecret(secret), expected, 0);
  return isEqualDigest(expected, 0, raw, valueOffset) ? 'valid' : 'invalid';
}

/** Picks the right stand-in for a request by its code, so intake need not know the rules. */
export function checkRequestMessageAuthenticator(
  packet: RadiusPacket,
  secret: Secret,
): MessageAuthenticatorCheck {
  const usesOwnAuthenticator =
    packet.code === PacketCode.AccessRequest || packet.code === PacketCode.StatusServer;
  return checkMessageAuthenticator(
    packet,
    secret,
    usesOwnAuthenticator ? packet.authenticator : ZERO_AUTHENTICATOR,
  );
}
