// MD5 and HMAC-MD5 of whole packets through one scratch buffer, for the hot path. HMAC starts
// from the MD5 states after each key pad, computed once per secret (md5.ts says why our own MD5).
import { AUTHENTICATOR_LENGTH, AUTHENTICATOR_OFFSET, PACKET_LENGTH_MAX } from './limits';
import {
  INITIAL_MD5_STATE,
  MD5_BLOCK_LENGTH,
  MD5_LENGTH,
  type Md5State,
  md5,
  md5Into,
  md5StateAfterBlock,
} from './md5';

/** The HMAC key pad length is MD5's block size (RFC 2104 §2). */
const HMAC_BLOCK_LENGTH = MD5_BLOCK_LENGTH;
const INNER_PAD_OCTET = 0x36;
const OUTER_PAD_OCTET = 0x5c;
/**
 * Longest shared secret accepted. NAS secrets are tens of octets; a bound keeps the scratch
 * buffer a fixed size, and beyond one MD5 block a longer secret adds nothing to HMAC-MD5.
 */
export const SECRET_LENGTH_MAX = 1024;
/** String secrets are prepared once and remembered; when this many are held the memory is cleared and refilled. */
const SECRET_CACHE_ENTRIES_MAX = 4096;

/** A shared secret with its HMAC pad states computed once, as intake should hold per NAS. */
export interface SharedSecret {
  readonly bytes: Buffer;
  /** MD5 state after the inner and the outer key pad: every HMAC of this secret starts there. */
  readonly innerState: Md5State;
  readonly outerState: Md5State;
}

export type Secret = string | Buffer | SharedSecret;

// Digests run synchronously, so one module-level buffer serves every call without allocation.
const scratch = Buffer.allocUnsafe(PACKET_LENGTH_MAX + SECRET_LENGTH_MAX);
const preparedSecrets = new Map<string, SharedSecret>();
const innerDigest = Buffer.alloc(MD5_LENGTH);

export function createSharedSecret(secret: string | Buffer): SharedSecret {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length > SECRET_LENGTH_MAX)
    throw new Error(`shared secret longer than ${SECRET_LENGTH_MAX} octets`);
  const key = bytes.length > HMAC_BLOCK_LENGTH ? md5(bytes) : bytes;
  const innerPad = Buffer.alloc(HMAC_BLOCK_LENGTH, INNER_PAD_OCTET);
  const outerPad = Buffer.alloc(HMAC_BLOCK_LENGTH, OUTER_PAD_OCTET);
  for (let index = 0; index < key.length; index++) {
    innerPad[index]! ^= key[index]!;
    outerPad[index]! ^= key[index]!;
  }
  return {
    bytes,
    innerState: md5StateAfterBlock(innerPad),
    outerState: md5StateAfterBlock(outerPad),
  };
}

export function toSharedSecret(secret: Secret): SharedSecret {
  if (typeof secret !== 'string') return Buffer.isBuffer(secret) ? createSharedSecret(secret) : secret;
  let prepared = preparedSecrets.get(secret);
  if (prepared === undefined) {
    if (preparedSecrets.size >= SECRET_CACHE_ENTRIES_MAX) preparedSecrets.clear();
    prepared = createSharedSecret(secret);
    preparedSecrets.set(secret, prepared);
  }
  return prepared;
}

/**
 * Copies the packet to the start of the scratch buffer, with `authenticator` (when given) in the
 * authenticator field and the 16 octets at `zeroOffset` (when >= 0) cleared. Returns its end.
 */
function stagePacket(raw: Buffer, authenticator: Buffer | undefined, zeroOffset: number): number {
  // TypedArray set and a plain loop: Buffer.copy and fill validate their arguments in JS on every call.
  scratch.set(raw, 0);
  if (authenticator !== undefined) scratch.set(authenticator, AUTHENTICATOR_OFFSET);
  if (zeroOffset >= 0) {
    for (let index = zeroOffset; index < zeroOffset + AUTHENTICATOR_LENGTH; index++) scratch[index] = 0;
  }
  return raw.length;
}

/** MD5(packet + secret), RFC 2865 §3 and RFC 2866 §3, with the authenticator field replaced when given. */
export function packetMd5(raw: Buffer, authenticator: Buffer | undefined, secret: SharedSecret): Buffer {
  const result = Buffer.allocUnsafe(MD5_LENGTH);
  packetMd5Into(raw, authenticator, secret, result, 0);
  return result;
}

/** packetMd5 written to out[outOffset, outOffset + 16): on the hot path, no Buffer per digest. */
export function packetMd5Into(
  raw: Buffer,
  authenticator: Buffer | undefined,
  secret: SharedSecret,
  out: Uint8Array,
  outOffset: number,
): void {
  const end = stagePacket(raw, authenticator, -1);
  scratch.set(secret.bytes, end);
  md5Into(INITIAL_MD5_STATE, 0, scratch, 0, end + secret.bytes.length, out, outOffset);
}

/** HMAC-MD5 (RFC 2104) of the packet, RFC 3579 §3.2, with the Message-Authenticator value zeroed. */
export function packetHmacMd5(
  raw: Buffer,
  authenticator: Buffer | undefined,
  messageAuthenticatorOffset: number,
  secret: SharedSecret,
): Buffer {
  const result = Buffer.allocUnsafe(MD5_LENGTH);
  packetHmacMd5Into(raw, authenticator, messageAuthenticatorOffset, secret, result, 0);
  return result;
}

/** packetHmacMd5 written to out[outOffset, outOffset + 16). */
export function packetHmacMd5Into(
  raw: Buffer,
  authenticator: Buffer | undefined,
  messageAuthenticatorOffset: number,
  secret: SharedSecret,
  out: Uint8Array,
  outOffset: number,
): void {
  const end = stagePacket(raw, authenticator, messageAuthenticatorOffset);
  md5Into(secret.innerState, HMAC_BLOCK_LENGTH, scratch, 0, end, innerDigest);
  md5Into(secret.outerState, HMAC_BLOCK_LENGTH, innerDigest, 0, MD5_LENGTH, out, outOffset);
}

/** MD5(secret + block) into out[outOffset, +16): the key stream step of RFC 2865 §5.2 User-Password hiding. */
export function secretMd5Into(
  secret: SharedSecret,
  block: Uint8Array,
  out: Uint8Array,
  outOffset: number,
): void {
  scratch.set(secret.bytes, 0);
  scratch.set(block, secret.bytes.length);
  md5Into(INITIAL_MD5_STATE, 0, scratch, 0, secret.bytes.length + block.length, out, outOffset);
}

/** Compares two 16-octet values without an early exit (authenticators, HMACs). */
export function isEqualDigest(
  left: Uint8Array,
  leftOffset: number,
  right: Uint8Array,
  rightOffset: number,
): boolean {
  let difference = 0;
  for (let index = 0; index < MD5_LENGTH; index++)
    difference |= left[leftOffset + index]! ^ right[rightOffset + index]!;
  return difference === 0;
}
