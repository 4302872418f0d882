// Hands each Access-Request decision to the decision log (store/decision-log.ts) without delaying
// the reply: the outcome passes through unchanged, synchronously when it was synchronous.
import { Attribute } from '@kiunga/dictionaries';
import { userNameWithoutDomain } from '../auth/index';
import { getString, type RadiusPacket } from '../codec/index';
import { normalizeCallingStationId } from '../sessions/index';
import type { NasEntry } from '../store/index';
import type { IntakeContext } from './context';

/** What logging needs of an Access-Request's outcome (access-request.ts's AccessOutcome has this shape). */
type DecidedOutcome =
  | { kind: 'accept'; reason?: string }
  | { kind: 'reject'; reason: string }
  | { kind: 'drop' };

/** Records the decision (accept or reject; a drop is no decision) and returns the outcome as given. */
export function logDecision<Outcome extends DecidedOutcome | Promise<DecidedOutcome>>(
  context: IntakeContext,
  nas: NasEntry,
  packet: RadiusPacket,
  outcome: Outcome,
): Outcome {
  const decisions = context.decisions;
  if (decisions === undefined) return outcome;
  const record = (decided: DecidedOutcome) => {
    if (decided.kind === 'drop') return;
    const callingStationId = getString(packet, Attribute.CallingStationId);
    const username = getString(packet, Attribute.UserName) ?? '';
    decisions.record({
      tenantId: nas.tenantId,
      decidedAtMs: context.clock.now(),
      username: userNameWithoutDomain(username),
      nasId: nas.id,
      macAddress: callingStationId ? normalizeCallingStationId(callingStationId) : '',
      result: decided.kind,
      // An accept has a reason only when it is special (a guest pass), for diagnostics.
      reasonCode: decided.reason ?? null,
    });
  };
  if (outcome instanceof Promise) void outcome.then(record, () => {});
  else record(outcome);
  return outcome;
}
