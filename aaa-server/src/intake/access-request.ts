// Access-Request: authorize (find the subject, check the password, ask the policy), hold a
// device slot, and build the Accept or Reject. What the decision needs comes from the cache
// synchronously; only what is missing (a cache miss, settings due, a data-capped voucher's usage) is
// awaited, all of it before the decision. From decision to device slot it is synchronous, so no other
// request interleaves there (no N+1th device).

import { DEFAULT_LANGUAGE, errorMessage, type Language } from '@kiunga/control-api/i18n';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import type { SqlDatabase, TenantRadiusSettings } from '@kiunga/schemas';
import { userNameWithoutDomain } from '../auth/index';
import { getString, type OutgoingAttribute, type RadiusPacket, stringAttribute } from '../codec/index';
import {
  type AuthorizationDecision,
  authorizeSubscriber,
  authorizeVoucher,
  type RejectReason,
} from '../policy/index';
import {
  type AdmitDeviceResult,
  isSessionStoreUnavailable,
  normalizeCallingStationId,
} from '../sessions/index';
import { type NasEntry, type TenantAuthData, usedOctetsOfSubject, type VoucherRow } from '../store/index';
import type { IntakeContext } from './context';
import {
  type CredentialCheck,
  type Credentials,
  checkCredentials,
  readCredentials,
  rejectAttributesFor,
} from './credentials';
import { type DecisionRequest, logDecision } from './decision-logging';
import { authorizeGuestPassLogin, isGuestPassUsername } from './guest-pass';
import { replyAttributes } from './reply-attributes';
import { cachedSubject, classValue, findSubject, type Subject } from './subject';

export type AccessOutcome =
  /** `reason`: why an accept is special, for the decision log (a guest pass). */
  | { kind: 'accept'; code: number; attributes: OutgoingAttribute[]; reason?: 'guest_pass' }
  | { kind: 'reject'; code: number; attributes: OutgoingAttribute[]; reason: RejectReason }
  | { kind: 'drop'; reason: string };

/** What the decision is made from; `subject` null: no such voucher or account. */
interface AccessFacts {
  subject: Subject | null;
  settings: TenantRadiusSettings;
  /** Octets used so far, for a voucher with a data cap (0 otherwise). */
  usedOctets: number;
}

/** The outcome, synchronously when everything needed was cached; a promise when something was read. */
export function handleAccessRequest(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
): AccessOutcome | Promise<AccessOutcome> {
  const username = getString(packet, Attribute.UserName);
  const credentials = readCredentials(packet, nas.sharedSecret);
  // `DOMAIN\user` (Windows, some CPEs): the account is `user`, as in the MS-CHAPv2 hash.
  const accountName = username === undefined ? '' : userNameWithoutDomain(username);
  // A request without a User-Name or credentials is a NAS misconfiguration, refused before the tenant's
  // settings are read (and so in English): no client typed anything into it.
  if (username === undefined || accountName.length === 0)
    return reject('invalid_credentials', credentials, DEFAULT_LANGUAGE);
  if (credentials === null) return reject('unsupported_authentication', null, DEFAULT_LANGUAGE);
  const nowMs = context.clock.now();
  // Read once here for every decision logged below (decision-logging.ts, DecisionRequest).
  const logged: DecisionRequest = {
    accountName,
    callingStationId: getString(packet, Attribute.CallingStationId),
    receivedAtMs: nowMs,
  };
  if (isGuestPassUsername(accountName)) {
    // A subscriber may be named guest-…: without such a pass, the login goes on as any other.
    return authorizeGuestPassLogin(context, packet, nas, username, accountName, credentials, nowMs).then(
      async (result) => {
        if (result === null) return handleSubjectLogin(context, packet, nas, username, logged, credentials);
        const outcome: AccessOutcome =
          result.kind === 'accept'
            ? { ...result, code: PacketCode.AccessAccept }
            : reject(result.reason, credentials, await clientLanguageOf(context, nas, nowMs));
        return logDecision(context, nas, packet, logged, outcome);
      },
    );
  }
  return handleSubjectLogin(context, packet, nas, username, logged, credentials);
}

/** A voucher's or subscriber's login, from the cache when it can be. */
function handleSubjectLogin(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
  username: string,
  logged: DecisionRequest,
  credentials: Credentials,
): AccessOutcome | Promise<AccessOutcome> {
  const { accountName, receivedAtMs: nowMs } = logged;
  // One check of the tenant's change generation: whatever was committed before this request is seen.
  const tenant = context.auth.current(nas.tenantId, nowMs);
  const facts = tenant instanceof Promise ? undefined : cachedFacts(tenant, packet, accountName, nowMs);
  if (facts !== undefined) {
    const outcome = decide(context, packet, nas, username, credentials, facts, logged);
    return logDecision(context, nas, packet, logged, outcome);
  }
  const outcome = readFacts(context, nas, packet, accountName, tenant, nowMs).then((read) =>
    decide(context, packet, nas, username, credentials, read, logged),
  );
  return logDecision(context, nas, packet, logged, outcome);
}

