// User-Password hiding of RFC 2865 §5.2: XOR with an MD5 chain keyed by the secret and authenticator.
import { type Secret, secretMd5Into, toSharedSecret } from './digest';
import { CodecError } from './errors';
import { AUTHENTICATOR_LENGTH } from './limits';

const BLOCK_LENGTH = 16;
/** RFC 2865 §5.2: the password is at least 16 and at most 128 octets once padded. */
const PASSWORD_LENGTH_MAX = 128;

// Hiding and revealing run synchronously: one key-stream block and one cleartext buffer serve every call.
const mask = Buffer.alloc(BLOCK_LENGTH);
const revealed = Buffer.alloc(PASSWORD_LENGTH_MAX);

/** Hides a cleartext password; pads with NULs to a multiple of 16 octets. */
export function encryptUserPassword(
  password: string | Buffer,
  secret: Secret,
  requestAuthenticator: Buffer,
): Buffer {
  const cleartext = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (cleartext.length > PASSWORD_LENGTH_MAX) {
    throw new CodecError(
      'value_too_long',
      `password of ${cleartext.length} octets is over ${PASSWORD_LENGTH_MAX}`,
    );
  }
  assertAuthenticator(requestAuthenticator);
  const shared = toSharedSecret(secret);
  const paddedLength = Math.max(BLOCK_LENGTH, Math.ceil(cleartext.length / BLOCK_LENGTH) * BLOCK_LENGTH);
  const output = Buffer.alloc(paddedLength);
  cleartext.copy(output);
  let previous: Uint8Array = requestAuthenticator;
  for (let offset = 0; offset < paddedLength; offset += BLOCK_LENGTH) {
    secretMd5Into(shared, previous, mask, 0);
    for (let index = 0; index < BLOCK_LENGTH; index++) output[offset + index]! ^= mask[index]!;
    previous = output.subarray(offset, offset + BLOCK_LENGTH);
  }
  return output;
}

/** Reveals a hidden password and strips the NUL padding; throws CodecError on a bad length. */
export function decryptUserPassword(value: Buffer, secret: Secret, requestAuthenticator: Buffer): string {
  if (value.length === 0 || value.length % BLOCK_LENGTH !== 0 || value.length > PASSWORD_LENGTH_MAX) {
    throw new CodecError('bad_password_length', `User-Password of ${value.length} octets`);
  }
  assertAuthenticator(requestAuthenticator);
  const shared = toSharedSecret(secret);
  const output = revealed;
  let previous: Uint8Array = requestAuthenticator;
  for (let offset = 0; offset < value.length; offset += BLOCK_LENGTH) {
    secretMd5Into(shared, previous, mask, 0);
    for (let index = 0; index < BLOCK_LENGTH; index++)
      output[offset + index] = value[offset + index]! ^ mask[index]!;
    previous = value.subarray(offset, offset + BLOCK_LENGTH);
  }
  let end = value.length;
  while (end > 0 && output[end - 1] === 0) end--;
  return output.toString('utf8', 0, end);
}

function assertAuthenticator(requestAuthenticator: Buffer): void {
  if (requestAuthenticator.length !== AUTHENTICATOR_LENGTH)
    throw new Error('request authenticator must be 16 octets');
}
