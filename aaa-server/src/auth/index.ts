// Public surface of the authentication methods: CHAP, MS-CHAPv2 and MPPE keys, as pure functions.
export { chapChallengeFor, verifyChapPassword } from './chap';
export { desEncryptBlock, expandDesKey, md4 } from './legacy-crypto';
export {
  createMppeSalt,
  decryptMppeKey,
  deriveMppeMasterKeys,
  encryptMppeKey,
  encryptMppeKeyPair,
  getAsymmetricStartKey,
  getMasterKey,
  type MppeMasterKeys,
} from './mppe';
export {
  challengeHash,
  challengeResponse,
  generateAuthenticatorResponse,
  generateNtResponse,
  MS_CHAP_ERROR_AUTHENTICATION_FAILURE,
  type MsChap2Response,
  type MsChapV2Input,
  type MsChapV2Verdict,
  msChapErrorValue,
  ntPasswordHash,
  parseMsChap2Response,
  verifyMsChapV2,
} from './mschapv2';
export { userNameWithoutDomain } from './user-name';
