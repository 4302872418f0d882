// Device limits, session lifecycle and control-API queries of the in-memory session table.
import { describe, expect, it } from 'vitest';
import { InMemorySessionTable } from './in-memory-session-table';
import { PENDING_SLOT_TIMEOUT_MS } from './limits';
import { admitRequest, FIXTURE_START_MS, sessionInput } from './testing/session-fixtures';

const START_MS = FIXTURE_START_MS;
const PHONE = 'aa:bb:cc:00:00:01';
const LAPTOP = 'aa:bb:cc:00:00:02';
const TABLET = 'aa:bb:cc:00:00:03';

describe('device limit of one', () => {
  it('rejects a second device and re-admits the first', () => {
    const table = new InMemorySessionTable();
    expect(table.admitDevice(admitRequest(PHONE, 1))).toEqual({ admitted: true, isKnownDevice: false });
    expect(table.admitDevice(admitRequest(LAPTOP, 1))).toEqual({
      admitted: false,
      reason: 'device_limit',
      devicesInUse: 1,
    });
    expect(table.admitDevice(admitRequest(PHONE, 1))).toEqual({ admitted: true, isKnownDevice: true });
    expect(table.pendingSlotCount).toBe(1);
  });

  it('frees the place when the slot expires without a Start', () => {
    const table = new InMemorySessionTable();
    table.admitDevice(admitRequest(PHONE, 1));
    const beforeExpiryMs = START_MS + PENDING_SLOT_TIMEOUT_MS - 1;
    expect(table.admitDevice(admitRequest(LAPTOP, 1, beforeExpiryMs)).admitted).toBe(false);
    const atExpiryMs = START_MS + PENDING_SLOT_TIMEOUT_MS;
    expect(table.admitDevice(admitRequest(LAPTOP, 1, atExpiryMs))).toEqual({
      admitted: true,
      isKnownDevice: false,
    });
  });

  it('counts an explicit expiry sweep', () => {
    const table = new InMemorySessionTable();
    table.admitDevice(admitRequest(PHONE, 1));
    expect(table.expirePendingSlots(START_MS + PENDING_SLOT_TIMEOUT_MS - 1)).toBe(0);
    expect(table.expirePendingSlots(START_MS + PENDING_SLOT_TIMEOUT_MS)).toBe(1);
    expect(table.pendingSlotCount).toBe(0);
  });

  it('re-admitting a device refreshes its slot', () => {
    const table = new InMemorySessionTable();
    table.admitDevice(admitRequest(PHONE, 1));
    table.admitDevice(admitRequest(PHONE, 1, START_MS + 50_000));
    expect(table.admitDevice(admitRequest(LAPTOP, 1, START_MS + 70_000)).admitted).toBe(false);
  });

  it('Start converts the slot into a session that keeps the place past the slot timeout', () => {
    const table = new InMemorySessionTable();
    table.admitDevice(admitRequest(PHONE, 1));
    table.startSession(sessionInput());
    expect(table.pendingSlotCount).toBe(0);
    expect(table.size).toBe(1);
    const laterMs = START_MS + 10 * PENDING_SLOT_TIMEOUT_MS;
    expect(table.admitDevice(admitRequest(LAPTOP, 1, laterMs))).toMatchObject({ reason: 'device_limit' });
    expect(table.admitDevice(admitRequest(PHONE, 1, laterMs))).toEqual({
      admitted: true,
      isKnownDevice: true,
    });
  });

  it('Stop frees the place', () => {
    const table = new InMemorySessionTable();
    table.admitDevice(admitRequest(PHONE, 1));
    table.startSession(sessionInput());
    expect(table.stopSession('nas_1', '81f0002a')?.sessionId).toBe('ses_1');
    expect(table.size).toBe(0);
    expect(table.admitDevice(admitRequest(LAPTOP, 1)).admitted).toBe(true);
  });
});

