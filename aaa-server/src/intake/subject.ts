// Which voucher or subscriber a User-Name names, within the NAS's tenant only.
import { Attribute } from '@kiunga/dictionaries';
import type { SessionSubjectKind, SqlDatabase } from '@kiunga/schemas';
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

/** PPP logins (Service-Type Framed or Framed-Protocol PPP) look for a subscriber first. */
export function isFramedLogin(packet: RadiusPacket): boolean {
  return (
    getInteger(packet, Attribute.ServiceType) === SERVICE_TYPE_FRAMED ||
    getInteger(packet, Attribute.FramedProtocol) === FRAMED_PROTOCOL_PPP
  );
}

/**
 * The subject as cached: null when known absent, undefined when it must be looked up (`findSubject`).
 * Synchronous, so a cached login answers without a promise.
 */
export function cachedSubject(
  cache: TenantAuthData<Subject>,
  packet: RadiusPacket,
  username: string,
): Subject | null | undefined {
  return cache.subject(isFramedLogin(packet), username);
}

/** PPP asks for a subscriber first; everything else (hotspot) for a voucher first. */
export async function findSubject(
  cache: TenantAuthData<Subject>,
  database: SqlDatabase,
  packet: RadiusPacket,
  username: string,
): Promise<Subject | undefined> {
  const isFramed = isFramedLogin(packet);
  const cached = cache.subject(isFramed, username);
  if (cached !== undefined) return cached ?? undefined;
  const found = isFramed
    ? ((await subscriberSubject(database, username)) ?? (await voucherSubject(database, username)))
    : ((await voucherSubject(database, username)) ?? (await subscriberSubject(database, username)));
  cache.remember(isFramed, username, found);
  return found;
}

async function voucherSubject(database: SqlDatabase, code: string): Promise<Subject | undefined> {
  const voucher = await findVoucherByCode(database, code);
  return voucher ? { kind: 'voucher', voucher } : undefined;
}

async function subscriberSubject(database: SqlDatabase, username: string): Promise<Subject | undefined> {
  const subscriber = await findSubscriberByUsername(database, username);
  return subscriber ? { kind: 'subscriber', subscriber } : undefined;
}

/**
 * A guest pass's id by its `guest-…` username, for accounting when the NAS did not echo our Class (the
 * pass is no voucher or subscriber, so findSubject never finds it); undefined for no such pass.
 */
export async function findGuestPassId(database: SqlDatabase, username: string): Promise<string | undefined> {
  const row = await database.get<{ id: string }>('SELECT id FROM guest_passes WHERE username = ?', [
    username,
  ]);
  return row?.id;
}

export function classValue(subjectKind: SessionSubjectKind, subjectId: string): string {
  return `${CLASS_PREFIX}${subjectKind}:${subjectId}`;
}

export function subjectFromClass(packet: RadiusPacket): { kind: SessionSubjectKind; id: string } | undefined {
  const value = readString(findAttribute(packet, Attribute.Class));
  if (!value?.startsWith(CLASS_PREFIX)) return undefined;
  const [kind, id] = value.slice(CLASS_PREFIX.length).split(':', 2);
  if ((kind !== 'voucher' && kind !== 'subscriber' && kind !== 'guest_pass') || !id) return undefined;
  return { kind, id };
}