/** The facts when all are in memory, else undefined. */
function cachedFacts(
  tenant: TenantAuthData<Subject>,
  packet: RadiusPacket,
  accountName: string,
  nowMs: number,
): AccessFacts | undefined {
  const subject = cachedSubject(tenant, packet, accountName);
  if (subject === undefined) return undefined;
  const settings = tenant.cachedSettings(nowMs);
  if (settings === undefined) return undefined;
  if (subject?.kind === 'voucher' && subject.voucher.dataCapBytes !== null) return undefined;
  return { subject, settings, usedOctets: 0 };
}

async function readFacts(
  context: IntakeContext,
  nas: NasEntry,
  packet: RadiusPacket,
  accountName: string,
  current: TenantAuthData<Subject> | Promise<TenantAuthData<Subject>>,
  nowMs: number,
): Promise<AccessFacts> {
  const tenant = await current;
  const database = context.auth.databaseOf(nas.tenantId);
  const subject = (await findSubject(tenant, database, packet, accountName)) ?? null;
  const settings = await tenant.settingsOf(database, nowMs);
  const usedOctets =
    subject?.kind === 'voucher' && subject.voucher.dataCapBytes !== null
      ? await usedOctetsOfSubject(database, 'voucher', subject.voucher.id)
      : 0;
  return { subject, settings, usedOctets };
}

/** Synchronous from here to the device slot; only a voucher's first use is written (and awaited) after. */
function decide(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
  username: string,
  credentials: Credentials,
  facts: AccessFacts,
  /** What the intake read of the request already: its time and Calling-Station-Id (read once). */
  logged: DecisionRequest,
): AccessOutcome | Promise<AccessOutcome> {
  const { subject, settings } = facts;
  const { receivedAtMs: nowMs, callingStationId } = logged;
  if (!subject) return reject('invalid_credentials', credentials, settings.clientLanguage);
  let check: CredentialCheck;
  let decision: AuthorizationDecision;
  if (subject.kind === 'voucher') {
    const voucher = subject.voucher;
    // A voucher's code is its password; a blank password is accepted since the code is the secret.
    check = checkCredentials(credentials, username, voucher.code, nas.sharedSecret, packet);
    if (!check.isValid) check = checkCredentials(credentials, username, '', nas.sharedSecret, packet);
    const voucherFacts = {
      status: voucher.status,
      validitySeconds: voucher.validitySeconds,
      rateLimit: voucher.rateLimit,
      dataCapBytes: voucher.dataCapBytes,
      firstUsedAtMs: voucher.firstUsedAt,
      expiresAtMs: voucher.expiresAt,
      usedOctets: facts.usedOctets,
    };
    decision = authorizeVoucher(voucherFacts, check.isValid, settings, nowMs);
  } else {
    const subscriber = subject.subscriber;
    const password = context.secretBox.open(subscriber.passwordSealed);
    check = checkCredentials(credentials, username, password, nas.sharedSecret, packet);
    const subscriberFacts = {
      status: subscriber.status,
      expiresAtMs: subscriber.expiresAt,
      rateLimit: subscriber.rateLimit,
      staticIp: subscriber.staticIp,
      ipPool: subscriber.ipPool,
      boundMacAddress: subscriber.macAddress,
      // Normalised only when there is a binding to compare with: most accounts have none.
      deviceMacAddress: subscriber.macAddress === null ? null : deviceMacAddressOf(callingStationId),
    };
    decision = authorizeSubscriber(subscriberFacts, check.isValid, settings, nowMs);
  }
  if (decision.outcome === 'reject') return reject(decision.reason, credentials, settings.clientLanguage);
  return admit(
    context,
    nas,
    subject,
    decision,
    check,
    credentials,
    callingStationId,
    nowMs,
    settings.clientLanguage,
  );
}

