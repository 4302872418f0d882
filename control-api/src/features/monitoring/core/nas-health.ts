// Is a NAS reachable or quiet? From its last SNMP answer and its last accounting record, per ISP threshold.

import { z } from 'zod';
import type { SnmpHealthSample } from '../../../integrations/snmp';

/** The poller runs every minute and may take 20 s: a threshold under 3 minutes would flap on one lost poll. */
export const QUIET_THRESHOLD_MINUTES_MIN = 3;
/** A day: beyond that an ISP learns of a dead router from its clients, not from Kiunga. */
export const QUIET_THRESHOLD_MINUTES_MAX = 24 * 60;
/** Two interim intervals (the default 300 s) of silence: a NAS with clients online sends one every 5 minutes. */
export const QUIET_THRESHOLD_MINUTES_DEFAULT = 10;
const MINUTE_MS = 60_000;

/** The per-ISP setting (`PUT /api/v1/settings/monitoring`). */
export const monitoringSettingsSchema = z.object({
  quietThresholdMinutes: z
    .number()
    .int()
    .min(QUIET_THRESHOLD_MINUTES_MIN)
    .max(QUIET_THRESHOLD_MINUTES_MAX)
    .default(QUIET_THRESHOLD_MINUTES_DEFAULT),
});

export type MonitoringSettings = z.infer<typeof monitoringSettingsSchema>;

export interface NasHealthFacts {
  /** When an SNMP poll of this NAS last succeeded; null if never (or SNMP is not set). */
  readonly lastSnmpAnswerAtMs: number | null;
  /** When Kiunga last stored an accounting record from this NAS; null if never. */
  readonly lastAccountingAtMs: number | null;
  /** When watching began (the NAS was added, or monitoring turned on): a new NAS is not quiet at once. */
  readonly monitoredSinceMs: number;
  readonly quietThresholdMinutes: number;
}

/**
 * reachable: heard from (SNMP or accounting) within the threshold. quiet: not heard from for the
 * threshold, counted from the last word or, for a NAS never heard from, from when watching began.
 * waiting: never heard from, and watched for less than the threshold.
 */
export type NasReachability = 'reachable' | 'quiet' | 'waiting';

export interface NasHealthAssessment {
  readonly reachability: NasReachability;
  readonly isReachable: boolean;
  readonly lastSeenAtMs: number | null;
  /** When it turns quiet if nothing more is heard; null once quiet. */
  readonly quietAtMs: number | null;
}

export function assessNasHealth(facts: NasHealthFacts, nowMs: number): NasHealthAssessment {
  const thresholdMs = facts.quietThresholdMinutes * MINUTE_MS;
  const heard = [facts.lastSnmpAnswerAtMs, facts.lastAccountingAtMs].filter(
    (at): at is number => at !== null,
  );
  const lastSeenAtMs = heard.length === 0 ? null : Math.max(...heard);
  const silentSinceMs = lastSeenAtMs ?? facts.monitoredSinceMs;
  const quietAtMs = silentSinceMs + thresholdMs;
  if (nowMs >= quietAtMs) return { reachability: 'quiet', isReachable: false, lastSeenAtMs, quietAtMs: null };
  const reachability = lastSeenAtMs === null ? 'waiting' : 'reachable';
  return { reachability, isReachable: reachability === 'reachable', lastSeenAtMs, quietAtMs };
}

/** `GET /api/v1/nas/<id>/health`, as the issue defines it; times in epoch milliseconds like every API time. */
export interface NasHealthView {
  readonly reachable: boolean;
  readonly lastSeenAt: number | null;
  readonly lastAccountingAt: number | null;
  readonly snmp: {
    readonly polledAt: number;
    readonly sysUpTimeSeconds: number;
    readonly cpuLoadPercent: number | null;
    readonly memory: { readonly totalBytes: number; readonly usedBytes: number } | null;
    readonly interfaces: ReadonlyArray<{
      readonly name: string;
      readonly inOctets: number;
      readonly outOctets: number;
    }>;
  } | null;
}

/**
 * The health view of a NAS. Octet counters become JSON numbers, exact below 2^53 (9 PB: decades of
 * a gigabit link); `snmp` is the last sample, or null without SNMP or before the first answer.
 */
export function describeNasHealth(
  facts: NasHealthFacts,
  lastSample: SnmpHealthSample | null,
  nowMs: number,
): NasHealthView {
  const assessment = assessNasHealth(facts, nowMs);
  return {
    reachable: assessment.isReachable,
    lastSeenAt: assessment.lastSeenAtMs,
    lastAccountingAt: facts.lastAccountingAtMs,
    snmp:
      lastSample === null
        ? null
        : {
            polledAt: lastSample.polledAtMs,
            sysUpTimeSeconds: lastSample.sysUpTimeSeconds,
            cpuLoadPercent: lastSample.cpuLoadPercent,
            memory: lastSample.memory,
            interfaces: lastSample.interfaces.map((item) => ({
              name: item.name,
              inOctets: Number(item.inOctets),
              outOctets: Number(item.outOctets),
            })),
          },
  };
}
