// MD5 (RFC 1321) in plain JavaScript for the RADIUS hot path.
//
// Why not node:crypto: every Access-Request costs six MD5 digests of under 200 octets each, and
// at that size the call into OpenSSL (algorithm lookup, context set-up, result Buffer) costs more
// than the hashing. Profiles of the repeat-login benchmark put crypto.hash at 17 % of server CPU;
// this version digests a 100-octet packet in about half the time of crypto.hash, and it can start
// from a saved state, so HMAC-MD5 skips the key-pad block that is the same for every packet.
// MD5 stays what RFC 2865/2869/3579 require; it is not used here for anything else.

/** MD5 processes 64-octet blocks; HMAC pads its key to one block. */
export const MD5_BLOCK_LENGTH = 64;
export const MD5_LENGTH = 16;

/** The chaining state after some whole blocks: four 32-bit words, A B C D. */
export type Md5State = Int32Array;

/** RFC 1321 §3.3: the registers A B C D before the first block. */
export const INITIAL_MD5_STATE: Md5State = Int32Array.of(
  0x67452301,
  0xefcdab89 | 0,
  0x98badcfe | 0,
  0x10325476,
);

// Scratch space: digests run synchronously, so one set serves every call.
const words = new Int32Array(16);
const working = new Int32Array(4);

/** MD5 reads little-endian words; on a little-endian machine a 4-aligned block can be read as Int32s. */
const IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
// The word view of the buffer digested last (the scratch buffers, nearly always): made once, reused.
let viewedBuffer: ArrayBufferLike | null = null;
let viewedWords: Int32Array<ArrayBufferLike> = new Int32Array(0);

/** An Int32 view of `bytes`' buffer when the octet at `start` is 4-aligned there, else null. */
function wordViewAt(bytes: Uint8Array, start: number): Int32Array | null {
  if (!IS_LITTLE_ENDIAN || ((bytes.byteOffset + start) & 3) !== 0) return null;
  if (bytes.buffer !== viewedBuffer) {
    viewedBuffer = bytes.buffer;
    viewedWords = new Int32Array(bytes.buffer, 0, bytes.buffer.byteLength >>> 2);
  }
  return viewedWords;
}

/** Loads the 16 words of the 64-octet block at `offset` into `words`. */
function loadWords(bytes: Uint8Array, offset: number, view: Int32Array | null): void {
  if (view !== null) {
    const first = (bytes.byteOffset + offset) >>> 2;
    for (let index = 0; index < 16; index++) words[index] = view[first + index]!;
    return;
  }
  for (let index = 0; index < 16; index++) {
    const at = offset + (index << 2);
    words[index] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  }
}

/**
 * Folds the block in `words` into `state`: RFC 1321 §3.4 written out step by step, with T[i] =
 * floor(|sin(i + 1)| × 2^32) as constants, so no table or index arithmetic is left on the way.
 */
