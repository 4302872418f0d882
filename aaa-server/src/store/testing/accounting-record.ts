// One accounting record for store tests: a voucher session on the demo NAS, counters at zero unless given.
import type { AccountingRecord } from '../accounting-records';

export function accountingRecordOf(
  tenantId: string,
  acctSessionId: string,
  statusType: number,
  overrides: Partial<AccountingRecord> = {},
): AccountingRecord {
  return {
    tenantId,
    nasId: 'nas_1',
    statusType,
    receivedAtMs: 1_780_000_000_000,
    acctSessionId,
    username: 'code-1',
    subjectKind: 'voucher',
    subjectId: 'vch_1',
    callingStationId: '02:00:00:00:00:01',
    framedIp: '10.0.0.1',
    nasPortId: null,
    inputOctets: 0,
    outputOctets: 0,
    inputPackets: 0,
    outputPackets: 0,
    sessionTimeSeconds: 0,
    terminateCause: null,
    interimIntervalSeconds: 300,
    ...overrides,
  };
}
