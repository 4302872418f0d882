// Hands each Access-Request decision to the decision log (store/decision-log.ts) without delaying
// the reply: the outcome passes through unchanged, synchronously when it was synchronous.
import { Attribute } from '@kiunga/dictionaries';
import { userNameWithoutDomain } from '../auth/index';
import { getInteger, getString, type RadiusPacket } from '../codec/index';
import { normalizeCallingStationId } from '../sessions/index';
import type { NasEntry } from '../store/index';
import type { IntakeContext } from './context';

/** What logging needs of an Access-Request's outcome (access-request.ts's AccessOutcome has this shape). */
type DecidedOutcome =
  | { kind: 'accept'; reason?: string }
  | { kind: 'reject'; reason: string }
  | { kind: 'drop' };

/**
 * What the intake already read of the request when it arrived, handed over so that logging reads no
 * attribute twice: each read decodes a new string, and a fresh User-Name string is hashed again by
 * every Map it is looked up in (issue 8 item 15, ~1 µs of each Access-Request).
 */
export interface DecisionRequest {
  /** The User-Name without a `DOMAIN\\` prefix: the account the decision is about. */
  readonly accountName: string;
  /** The Calling-Station-Id as sent (normalised here only when a decision is logged). */
  readonly callingStationId: string | undefined;
  /** When the request arrived (the decision's time unless the NAS timed it). */
  readonly receivedAtMs: number;
}

/** The DecisionRequest of a packet, read from it (for callers that have not read the attributes yet). */
export function decisionRequestOf(packet: RadiusPacket, receivedAtMs: number): DecisionRequest {
  return {
    accountName: userNameWithoutDomain(getString(packet, Attribute.UserName) ?? ''),
    callingStationId: getString(packet, Attribute.CallingStationId),
    receivedAtMs,
  };
}

/**
 * How far a NAS's Event-Timestamp may be from our receive time and still be taken as the decision's
 * time: a late retransmission is seconds old, while a router without NTP reports 1970 (MikroTik wiki,
 * Manual:System/Time: "Startup date and time is jan/02/1970" unless the router has a battery) and is
 * better timed by us.
 */
export const NAS_EVENT_TIME_SKEW_MAX_MS = 5 * 60_000;
const MILLISECONDS_PER_SECOND = 1_000;

/** Records the decision (accept or reject; a drop is no decision) and returns the outcome as given. */
export function logDecision<Outcome extends DecidedOutcome | Promise<DecidedOutcome>>(
  context: IntakeContext,
  nas: NasEntry,
  packet: RadiusPacket,
  request: DecisionRequest,
  outcome: Outcome,
): Outcome {
  if (context.decisions === undefined) return outcome;
  if (outcome instanceof Promise) {
    void outcome.then(
      (decided) => recordDecision(context, nas, packet, request, decided),
      () => {},
    );
  } else {
    recordDecision(context, nas, packet, request, outcome);
  }
  return outcome;
}

/**
 * One decision into the log, timed by the NAS's Event-Timestamp when it sent a plausible one (RFC 2869
 * §5.3: seconds since 1 January 1970 UTC of the event on the NAS; the RFC defines it for accounting,
 * and a NAS that sends it on Access-Requests times the login itself), else by when it arrived, so a
 * retransmission carries the same time as the request it repeats.
 */
function recordDecision(
  context: IntakeContext,
  nas: NasEntry,
  packet: RadiusPacket,
  request: DecisionRequest,
  decided: DecidedOutcome,
): void {
  const decisions = context.decisions;
  if (decisions === undefined || decided.kind === 'drop') return;
  const { callingStationId, receivedAtMs } = request;
  const eventSeconds = getInteger(packet, Attribute.EventTimestamp);
  const eventMs = eventSeconds === undefined ? undefined : eventSeconds * MILLISECONDS_PER_SECOND;
  const isNasEventTime =
    eventMs !== undefined && Math.abs(eventMs - receivedAtMs) <= NAS_EVENT_TIME_SKEW_MAX_MS;
  decisions.record({
    tenantId: nas.tenantId,
    decidedAtMs: isNasEventTime ? eventMs : receivedAtMs,
    username: request.accountName,
    nasId: nas.id,
    macAddress: callingStationId ? normalizeCallingStationId(callingStationId) : '',
    result: decided.kind,
    // An accept has a reason only when it is special (a guest pass), for diagnostics.
    reasonCode: decided.reason ?? null,
    isNasEventTime,
  });
}