function admit(
  context: IntakeContext,
  nas: NasEntry,
  subject: Subject,
  decision: Extract<AuthorizationDecision, { outcome: 'accept' }>,
  check: CredentialCheck,
  credentials: Credentials,
  callingStationId: string | undefined,
  nowMs: number,
  /** The ISP's client language, for a refusal for want of a device slot. */
  language: Language,
): AccessOutcome | Promise<AccessOutcome> {
  const subjectId = subject.kind === 'voucher' ? subject.voucher.id : subject.subscriber.id;
  const deviceLimit =
    subject.kind === 'voucher' ? subject.voucher.deviceLimit : subject.subscriber.deviceLimit;
  const admission = context.sessions.admitDevice({
    tenantId: nas.tenantId,
    subjectKind: subject.kind,
    subjectId,
    callingStationId: callingStationId ?? '',
    deviceLimit,
    nowMs,
  });
  // The shared (Redis) table answers asynchronously; its script checks and reserves in one step.
  if (admission instanceof Promise) {
    return admission.then(
      (admitted) =>
        admitAfterSlot(
          context,
          nas,
          subject,
          subjectId,
          decision,
          check,
          credentials,
          admitted,
          nowMs,
          language,
        ),
      (error: unknown): AccessOutcome => {
        // The table cannot answer: stay silent so that the NAS retries or fails over.
        if (isSessionStoreUnavailable(error)) return { kind: 'drop', reason: 'session_table_unavailable' };
        throw error;
      },
    );
  }
  return admitAfterSlot(
    context,
    nas,
    subject,
    subjectId,
    decision,
    check,
    credentials,
    admission,
    nowMs,
    language,
  );
}

function admitAfterSlot(
  context: IntakeContext,
  nas: NasEntry,
  subject: Subject,
  subjectId: string,
  decision: Extract<AuthorizationDecision, { outcome: 'accept' }>,
  check: CredentialCheck,
  credentials: Credentials,
  admission: AdmitDeviceResult,
  nowMs: number,
  language: Language,
): AccessOutcome | Promise<AccessOutcome> {
  if (!admission.admitted) {
    // A full table is our limit, not the client's: stay silent so the NAS fails over or retries.
    if (admission.reason === 'table_full') return { kind: 'drop', reason: 'session_table_full' };
    return reject(
      subject.kind === 'voucher' ? 'device_limit_reached' : 'session_limit_reached',
      credentials,
      language,
    );
  }
  // The slot is held; a first use is stored before the Accept, which carries the stored expiry.
  if (decision.firstUse && subject.kind === 'voucher') {
    const database = context.auth.databaseOf(nas.tenantId);
    return recordFirstUse(context, database, nas.tenantId, subject.voucher, decision.firstUse).then(
      (storedExpiresAtMs) => {
        const sessionTimeoutSeconds = Math.max(1, Math.ceil((storedExpiresAtMs - nowMs) / 1000));
        return accept(subject, subjectId, { ...decision.reply, sessionTimeoutSeconds }, check);
      },
    );
  }
  return accept(subject, subjectId, decision.reply, check);
}

function accept(
  subject: Subject,
  subjectId: string,
  reply: Extract<AuthorizationDecision, { outcome: 'accept' }>['reply'],
  check: CredentialCheck,
): AccessOutcome {
  const attributes = replyAttributes(reply);
  for (const attribute of check.replyAttributes) attributes.push(attribute);
  // The same for every login of this subject: made once per cached subject.
  subject.classAttribute ??= stringAttribute(Attribute.Class, classValue(subject.kind, subjectId));
  attributes.push(subject.classAttribute);
  return { kind: 'accept', code: PacketCode.AccessAccept, attributes };
}

/** Stores the first login (with the tenant's next group of them) and keeps the cached voucher in step with the row. */
async function recordFirstUse(
  context: IntakeContext,
  database: SqlDatabase,
  tenantId: string,
  voucher: VoucherRow,
  firstUse: { firstUsedAtMs: number; expiresAtMs: number },
): Promise<number> {
  const recorded = await context.firstUses.record(tenantId, database, {
    voucherId: voucher.id,
    firstUsedAtMs: firstUse.firstUsedAtMs,
    expiresAtMs: firstUse.expiresAtMs,
  });
  voucher.firstUsedAt ??= firstUse.firstUsedAtMs;
  voucher.expiresAt = recorded.expiresAtMs;
  voucher.status = 'active';
  context.auth.acknowledgeOwnWrite(tenantId, recorded.generationBefore, recorded.generationAfter);
  return recorded.expiresAtMs;
}

function deviceMacAddressOf(callingStationId: string | undefined): string | null {
  return callingStationId === undefined || callingStationId.length === 0
    ? null
    : normalizeCallingStationId(callingStationId);
}

/** The ISP's default client language (an Access-Request carries none), from its cached settings. */
async function clientLanguageOf(context: IntakeContext, nas: NasEntry, nowMs: number): Promise<Language> {
  const tenant = await context.auth.current(nas.tenantId, nowMs);
  return (await tenant.settingsOf(context.auth.databaseOf(nas.tenantId), nowMs)).clientLanguage;
}

/** The Reject, its Reply-Message in the ISP's default language (MikroTik's login page shows it; issue 14). */
function reject(reason: RejectReason, credentials: Credentials | null, language: Language): AccessOutcome {
  return {
    kind: 'reject',
    code: PacketCode.AccessReject,
    reason,
    attributes: [
      stringAttribute(Attribute.ReplyMessage, errorMessage(language, reason)),
      ...rejectAttributesFor(credentials),
    ],
  };
}
