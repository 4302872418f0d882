// The request streams both servers get: voucher logins as a MikroTik hotspot sends them, and accounting sessions.

import {
  integerAttribute,
  ipAddressAttribute,
  type OutgoingAttribute,
  stringAttribute,
} from '@kiunga/aaa-server/codec';
import { AcctStatusType, AcctTerminateCause, Attribute, ServiceType } from '@kiunga/dictionaries';
import type { LoadRequest } from './load-generator';

/** RFC 2865 §5.41 NAS-Port-Type Wireless-802.11: what a MikroTik hotspot on Wi-Fi reports. */
const NAS_PORT_TYPE_WIRELESS_802_11 = 19;
export const BENCH_NAS_IP_ADDRESS = '127.0.0.1';
const CALLED_STATION_ID = 'hotspot-bench';
const NAS_IDENTIFIER = 'bench-nas';
/**
 * Accounting is sent in blocks: every Start of a block, then every Interim, then every Stop. With blocks
 * several times the in-flight window, a session's Start is answered before its Interim leaves.
 */
export const ACCOUNTING_BLOCK_SESSIONS = 1_000;
const INTERIM_SESSION_SECONDS = 300;
const OCTETS_PER_SECOND = 50_000;

/** A MAC address per voucher (locally administered 02:00:…), so each voucher logs in from one device. */
export function macAddressFor(index: number): string {
  const indexOctets = [24, 16, 8, 0].map((shift) => ((index >>> shift) & 0xff).toString(16).padStart(2, '0'));
  return ['02', '00', ...indexOctets].join(':').toUpperCase();
}

/** Deterministic voucher codes for when the target did not seed its own. */
export function makeVoucherCodes(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `bv${String(index).padStart(7, '0')}`);
}

function commonAttributes(code: string, voucherIndex: number): OutgoingAttribute[] {
  return [
    stringAttribute(Attribute.UserName, code),
    ipAddressAttribute(Attribute.NasIpAddress, BENCH_NAS_IP_ADDRESS),
    stringAttribute(Attribute.NasIdentifier, NAS_IDENTIFIER),
    integerAttribute(Attribute.NasPortType, NAS_PORT_TYPE_WIRELESS_802_11),
    stringAttribute(Attribute.CallingStationId, macAddressFor(voucherIndex)),
    stringAttribute(Attribute.CalledStationId, CALLED_STATION_ID),
  ];
}

/** `count` hotspot logins (PAP, password = code), cycling through the vouchers. */
export function buildAccessRequests(codes: readonly string[], count: number): LoadRequest[] {
  if (codes.length === 0) throw new Error('no voucher codes to log in with');
  return Array.from({ length: count }, (_, index) => {
    const voucherIndex = index % codes.length;
    const code = codes[voucherIndex]!;
    return {
      attributes: [
        ...commonAttributes(code, voucherIndex),
        integerAttribute(Attribute.ServiceType, ServiceType.Login),
      ],
      userPassword: code,
    };
  });
}

function accountingRequest(
  code: string,
  voucherIndex: number,
  sessionIndex: number,
  statusType: number,
  sessionSeconds: number,
): LoadRequest {
  const octets = sessionSeconds * OCTETS_PER_SECOND;
  const attributes = [
    ...commonAttributes(code, voucherIndex),
    integerAttribute(Attribute.AcctStatusType, statusType),
    stringAttribute(Attribute.AcctSessionId, `b${sessionIndex.toString(16).padStart(8, '0')}`),
    ipAddressAttribute(
      Attribute.FramedIpAddress,
      `10.${(sessionIndex >> 16) & 0xff}.${(sessionIndex >> 8) & 0xff}.${sessionIndex & 0xff}`,
    ),
    integerAttribute(Attribute.AcctSessionTime, sessionSeconds),
    integerAttribute(Attribute.AcctInputOctets, octets),
    integerAttribute(Attribute.AcctOutputOctets, octets * 4),
  ];
  if (statusType === AcctStatusType.Stop) {
    attributes.push(integerAttribute(Attribute.AcctTerminateCause, AcctTerminateCause.UserRequest));
  }
  return { attributes };
}

/**
 * Start, `interimsPerSession` Interim-Updates and Stop for each of `sessionCount` sessions, in blocks (see
 * ACCOUNTING_BLOCK_SESSIONS): 2,000 sessions with 8 interims make the 20,000 records. Session ids
 * start at `firstSessionIndex`, so several runs against one server each store new sessions.
 */
export function buildAccountingRequests(
  codes: readonly string[],
  sessionCount: number,
  interimsPerSession = 1,
  firstSessionIndex = 0,
): LoadRequest[] {
  if (codes.length === 0) throw new Error('no voucher codes to account for');
  if (!Number.isInteger(interimsPerSession) || interimsPerSession < 0) {
    throw new Error('interimsPerSession must be a whole number');
  }
  const phases: Array<readonly [statusType: number, sessionSeconds: number]> = [[AcctStatusType.Start, 0]];
  for (let interim = 1; interim <= interimsPerSession; interim++) {
    phases.push([AcctStatusType.InterimUpdate, interim * INTERIM_SESSION_SECONDS]);
  }
  phases.push([AcctStatusType.Stop, (interimsPerSession + 1) * INTERIM_SESSION_SECONDS]);
  const requests: LoadRequest[] = [];
  const sessionEnd = firstSessionIndex + sessionCount;
  for (let blockStart = firstSessionIndex; blockStart < sessionEnd; blockStart += ACCOUNTING_BLOCK_SESSIONS) {
    const blockEnd = Math.min(sessionEnd, blockStart + ACCOUNTING_BLOCK_SESSIONS);
    for (const [statusType, sessionSeconds] of phases) {
      for (let sessionIndex = blockStart; sessionIndex < blockEnd; sessionIndex++) {
        const voucherIndex = sessionIndex % codes.length;
        requests.push(
          accountingRequest(codes[voucherIndex]!, voucherIndex, sessionIndex, statusType, sessionSeconds),
        );
      }
    }
  }
  return requests;
}

/** The `interim`-th Interim-Update of session `sessionIndex`, alone (for streams built as they are sent). */
export function buildInterimRequest(
  codes: readonly string[],
  sessionIndex: number,
  interim: number,
): LoadRequest {
  const voucherIndex = sessionIndex % codes.length;
  return accountingRequest(
    codes[voucherIndex]!,
    voucherIndex,
    sessionIndex,
    AcctStatusType.InterimUpdate,
    interim * INTERIM_SESSION_SECONDS,
  );
}
