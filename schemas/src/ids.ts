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
} as const;

export type IdKind = keyof typeof idPrefixes;

const ID_RANDOM_BYTES = 12; // 96 bits: collisions are not a practical concern

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${randomBytes(ID_RANDOM_BYTES).toString('base64url')}`;
}

export function hasIdPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${idPrefixes[kind]}_`);
}
