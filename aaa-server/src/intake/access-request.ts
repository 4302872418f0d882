// Access-Request: authorize (find the subject, check the password, ask the policy), hold a
// device slot, and build the Accept or Reject. Synchronous from lookup to slot, so no race.
import { Attribute, MikrotikAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import { messageFor, type TenantShard } from '@kiunga/schemas';
import { userNameWithoutDomain } from '../auth/index';
import {
  getString,
  integerAttribute,
  integerValue,
  ipAddressAttribute,
  type OutgoingAttribute,
  type RadiusPacket,
  stringAttribute,
  stringValue,
  vendorAttribute,
} from '../codec/index';
import {
  type AuthorizationDecision,
  authorizeSubscriber,
  authorizeVoucher,
  type RejectReason,
  type ReplyPlan,
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
  const attributes = [...replyAttributes(reply), ...check.replyAttributes];
  attributes.push(stringAttribute(Attribute.Class, classValue(subject.kind, subjectId)));
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

export function replyAttributes(reply: ReplyPlan): OutgoingAttribute[] {
  const attributes: OutgoingAttribute[] = [];
  if (reply.sessionTimeoutSeconds !== null) {
    attributes.push(integerAttribute(Attribute.SessionTimeout, reply.sessionTimeoutSeconds));
  }
  attributes.push(integerAttribute(Attribute.IdleTimeout, reply.idleTimeoutSeconds));
  attributes.push(integerAttribute(Attribute.AcctInterimInterval, reply.interimIntervalSeconds));
  if (reply.rateLimit) {
    attributes.push(
      vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.RateLimit, stringValue(reply.rateLimit)),
    );
  }
  if (reply.framedIpAddress)
    attributes.push(ipAddressAttribute(Attribute.FramedIpAddress, reply.framedIpAddress));
  // RFC 2869 §5.18 Framed-Pool (88): "the name of an assigned address pool that SHOULD be used".
  if (reply.framedPool) attributes.push(stringAttribute(Attribute.FramedPool, reply.framedPool));
  if (reply.totalLimitBytes !== null) {
    // 64-bit byte count as MikroTik's low 32 bits + gigawords pair.
    const gigawords = Math.floor(reply.totalLimitBytes / 2 ** 32);
    attributes.push(
      vendorAttribute(
        VendorId.Mikrotik,
        MikrotikAttribute.TotalLimit,
        integerValue(reply.totalLimitBytes % 2 ** 32),
      ),
    );
    if (gigawords > 0) {
      attributes.push(
        vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.TotalLimitGigawords, integerValue(gigawords)),
      );
    }
  }
  if (reply.addressList) {
    attributes.push(
      vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.AddressList, stringValue(reply.addressList)),
    );
  }
  return attributes;
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