describe('device limit of two', () => {
  it('admits two devices, rejects the third, and admits it once one stops', () => {
    const table = new InMemorySessionTable();
    expect(table.admitDevice(admitRequest(PHONE, 2)).admitted).toBe(true);
    expect(table.admitDevice(admitRequest(LAPTOP, 2)).admitted).toBe(true);
    expect(table.admitDevice(admitRequest(TABLET, 2))).toEqual({
      admitted: false,
      reason: 'device_limit',
      devicesInUse: 2,
    });
    table.startSession(sessionInput());
    table.startSession(
      sessionInput({ sessionId: 'ses_2', acctSessionId: '81f0002b', callingStationId: LAPTOP }),
    );
    expect(table.admitDevice(admitRequest(TABLET, 2)).admitted).toBe(false);
    table.stopSession('nas_1', '81f0002b');
    expect(table.admitDevice(admitRequest(TABLET, 2)).admitted).toBe(true);
  });

  it('keeps subjects apart: another voucher has its own places', () => {
    const table = new InMemorySessionTable();
    table.admitDevice(admitRequest(PHONE, 1));
    expect(table.admitDevice({ ...admitRequest(LAPTOP, 1), subjectId: 'vch_2' }).admitted).toBe(true);
    expect(table.admitDevice({ ...admitRequest(LAPTOP, 1), subjectKind: 'subscriber' }).admitted).toBe(true);
    expect(table.admitDevice({ ...admitRequest(LAPTOP, 1), tenantId: 'ten_b' }).admitted).toBe(true);
  });
});

describe('Calling-Station-Id', () => {
  it('treats MikroTik, colon and Cisco spellings of one MAC as one device', () => {
    const table = new InMemorySessionTable();
    table.admitDevice(admitRequest('AA-BB-CC-00-00-01', 1));
    expect(table.admitDevice(admitRequest('aa:bb:cc:00:00:01', 1)).admitted).toBe(true);
    expect(table.admitDevice(admitRequest('aabb.cc00.0001', 1)).admitted).toBe(true);
    table.startSession(sessionInput({ callingStationId: 'AA:BB:CC:00:00:01' }));
    expect(table.pendingSlotCount).toBe(0);
    expect(table.findBySessionId('ses_1')?.callingStationId).toBe(PHONE);
  });
});

describe('startSession', () => {
  it('is idempotent for a retransmitted Start and never moves counters backwards', () => {
    const table = new InMemorySessionTable();
    table.startSession(sessionInput());
    table.updateSession('nas_1', '81f0002a', {
      lastUpdateMs: START_MS + 300_000,
      inputOctets: 5,
      outputOctets: 9,
    });
    const retransmit = table.startSession(sessionInput());
    expect(retransmit).toMatchObject({ recorded: true, isRetransmit: true });
    expect(table.size).toBe(1);
    expect(table.findBySessionId('ses_1')).toMatchObject({
      lastUpdateMs: START_MS + 300_000,
      inputOctets: 5,
    });
  });

  it('records a Start without a prior slot, e.g. after a restart', () => {
    const table = new InMemorySessionTable();
    expect(table.startSession(sessionInput())).toMatchObject({ recorded: true, isRetransmit: false });
    expect(table.sessionsOfSubject('ten_a', 'voucher', 'vch_1')).toHaveLength(1);
  });

  it('replaces a session whose Acct-Session-Id the NAS reused for another login', () => {
    const table = new InMemorySessionTable();
    table.startSession(sessionInput());
    table.startSession(sessionInput({ sessionId: 'ses_9', subjectId: 'vch_9' }));
    expect(table.size).toBe(1);
    expect(table.findBySessionId('ses_1')).toBeUndefined();
    expect(table.sessionsOfSubject('ten_a', 'voucher', 'vch_1')).toEqual([]);
  });
});

describe('updateSession', () => {
  it('returns undefined for a session whose Start was never seen', () => {
    const table = new InMemorySessionTable();
    const update = { lastUpdateMs: START_MS, inputOctets: 1, outputOctets: 1 };
    expect(table.updateSession('nas_1', 'ffff0001', update)).toBeUndefined();
  });

  it('records counters and a new Framed-IP', () => {
    const table = new InMemorySessionTable();
    table.startSession(sessionInput());
    const update = {
      lastUpdateMs: START_MS + 1,
      inputOctets: 2 ** 33,
      outputOctets: 7,
      framedIp: '10.5.50.9',
    };
    expect(table.updateSession('nas_1', '81f0002a', update)).toMatchObject(update);
  });
});

