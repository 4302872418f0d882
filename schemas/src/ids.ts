// Prefixed, sortable-enough random ids (`vch_…`, `sub_…`) so an id says what it names.
import { randomBytes } from 'node:crypto';

export const idPrefixes = {
  tenant: 'ten',
  user: 'usr',
  nas: 'nas',
  plan: 'pln',
  voucher: 'vch',
  voucherBatch: 'vbt',
  subscriber: 'sub',
  session: 'ses',
  purchase: 'pur',
  payment: 'pay',
  role: 'rol',
  apiKey: 'key',
  refreshToken: 'rtk',
  consoleSession: 'cse',
  nasAlert: 'nal',
  phaseChange: 'phc',
  guestPass: 'gps',
  guestPassPhoneCode: 'gpc',
  referralReward: 'rfr',
  mail: 'eml',
  signupSmsCode: 'smc',
  smsTemplate: 'smt',
  smsCampaign: 'smc',
  reseller: 'rsl',
  resellerTopUp: 'rtu',
  resellerPayout: 'rpo',
  resellerStockPurchase: 'rsp',
  commissionRule: 'crl',
  supportConversation: 'spc',
  supportAttachment: 'spa',
  supportCannedReply: 'scr',
  chatConversation: 'cht',
  chatAttachment: 'cha',
  chatPhoneCode: 'chp',
} as const;

export type IdKind = keyof typeof idPrefixes;

const ID_RANDOM_BYTES = 12; // 96 bits: collisions are not a practical concern
/**
 * CSPRNG bytes drawn at once and handed out 12 at a time: the accounting path makes an id per record,
 * and a randomBytes call costs far more than the bytes it returns. The bytes are as unpredictable as
 * per-id calls (each id's bytes are independent of its neighbours').
 */
const ID_RANDOM_POOL_BYTES = 4_092;

let randomPool = Buffer.alloc(0);
let randomPoolOffset = 0;

function nextRandomBytes(): Buffer {
  if (randomPoolOffset + ID_RANDOM_BYTES > randomPool.length) {
    randomPool = randomBytes(ID_RANDOM_POOL_BYTES);
    randomPoolOffset = 0;
  }
  const bytes = randomPool.subarray(randomPoolOffset, randomPoolOffset + ID_RANDOM_BYTES);
  randomPoolOffset += ID_RANDOM_BYTES;
  return bytes;
}

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${nextRandomBytes().toString('base64url')}`;
}

export function hasIdPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${idPrefixes[kind]}_`);
}
