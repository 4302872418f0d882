// Access-Request: authorize (find the subject, check the password, ask the policy), hold a
// device slot, and build the Accept or Reject. Synchronous from lookup to slot, so no race.
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import { messageFor, type TenantShard } from '@kiunga/schemas';
import { userNameWithoutDomain } from '../auth/index';
import { getString, type OutgoingAttribute, type RadiusPacket, stringAttribute } from '../codec/index';
import {
  type AuthorizationDecision,
  authorizeSubscriber,
  authorizeVoucher,
  type RejectReason,
} from '../policy/index';
import { normalizeCallingStationId } from '../sessions/index';
import { type NasEntry, recordVoucherFirstUse, usedOctetsOfSubject, type VoucherRow } from '../store/index';
import type { IntakeContext } from './context';
import {
  type CredentialCheck,
  type Credentials,
  checkCredentials,
  readCredentials,
  rejectAttributesFor,
} from './credentials';
import { replyAttributes } from './reply-attributes';
import { classValue, findSubject, type Subject } from './subject';

export type AccessOutcome =
  | { kind: 'accept'; code: number; attributes: OutgoingAttribute[] }
  | { kind: 'reject'; code: number; attributes: OutgoingAttribute[]; reason: RejectReason }
  | { kind: 'drop'; reason: string };

export function handleAccessRequest(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
): AccessOutcome {
  const username = getString(packet, Attribute.UserName);
  const credentials = readCredentials(packet, nas.sharedSecret);
  // `DOMAIN\user` (Windows, some CPEs): the account is `user`, as in the MS-CHAPv2 hash.
  const accountName = username === undefined ? '' : userNameWithoutDomain(username);
  if (username === undefined || accountName.length === 0) return reject('invalid_credentials', credentials);
  if (credentials === null) return reject('unsupported_authentication', null);
  const nowMs = context.clock.now();
  const shard = context.shards.forTenant(nas.tenantId);
  // One read of the shard's change generation: whatever was committed before this request is seen.
  const tenant = context.auth.current(shard, nowMs);
  const subject = findSubject(tenant, shard, packet, accountName);
  if (!subject) return reject('invalid_credentials', credentials);
  const settings = tenant.settingsOf(shard, nowMs);
  let check: CredentialCheck;
  let decision: AuthorizationDecision;
  if (subject.kind === 'voucher') {
    const voucher = subject.voucher;
    // A voucher's code is its password; a blank password is accepted since the code is the secret.
    check = checkCredentials(credentials, username, voucher.code, nas.sharedSecret, packet);
    if (!check.isValid) check = checkCredentials(credentials, username, '', nas.sharedSecret, packet);
    const facts = {
      status: voucher.status,
      validitySeconds: voucher.validitySeconds,
      rateLimit: voucher.rateLimit,
      dataCapBytes: voucher.dataCapBytes,
      firstUsedAtMs: voucher.firstUsedAt,
      expiresAtMs: voucher.expiresAt,
      usedOctets: voucher.dataCapBytes === null ? 0 : usedOctetsOfSubject(shard, 'voucher', voucher.id),
    };
    decision = authorizeVoucher(facts, check.isValid, settings, nowMs);
  } else {
    const subscriber = subject.subscriber;
    const password = context.secretBox.open(subscriber.passwordSealed);
    check = checkCredentials(credentials, username, password, nas.sharedSecret, packet);
    const facts = {
      status: subscriber.status,
      expiresAtMs: subscriber.expiresAt,
      rateLimit: subscriber.rateLimit,
      staticIp: subscriber.staticIp,
      ipPool: subscriber.ipPool,
      boundMacAddress: subscriber.macAddress,
      // Normalised only when there is a binding to compare with: most accounts have none.
      deviceMacAddress: subscriber.macAddress === null ? null : deviceMacAddressOf(packet),
    };
    decision = authorizeSubscriber(facts, check.isValid, settings, nowMs);
  }
  if (decision.outcome === 'reject') return reject(decision.reason, credentials);
  return admit(context, shard, packet, nas, subject, decision, check, credentials, nowMs);
}

function admit(
  context: IntakeContext,
  shard: TenantShard,
  packet: RadiusPacket,
  nas: NasEntry,
  subject: Subject,
  decision: Extract<AuthorizationDecision, { outcome: 'accept' }>,
  check: CredentialCheck,
  credentials: Credentials,
  nowMs: number,
): AccessOutcome {
  const subjectId = subject.kind === 'voucher' ? subject.voucher.id : subject.subscriber.id;
  const deviceLimit =
    subject.kind === 'voucher' ? subject.voucher.deviceLimit : subject.subscriber.deviceLimit;
  const admission = context.sessions.admitDevice({
    tenantId: nas.tenantId,
    subjectKind: subject.kind,
    subjectId,
    callingStationId: getString(packet, Attribute.CallingStationId) ?? '',
    deviceLimit,
    nowMs,
  });
  if (!admission.admitted) {
    // A full table is our limit, not the client's: stay silent so the NAS fails over or retries.
    if (admission.reason === 'table_full') return { kind: 'drop', reason: 'session_table_full' };
    return reject(subject.kind === 'voucher' ? 'device_limit_reached' : 'session_limit_reached', credentials);
  }
  let reply = decision.reply;
  if (decision.firstUse && subject.kind === 'voucher') {
    const storedExpiresAtMs = recordFirstUse(context, shard, subject.voucher, decision.firstUse);
    reply = { ...reply, sessionTimeoutSeconds: Math.max(1, Math.ceil((storedExpiresAtMs - nowMs) / 1000)) };
  }
  const attributes = replyAttributes(reply);
  for (const attribute of check.replyAttributes) attributes.push(attribute);
  // The same for every login of this subject: made once per cached subject.
  subject.classAttribute ??= stringAttribute(Attribute.Class, classValue(subject.kind, subjectId));
  attributes.push(subject.classAttribute);
  return { kind: 'accept', code: PacketCode.AccessAccept, attributes };
}

/** Stores the first login and keeps the cached voucher in step with the row. */
function recordFirstUse(
  context: IntakeContext,
  shard: TenantShard,
  voucher: VoucherRow,
  firstUse: { firstUsedAtMs: number; expiresAtMs: number },
): number {
  const storedExpiresAtMs = recordVoucherFirstUse(
    shard,
    voucher.id,
    firstUse.firstUsedAtMs,
    firstUse.expiresAtMs,
  );
  voucher.firstUsedAt ??= firstUse.firstUsedAtMs;
  voucher.expiresAt = storedExpiresAtMs;
  voucher.status = 'active';
  context.auth.acknowledgeOwnWrite(shard, 1);
  return storedExpiresAtMs;
}

function deviceMacAddressOf(packet: RadiusPacket): string | null {
  const callingStationId = getString(packet, Attribute.CallingStationId);
  return callingStationId === undefined || callingStationId.length === 0
    ? null
    : normalizeCallingStationId(callingStationId);
}

function reject(reason: RejectReason, credentials: Credentials | null): AccessOutcome {
  return {
    kind: 'reject',
    code: PacketCode.AccessReject,
    reason,
    attributes: [
      stringAttribute(Attribute.ReplyMessage, messageFor(reason)),
      ...rejectAttributesFor(credentials),
    ],
  };
}
