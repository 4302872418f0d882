// One accounting record as usage metering reads it: RADIUS counters as the NAS sent them, and when.
//
// RFC 2866 section 5 (Accounting attributes): Acct-Status-Type Start (1), Stop (2), Interim-Update (3);
// Acct-Input-Octets / Acct-Output-Octets (5.3, 5.4) are 32-bit counts since the session started, input
// being what the NAS received from the client (upload) and output what it sent to the client
// (download); Acct-Session-Time (5.7) is the session's whole seconds so far. RFC 2869 section 5.1/5.2:
// Acct-Input-Gigawords / Acct-Output-Gigawords count how many times the 32-bit counter wrapped.

export type AccountingStatus = 'start' | 'interim' | 'stop';

/** Acct-*-Octets and Acct-*-Gigawords are 32-bit unsigned integers (RFC 2865 section 5, "integer"). */
export const COUNTER32_MODULUS = 2 ** 32;

export interface MeteredSubject {
  readonly kind: 'subscriber' | 'voucher';
  readonly id: string;
}

export interface MeteredAccountingRecord {
  readonly nasId: string;
  readonly acctSessionId: string;
  /** The subscriber or voucher the session belongs to; null when unknown (its traffic still counts per NAS). */
  readonly subject: MeteredSubject | null;
  /** The plan in force for this record (a plan change mid-session moves later usage to the new plan). */
  readonly planId: string | null;
  readonly status: AccountingStatus;
  readonly inputOctets: number;
  /** 0 when the NAS sent no Acct-Input-Gigawords. */
  readonly inputGigawords: number;
  readonly outputOctets: number;
  readonly outputGigawords: number;
  readonly sessionSeconds: number;
  /**
   * When the NAS produced the record: Event-Timestamp (RFC 2869 section 5.3) when sent, else the
   * receive time minus Acct-Delay-Time seconds (RFC 2866 section 5.2), so that a retransmission
   * keeps the instant of the original (see `accountingEventTimeMs`).
   */
  readonly eventTimeMs: number;
}

/** The event time of a record, from what the AAA server knows when it arrives. */
export function accountingEventTimeMs(facts: {
  readonly receivedAtMs: number;
  readonly acctDelayTimeSeconds: number | null;
  readonly eventTimestampSeconds: number | null;
}): number {
  if (facts.eventTimestampSeconds !== null) return facts.eventTimestampSeconds * 1000;
  return facts.receivedAtMs - (facts.acctDelayTimeSeconds ?? 0) * 1000;
}

/** Octets as the NAS counts them: Gigawords × 2^32 + Octets. */
export function combinedOctets(octets: number, gigawords: number): number {
  return gigawords * COUNTER32_MODULUS + octets;
}

/** The key a session's meter state is stored under; NAS ids have no ':'. */
export function sessionKeyOf(record: Pick<MeteredAccountingRecord, 'nasId' | 'acctSessionId'>): string {
  return `${record.nasId}:${record.acctSessionId}`;
}

function isCounter32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < COUNTER32_MODULUS;
}

/**
 * Whether a record can be metered: 32-bit counters (what the AAA server's codec decodes), a whole
 * millisecond time, and octets below 2^53 (9 PB in one session: only a broken NAS sends more).
 */
export function isMeterable(record: MeteredAccountingRecord): boolean {
  const counters = [record.inputOctets, record.inputGigawords, record.outputOctets, record.outputGigawords];
  return (
    counters.every(isCounter32) &&
    isCounter32(record.sessionSeconds) &&
    Number.isSafeInteger(record.eventTimeMs) &&
    Number.isSafeInteger(combinedOctets(record.inputOctets, record.inputGigawords)) &&
    Number.isSafeInteger(combinedOctets(record.outputOctets, record.outputGigawords))
  );
}