function compress(state: Md5State): void {
  const m0 = words[0]!;
  const m1 = words[1]!;
  const m2 = words[2]!;
  const m3 = words[3]!;
  const m4 = words[4]!;
  const m5 = words[5]!;
  const m6 = words[6]!;
  const m7 = words[7]!;
  const m8 = words[8]!;
  const m9 = words[9]!;
  const m10 = words[10]!;
  const m11 = words[11]!;
  const m12 = words[12]!;
  const m13 = words[13]!;
  const m14 = words[14]!;
  const m15 = words[15]!;
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let x = 0;
  // Round 1: F(b, c, d) = (b & c) | (~b & d); shifts 7 12 17 22; words in order.
  x = (a + ((b & c) | (~b & d)) + m0 + 0xd76aa478) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + m1 + 0xe8c7b756) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + m2 + 0x242070db) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + m3 + 0xc1bdceee) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + m4 + 0xf57c0faf) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + m5 + 0x4787c62a) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + m6 + 0xa8304613) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + m7 + 0xfd469501) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + m8 + 0x698098d8) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + m9 + 0x8b44f7af) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + m10 + 0xffff5bb1) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + m11 + 0x895cd7be) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  x = (a + ((b & c) | (~b & d)) + m12 + 0x6b901122) | 0;
  a = (b + ((x << 7) | (x >>> 25))) | 0;
  x = (d + ((a & b) | (~a & c)) + m13 + 0xfd987193) | 0;
  d = (a + ((x << 12) | (x >>> 20))) | 0;
  x = (c + ((d & a) | (~d & b)) + m14 + 0xa679438e) | 0;
  c = (d + ((x << 17) | (x >>> 15))) | 0;
  x = (b + ((c & d) | (~c & a)) + m15 + 0x49b40821) | 0;
  b = (c + ((x << 22) | (x >>> 10))) | 0;
  // Round 2: G(b, c, d) = (b & d) | (c & ~d); shifts 5 9 14 20; word (1 + 5i) mod 16.
  x = (a + ((b & d) | (c & ~d)) + m1 + 0xf61e2562) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + m6 + 0xc040b340) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + m11 + 0x265e5a51) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + m0 + 0xe9b6c7aa) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((b & d) | (c & ~d)) + m5 + 0xd62f105d) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + m10 + 0x02441453) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + m15 + 0xd8a1e681) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + m4 + 0xe7d3fbc8) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((b & d) | (c & ~d)) + m9 + 0x21e1cde6) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + m14 + 0xc33707d6) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + m3 + 0xf4d50d87) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + m8 + 0x455a14ed) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  x = (a + ((b & d) | (c & ~d)) + m13 + 0xa9e3e905) | 0;
  a = (b + ((x << 5) | (x >>> 27))) | 0;
  x = (d + ((a & c) | (b & ~c)) + m2 + 0xfcefa3f8) | 0;
  d = (a + ((x << 9) | (x >>> 23))) | 0;
  x = (c + ((d & b) | (a & ~b)) + m7 + 0x676f02d9) | 0;
  c = (d + ((x << 14) | (x >>> 18))) | 0;
  x = (b + ((c & a) | (d & ~a)) + m12 + 0x8d2a4c8a) | 0;
  b = (c + ((x << 20) | (x >>> 12))) | 0;
  // Round 3: H(b, c, d) = b ^ c ^ d; shifts 4 11 16 23; word (5 + 3i) mod 16.
  x = (a + (b ^ c ^ d) + m5 + 0xfffa3942) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + m8 + 0x8771f681) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + m11 + 0x6d9d6122) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + m14 + 0xfde5380c) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + m1 + 0xa4beea44) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + m4 + 0x4bdecfa9) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + m7 + 0xf6bb4b60) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + m10 + 0xbebfbc70) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + m13 + 0x289b7ec6) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + m0 + 0xeaa127fa) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + m3 + 0xd4ef3085) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + m6 + 0x04881d05) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  x = (a + (b ^ c ^ d) + m9 + 0xd9d4d039) | 0;
  a = (b + ((x << 4) | (x >>> 28))) | 0;
  x = (d + (a ^ b ^ c) + m12 + 0xe6db99e5) | 0;
  d = (a + ((x << 11) | (x >>> 21))) | 0;
  x = (c + (d ^ a ^ b) + m15 + 0x1fa27cf8) | 0;
  c = (d + ((x << 16) | (x >>> 16))) | 0;
  x = (b + (c ^ d ^ a) + m2 + 0xc4ac5665) | 0;
  b = (c + ((x << 23) | (x >>> 9))) | 0;
  // Round 4: I(b, c, d) = c ^ (b | ~d); shifts 6 10 15 21; word 7i mod 16.
  x = (a + (c ^ (b | ~d)) + m0 + 0xf4292244) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + m7 + 0x432aff97) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + m14 + 0xab9423a7) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + m5 + 0xfc93a039) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + m12 + 0x655b59c3) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + m3 + 0x8f0ccc92) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + m10 + 0xffeff47d) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + m1 + 0x85845dd1) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + m8 + 0x6fa87e4f) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + m15 + 0xfe2ce6e0) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + m6 + 0xa3014314) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + m13 + 0x4e0811a1) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;
  x = (a + (c ^ (b | ~d)) + m4 + 0xf7537e82) | 0;
  a = (b + ((x << 6) | (x >>> 26))) | 0;
  x = (d + (b ^ (a | ~c)) + m11 + 0xbd3af235) | 0;
  d = (a + ((x << 10) | (x >>> 22))) | 0;
  x = (c + (a ^ (d | ~b)) + m2 + 0x2ad7d2bb) | 0;
  c = (d + ((x << 15) | (x >>> 17))) | 0;
  x = (b + (d ^ (c | ~a)) + m9 + 0xeb86d391) | 0;
  b = (c + ((x << 21) | (x >>> 11))) | 0;

  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
}

