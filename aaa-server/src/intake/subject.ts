// Which voucher or subscriber a User-Name names, within the NAS's tenant only.
import { Attribute } from '@kiunga/dictionaries';
import type { TenantShard } from '@kiunga/schemas';
import {
  findAttribute,
  getInteger,
  type OutgoingAttribute,
  type RadiusPacket,
  readString,
} from '../codec/index';
import {
  findSubscriberByUsername,
  findVoucherByCode,
  type SubscriberRow,
  type TenantAuthData,
  type VoucherRow,
} from '../store/index';

const SERVICE_TYPE_FRAMED = 2;
const FRAMED_PROTOCOL_PPP = 1;
/** Our Class value, echoed by the NAS in accounting: `kiunga:<kind>:<id>`. */
const CLASS_PREFIX = 'kiunga:';

/** A voucher or subscriber as cached; `classAttribute` is its Class, encoded at its first Accept. */
export type Subject =
  | { kind: 'voucher'; voucher: VoucherRow; classAttribute?: OutgoingAttribute }
  | { kind: 'subscriber'; subscriber: SubscriberRow; classAttribute?: OutgoingAttribute };

/** PPP asks for a subscriber first; everything else (hotspot) for a voucher first. */
export function findSubject(
  cache: TenantAuthData<Subject>,
  shard: TenantShard,
  packet: RadiusPacket,
  username: string,
): Subject | undefined {
  const isFramed =
    getInteger(packet, Attribute.ServiceType) === SERVICE_TYPE_FRAMED ||
    getInteger(packet, Attribute.FramedProtocol) === FRAMED_PROTOCOL_PPP;
  const cached = cache.subject(isFramed, username);
  if (cached !== undefined) return cached ?? undefined;
  const found = isFramed
    ? (subscriberSubject(shard, username) ?? voucherSubject(shard, username))
    : (voucherSubject(shard, username) ?? subscriberSubject(shard, username));
  cache.remember(isFramed, username, found);
  return found;
}

function voucherSubject(shard: TenantShard, code: string): Subject | undefined {
  const voucher = findVoucherByCode(shard, code);
  return voucher ? { kind: 'voucher', voucher } : undefined;
}

function subscriberSubject(shard: TenantShard, username: string): Subject | undefined {
  const subscriber = findSubscriberByUsername(shard, username);
  return subscriber ? { kind: 'subscriber', subscriber } : undefined;
}

export function classValue(subjectKind: 'voucher' | 'subscriber', subjectId: string): string {
  return `${CLASS_PREFIX}${subjectKind}:${subjectId}`;
}

export function subjectFromClass(
  packet: RadiusPacket,
): { kind: 'voucher' | 'subscriber'; id: string } | undefined {
  const value = readString(findAttribute(packet, Attribute.Class));
  if (!value?.startsWith(CLASS_PREFIX)) return undefined;
  const [kind, id] = value.slice(CLASS_PREFIX.length).split(':', 2);
  if ((kind !== 'voucher' && kind !== 'subscriber') || !id) return undefined;
  return { kind, id };
}
