// "Why is this client offline?" (issue 12): from a username, voucher code, MAC address or phone, the
// voucher or subscriber, its recent Access-Request decisions (newest first), its live and recent
// sessions, its device slots and, for a subscriber, what it owes.
import {
  type AaaControl,
  type ErrorCode,
  errorCatalogue,
  KiungaError,
  normaliseKenyanPhone,
  type SessionOutput,
  type SqlDatabase,
} from '@kiunga/schemas';
import { accountStanding } from '../../billing/core/standing';
import { loadSubscriberLedger } from '../../billing/store';
import { LedgerAccount } from '../../ledger/accounts';
import { listSessionHistory, liveSessionsOfSubject, toLiveSessionOutput } from '../sessions/service';
import {
  type DecisionRow,
  DIAGNOSTIC_RECENT_SESSIONS_MAX,
  type DiagnosedSubject,
  decisionsOf,
  findSubscriberByLogin,
  findVoucherByCode,
  lastPaymentAt,
  loginNameOfDevice,
  overdueInvoiceIds,
} from './store';

/** aa:bb:cc:dd:ee:ff, aa-bb-…, AABB.CCDD.EEFF or bare hex: what a person copies off a router or sticker. */
const MAC_ADDRESS_PATTERN =
  /^(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^(?:[0-9a-f]{4}\.){2}[0-9a-f]{4}$|^[0-9a-f]{12}$/i;

export interface Diagnosis {
  subject: {
    kind: 'voucher' | 'subscriber';
    id: string;
    status: string;
    planId: string;
    expiresAt: number | null;
  } | null;
  decisions: Array<{
    /** The first of `count` equal decisions; `lastAt` the last (the same when count is 1). */
    at: number;
    count: number;
    lastAt: number;
    nasId: string;
    mac: string;
    username: string;
    result: 'accept' | 'reject';
    reason?: { code: string; message: string };
  }>;
  sessions: SessionOutput[];
  deviceSlots: { used: number; limit: number } | null;
  billing?: { balanceCents: number; overdueCents: number; lastPaymentAt: number | null };
}

/** The stored form of a MAC (the AAA server's normalised Calling-Station-Id), or null when q is none. */
export function macAddressOf(query: string): string | null {
  if (!MAC_ADDRESS_PATTERN.test(query)) return null;
  const hexDigits = query.toLowerCase().replace(/[^0-9a-f]/g, '');
  return (hexDigits.match(/../g) ?? []).join(':');
}

export async function diagnose(
  database: SqlDatabase,
  aaa: AaaControl,
  tenantId: string,
  query: string,
  nowMs: number,
): Promise<Diagnosis> {
  const macAddress = macAddressOf(query);
  const loginName = macAddress === null ? query : await loginNameOfDevice(database, macAddress);
  const subject = loginName === null ? undefined : await findSubject(database, loginName);
  const decisions =
    subject !== undefined
      ? await decisionsOf(database, { username: subject.loginName })
      : macAddress !== null
        ? await decisionsOf(database, { macAddress })
        : await decisionsOf(database, { username: query });
  if (subject === undefined && decisions.length === 0) {
    throw new KiungaError('not_found', 'No voucher, subscriber or device matches this search.');
  }
  if (subject === undefined) {
    return { subject: null, decisions: decisions.map(toDecisionOutput), sessions: [], deviceSlots: null };
  }
  const live = (await liveSessionsOfSubject(aaa, tenantId, subject.kind, new Set([subject.id]))).map(
    (session) => toLiveSessionOutput(session, nowMs),
  );
  const closed = await listSessionHistory(
    database,
    subject.kind === 'voucher' ? { voucherId: subject.id } : { subscriberId: subject.id },
    { limit: DIAGNOSTIC_RECENT_SESSIONS_MAX },
  );
  const devices = await aaa.devicesOfSubject(tenantId, subject.kind, subject.id);
  const diagnosis: Diagnosis = {
    subject: {
      kind: subject.kind,
      id: subject.id,
      status: subject.status,
      planId: subject.planId,
      expiresAt: subject.expiresAt,
    },
    decisions: decisions.map(toDecisionOutput),
    sessions: [...live, ...closed.items],
    deviceSlots: { used: devices.length, limit: subject.deviceLimit },
  };
  if (subject.kind === 'subscriber') diagnosis.billing = await billingOf(database, subject.id, nowMs);
  return diagnosis;
}

/** A voucher code (as typed, then upper-case: codes are printed in capitals), else a subscriber. */
async function findSubject(database: SqlDatabase, loginName: string): Promise<DiagnosedSubject | undefined> {
  const voucher =
    (await findVoucherByCode(database, loginName)) ??
    (loginName.toUpperCase() === loginName
      ? undefined
      : await findVoucherByCode(database, loginName.toUpperCase()));
  if (voucher) return voucher;
  return findSubscriberByLogin(database, loginName, normaliseKenyanPhone(loginName));
}

/** Why an Accept was special (the AAA server logs a reason with it), in words for the page. */
const ACCEPT_REASON_MESSAGES: Readonly<Record<string, string>> = {
  guest_pass: 'Free guest pass from the captive portal (its own time limit and rate).',
};

function toDecisionOutput(row: DecisionRow): Diagnosis['decisions'][number] {
  const reason =
    row.reasonCode === null
      ? undefined
      : {
          code: row.reasonCode,
          message:
            ACCEPT_REASON_MESSAGES[row.reasonCode] ??
            (row.reasonCode in errorCatalogue
              ? errorCatalogue[row.reasonCode as ErrorCode].message
              : row.reasonCode),
        };
  return {
    at: row.decidedAt,
    count: row.repeatCount,
    lastAt: row.lastAt,
    nasId: row.nasId,
    mac: row.macAddress,
    username: row.username,
    result: row.result,
    ...(reason ? { reason } : {}),
  };
}

async function billingOf(database: SqlDatabase, subscriberId: string, nowMs: number) {
  const standing = accountStanding(
    await loadSubscriberLedger(database, subscriberId),
    LedgerAccount.subscriber(subscriberId),
  );
  const overdueIds = new Set(await overdueInvoiceIds(database, subscriberId, nowMs));
  let overdueCents = 0;
  for (const invoice of standing.invoices) {
    if (overdueIds.has(invoice.invoiceId)) overdueCents += invoice.outstandingCents;
  }
  return {
    balanceCents: standing.balanceCents,
    overdueCents,
    lastPaymentAt: await lastPaymentAt(database, subscriberId),
  };
}