/**
 * Loads the last, partial block - `rest` (0..63) octets at `offset` - into `words` with RFC 1321 §3.1's
 * 0x80 after them and zeros up to the block's end; the caller adds the length (§3.2).
 */
function loadTailWords(bytes: Uint8Array, offset: number, rest: number, view: Int32Array | null): void {
  const wholeWords = rest >>> 2;
  if (view !== null) {
    const first = (bytes.byteOffset + offset) >>> 2;
    for (let index = 0; index < wholeWords; index++) words[index] = view[first + index]!;
  } else {
    for (let index = 0; index < wholeWords; index++) {
      const at = offset + (index << 2);
      words[index] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    }
  }
  const partialOctets = rest & 3;
  const partialAt = offset + (wholeWords << 2);
  let word = 0x80 << (partialOctets << 3);
  for (let index = 0; index < partialOctets; index++) word |= bytes[partialAt + index]! << (index << 3);
  words[wholeWords] = word;
  for (let index = wholeWords + 1; index < 16; index++) words[index] = 0;
}

/**
 * Writes MD5 of (the `prefixLength` octets already folded into `from`) + bytes[start, end) to
 * out[outOffset, outOffset + 16). `from` is not changed; `prefixLength` is a multiple of 64.
 */
export function md5Into(
  from: Md5State,
  prefixLength: number,
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outOffset = 0,
): void {
  working[0] = from[0]!;
  working[1] = from[1]!;
  working[2] = from[2]!;
  working[3] = from[3]!;
  const view = wordViewAt(bytes, start);
  let offset = start;
  for (; offset + MD5_BLOCK_LENGTH <= end; offset += MD5_BLOCK_LENGTH) {
    loadWords(bytes, offset, view);
    compress(working);
  }
  const rest = end - offset;
  loadTailWords(bytes, offset, rest, view);
  if (rest >= MD5_BLOCK_LENGTH - 8) {
    // No room for the length: this block ends with padding, one more holds zeros and the length.
    compress(working);
    words.fill(0, 0, 14);
  }
  // The message length in bits, 64-bit little-endian (RFC 1321 §3.2).
  const totalLength = prefixLength + (end - start);
  words[14] = (totalLength * 8) | 0;
  words[15] = Math.floor(totalLength / 2 ** 29) | 0;
  compress(working);
  for (let index = 0; index < 4; index++) {
    const word = working[index]!;
    const at = outOffset + (index << 2);
    out[at] = word & 0xff;
    out[at + 1] = (word >>> 8) & 0xff;
    out[at + 2] = (word >>> 16) & 0xff;
    out[at + 3] = (word >>> 24) & 0xff;
  }
}

/** MD5 of bytes[start, end) as a new 16-octet Buffer. */
export function md5(bytes: Uint8Array, start = 0, end = bytes.length): Buffer {
  const out = Buffer.allocUnsafe(MD5_LENGTH);
  md5Into(INITIAL_MD5_STATE, 0, bytes, start, end, out);
  return out;
}

/** The state after one 64-octet block (an HMAC key pad), to start later digests from. */
export function md5StateAfterBlock(block: Uint8Array): Md5State {
  if (block.length !== MD5_BLOCK_LENGTH) throw new RangeError('a state is taken after exactly one block');
  const state = Int32Array.from(INITIAL_MD5_STATE);
  loadWords(block, 0, null);
  compress(state);
  return state;
}