describe('stale sessions', () => {
  it('are those silent for more than 2 × interim interval + grace', () => {
    const table = new InMemorySessionTable();
    table.startSession(sessionInput({ interimIntervalSeconds: 60 }));
    const graceMs = 30_000;
    const deadlineMs = START_MS + 2 * 60_000 + graceMs;
    expect(table.findStaleSessions(deadlineMs, graceMs)).toEqual([]);
    const stale = table.findStaleSessions(deadlineMs + 1, graceMs);
    expect(stale.map((session) => session.sessionId)).toEqual(['ses_1']);
    expect(table.removeSession('ses_1')?.sessionId).toBe('ses_1');
    expect(table.size).toBe(0);
  });

  it('an interim update keeps a session alive', () => {
    const table = new InMemorySessionTable();
    table.startSession(sessionInput({ interimIntervalSeconds: 60 }));
    table.updateSession('nas_1', '81f0002a', {
      lastUpdateMs: START_MS + 100_000,
      inputOctets: 0,
      outputOctets: 0,
    });
    expect(table.findStaleSessions(START_MS + 200_000, 0)).toEqual([]);
  });
});

describe('closeSessionsOfNas', () => {
  it('closes only that NAS, and leaves pending slots alone', () => {
    const table = new InMemorySessionTable();
    table.startSession(sessionInput());
    table.startSession(sessionInput({ sessionId: 'ses_2', acctSessionId: '81f0002b', subjectId: 'vch_2' }));
    table.startSession(sessionInput({ sessionId: 'ses_3', nasId: 'nas_2', subjectId: 'vch_3' }));
    table.admitDevice({ ...admitRequest(LAPTOP, 1), subjectId: 'vch_4' });
    const closed = table.closeSessionsOfNas('nas_1');
    expect(closed.map((session) => session.sessionId).sort()).toEqual(['ses_1', 'ses_2']);
    expect(table.sessionsOfNas('nas_1')).toEqual([]);
    expect(table.sessionsOfNas('nas_2')).toHaveLength(1);
    expect(table.pendingSlotCount).toBe(1);
    expect(table.countsByTenant()).toEqual(new Map([['ten_a', 1]]));
  });
});

describe('a full table', () => {
  it('refuses new devices and new sessions but still admits known devices', () => {
    const table = new InMemorySessionTable({ openSessionsMax: 1 });
    table.startSession(sessionInput());
    expect(table.admitDevice(admitRequest(LAPTOP, 5))).toEqual({
      admitted: false,
      reason: 'table_full',
      devicesInUse: 1,
    });
    expect(table.admitDevice(admitRequest(PHONE, 5)).admitted).toBe(true);
    const another = sessionInput({ sessionId: 'ses_2', acctSessionId: '81f0002b', callingStationId: LAPTOP });
    expect(table.startSession(another)).toEqual({ recorded: false, reason: 'table_full' });
  });

  it('refuses new devices when pending slots are at their bound', () => {
    const table = new InMemorySessionTable({ pendingSlotsMax: 1 });
    table.admitDevice(admitRequest(PHONE, 5));
    expect(table.admitDevice(admitRequest(LAPTOP, 5))).toMatchObject({
      admitted: false,
      reason: 'table_full',
    });
  });
});

describe('sessionsOfTenant', () => {
  it('pages in sessionId order, and a cursor survives its session closing', () => {
    const table = new InMemorySessionTable();
    const sessionIds = ['ses_d', 'ses_a', 'ses_e', 'ses_c', 'ses_b'];
    sessionIds.forEach((sessionId, index) => {
      const nasId = index % 2 === 0 ? 'nas_1' : 'nas_2';
      table.startSession(sessionInput({ sessionId, nasId, acctSessionId: sessionId, subjectId: sessionId }));
    });
    table.startSession(sessionInput({ sessionId: 'ses_0', tenantId: 'ten_b', acctSessionId: 'other' }));
    const first = table.sessionsOfTenant('ten_a', { limit: 2 });
    expect(first.sessions.map((session) => session.sessionId)).toEqual(['ses_a', 'ses_b']);
    expect(first.hasMore).toBe(true);
    table.removeSession('ses_b');
    const second = table.sessionsOfTenant('ten_a', { limit: 2, afterSessionId: 'ses_b' });
    expect(second.sessions.map((session) => session.sessionId)).toEqual(['ses_c', 'ses_d']);
    const last = table.sessionsOfTenant('ten_a', { limit: 2, afterSessionId: 'ses_d' });
    expect(last).toEqual({ sessions: [expect.objectContaining({ sessionId: 'ses_e' })], hasMore: false });
    expect(table.sessionsOfTenant('ten_none', { limit: 2 })).toEqual({ sessions: [], hasMore: false });
  });
});
