// Quiet-NAS alerts: raised once, cleared once, the owner texted at most hourly; replays change nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALERT_SMS_CHARS_MAX, decideNasAlert, type NasAlertState, nasAlertMessage } from './nas-alerts';
import { assessNasHealth, type NasHealthAssessment } from './nas-health';

const MINUTE_MS = 60_000;
const T0 = Date.UTC(2030, 2, 14, 7);
const quiet: NasHealthAssessment = {
  reachability: 'quiet',
  isReachable: false,
  lastSeenAtMs: T0,
  quietAtMs: null,
};
const reachable: NasHealthAssessment = {
  reachability: 'reachable',
  isReachable: true,
  lastSeenAtMs: T0,
  quietAtMs: T0,
};
const waiting: NasHealthAssessment = {
  reachability: 'waiting',
  isReachable: false,
  lastSeenAtMs: null,
  quietAtMs: T0,
};

describe('decideNasAlert', () => {
  it('raises once when a NAS goes quiet and texts the owner', () => {
    const raised = decideNasAlert(null, quiet, T0);
    expect(raised).toMatchObject({ action: 'raise', shouldTextOwner: true });
    expect(decideNasAlert(raised.alert, quiet, T0 + MINUTE_MS)).toEqual({
      action: 'none',
      alert: raised.alert,
    });
  });

  it('clears once when the NAS is heard again, texting only an owner who was told it went down', () => {
    const raised = decideNasAlert(null, quiet, T0);
    const cleared = decideNasAlert(raised.alert, reachable, T0 + 5 * MINUTE_MS);
    expect(cleared).toMatchObject({ action: 'clear', shouldTextOwner: true });
    expect(cleared.alert).toMatchObject({ isRaised: false, clearedAtMs: T0 + 5 * MINUTE_MS });
    expect(decideNasAlert(cleared.alert, reachable, T0 + 6 * MINUTE_MS).action).toBe('none');
  });

  it('raises again for a flapping NAS but texts the owner at most once an hour', () => {
    const first = decideNasAlert(null, quiet, T0);
    const cleared = decideNasAlert(first.alert, reachable, T0 + 10 * MINUTE_MS);
    const second = decideNasAlert(cleared.alert, quiet, T0 + 20 * MINUTE_MS);
    expect(second).toMatchObject({ action: 'raise', shouldTextOwner: false });
    const back = decideNasAlert(second.alert, reachable, T0 + 30 * MINUTE_MS);
    expect(back).toMatchObject({ action: 'clear', shouldTextOwner: false });
    const third = decideNasAlert(back.alert, quiet, T0 + 61 * MINUTE_MS);
    expect(third).toMatchObject({ action: 'raise', shouldTextOwner: true });
  });

  it('neither raises nor clears for a NAS still waiting for its first word', () => {
    expect(decideNasAlert(null, waiting, T0)).toEqual({ action: 'none', alert: null });
  });

  it('over any history of polls, alternates raise and clear and never repeats one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gapMinutes: fc.integer({ min: 1, max: 30 }), isHeard: fc.boolean() }), {
          maxLength: 60,
        }),
        (steps) => {
          let alert: NasAlertState | null = null;
          let nowMs = T0;
          let lastHeardMs: number | null = null;
          let lastAction: 'raise' | 'clear' | null = null;
          for (const step of steps) {
            nowMs += step.gapMinutes * MINUTE_MS;
            if (step.isHeard) lastHeardMs = nowMs;
            const health = assessNasHealth(
              {
                lastSnmpAnswerAtMs: lastHeardMs,
                lastAccountingAtMs: null,
                monitoredSinceMs: T0,
                quietThresholdMinutes: 10,
              },
              nowMs,
            );
            const decision = decideNasAlert(alert, health, nowMs);
            if (decision.action !== 'none') {
              expect(decision.action).not.toBe(lastAction);
              lastAction = decision.action;
            }
            // Deciding again at the same instant on the new state changes nothing.
            expect(decideNasAlert(decision.alert, health, nowMs).action).toBe('none');
            alert = decision.alert;
            // Time only moves on, so a NAS never heard from goes from waiting to quiet, never back.
            expect(alert?.isRaised ?? false).toBe(health.reachability === 'quiet');
          }
        },
      ),
    );
  });
});

describe('nasAlertMessage', () => {
  it('says what happened and what to check, in one SMS even for a long NAS name', () => {
    expect(nasAlertMessage('raise', 'Kilimani tower', '14:02')).toBe(
      'Kiunga: router Kilimani tower is silent since 14:02: no accounting or SNMP. Check its power and uplink.',
    );
    expect(nasAlertMessage('clear', 'Kilimani tower', null)).toBe(
      'Kiunga: router Kilimani tower is back online.',
    );
    expect(nasAlertMessage('raise', 'x'.repeat(300), '14:02').length).toBeLessThanOrEqual(
      ALERT_SMS_CHARS_MAX,
    );
  });
});
