// Sessions, logins and random-traffic subjects the session table's tests share (no test runner here).
import type { AdmitDeviceRequest, LiveSessionInput, SubjectKind } from '../session-table';

export const FIXTURE_START_MS = Date.UTC(2026, 0, 1);

/** A login of voucher vch_1 of tenant ten_a from `callingStationId`. */
export function admitRequest(
  callingStationId: string,
  deviceLimit: number,
  nowMs = FIXTURE_START_MS,
): AdmitDeviceRequest {
  return {
    tenantId: 'ten_a',
    subjectKind: 'voucher',
    subjectId: 'vch_1',
    callingStationId,
    deviceLimit,
    nowMs,
  };
}

/** An Accounting-Start of that voucher on nas_1, with any field replaced. */
export function sessionInput(overrides: Partial<LiveSessionInput> = {}): LiveSessionInput {
  return {
    sessionId: 'ses_1',
    tenantId: 'ten_a',
    nasId: 'nas_1',
    acctSessionId: '81f0002a',
    username: 'K7P2Q9',
    subjectKind: 'voucher',
    subjectId: 'vch_1',
    callingStationId: 'aa:bb:cc:00:00:01',
    framedIp: '10.5.50.2',
    startedAtMs: FIXTURE_START_MS,
    lastUpdateMs: FIXTURE_START_MS,
    interimIntervalSeconds: 300,
    inputOctets: 0,
    outputOctets: 0,
    ...overrides,
  };
}

export interface TrafficSubject {
  readonly tenantId: string;
  readonly subjectKind: SubjectKind;
  readonly subjectId: string;
  readonly deviceLimit: number;
}

/** Subjects of the random-traffic properties: one id in two kinds and two tenants, limits 1 to 3. */
export const TRAFFIC_SUBJECTS: readonly TrafficSubject[] = [
  { tenantId: 'ten_a', subjectKind: 'voucher', subjectId: 'vch_1', deviceLimit: 1 },
  { tenantId: 'ten_a', subjectKind: 'voucher', subjectId: 'vch_2', deviceLimit: 2 },
  { tenantId: 'ten_a', subjectKind: 'subscriber', subjectId: 'vch_2', deviceLimit: 1 },
  { tenantId: 'ten_b', subjectKind: 'voucher', subjectId: 'vch_1', deviceLimit: 3 },
];
/** Two spellings of one MAC among them, so normalisation is exercised on every path. */
export const TRAFFIC_DEVICES = [
  'aa:bb:cc:00:00:01',
  'AA-BB-CC-00-00-01',
  'aa:bb:cc:00:00:02',
  'AABBCC000003',
  'aa:bb:cc:00:00:04',
];
export const TRAFFIC_NAS_IDS = ['nas_1', 'nas_2'];
