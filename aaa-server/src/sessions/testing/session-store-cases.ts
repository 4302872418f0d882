// The behaviour every SessionStore keeps, as one suite that runs against the in-memory adapter and Redis alike.
import { describe, expect, it } from 'vitest';
import { PENDING_SLOT_TIMEOUT_MS } from '../limits';
import type { OpenSessionSource, SessionKey, SessionStore } from '../session-store';
import type { SubjectReference } from '../session-table';
import { admitRequest, FIXTURE_START_MS, sessionInput } from './session-fixtures';

export interface SessionStoreFactoryOptions {
  readonly openSessionsMax?: number;
  readonly pendingSlotsMax?: number;
  readonly openSessions?: OpenSessionSource;
}

/** Makes a store that is empty and ready (already rebuilt from `openSessions`); the caller closes it after the test. */
export type SessionStoreFactory = (options?: SessionStoreFactoryOptions) => Promise<SessionStore>;

const START_MS = FIXTURE_START_MS;
const PHONE = 'aa:bb:cc:00:00:01';
const LAPTOP = 'aa:bb:cc:00:00:02';
const TABLET = 'aa:bb:cc:00:00:03';
const VOUCHER: SubjectReference = { tenantId: 'ten_a', subjectKind: 'voucher', subjectId: 'vch_1' };
const FIRST_KEY: SessionKey = { tenantId: 'ten_a', nasId: 'nas_1', acctSessionId: '81f0002a' };

export function describeSessionStoreContract(name: string, createStore: SessionStoreFactory): void {
  describe(`${name}: device limit of one`, () => {
    it('rejects a second device and re-admits the first', async () => {
      const store = await createStore();
      expect(await store.admitDevice(admitRequest(PHONE, 1))).toEqual({
        admitted: true,
        isKnownDevice: false,
      });
      expect(await store.admitDevice(admitRequest(LAPTOP, 1))).toEqual({
        admitted: false,
        reason: 'device_limit',
        devicesInUse: 1,
      });
      expect(await store.admitDevice(admitRequest(PHONE, 1))).toEqual({
        admitted: true,
        isKnownDevice: true,
      });
      expect(await store.counts()).toEqual({ openSessions: 0, pendingSlots: 1 });
    });

    it('frees the place when the slot expires without a Start, honouring the stored expiry', async () => {
      const store = await createStore();
      await store.admitDevice(admitRequest(PHONE, 1));
      const beforeExpiryMs = START_MS + PENDING_SLOT_TIMEOUT_MS - 1;
      expect((await store.admitDevice(admitRequest(LAPTOP, 1, beforeExpiryMs))).admitted).toBe(false);
      const atExpiryMs = START_MS + PENDING_SLOT_TIMEOUT_MS;
      expect(await store.admitDevice(admitRequest(LAPTOP, 1, atExpiryMs))).toEqual({
        admitted: true,
        isKnownDevice: false,
      });
      expect(await store.devicesOfSubject(VOUCHER)).toEqual([LAPTOP]);
    });

    it('counts an explicit expiry sweep', async () => {
      const store = await createStore();
      await store.admitDevice(admitRequest(PHONE, 1));
      await store.admitDevice({ ...admitRequest(LAPTOP, 1), tenantId: 'ten_b' });
      expect(await store.expirePendingSlots(START_MS + PENDING_SLOT_TIMEOUT_MS - 1)).toBe(0);
      expect(await store.expirePendingSlots(START_MS + PENDING_SLOT_TIMEOUT_MS)).toBe(2);
      expect(await store.counts()).toEqual({ openSessions: 0, pendingSlots: 0 });
    });

    it('re-admitting a device refreshes its slot', async () => {
      const store = await createStore();
      await store.admitDevice(admitRequest(PHONE, 1));
      await store.admitDevice(admitRequest(PHONE, 1, START_MS + 50_000));
      expect((await store.admitDevice(admitRequest(LAPTOP, 1, START_MS + 70_000))).admitted).toBe(false);
    });

    it('Start turns the slot into a session that keeps the place past the slot timeout', async () => {
      const store = await createStore();
      await store.admitDevice(admitRequest(PHONE, 1));
      await store.startSession(sessionInput());
      expect(await store.counts()).toEqual({ openSessions: 1, pendingSlots: 0 });
      const laterMs = START_MS + 10 * PENDING_SLOT_TIMEOUT_MS;
      expect(await store.admitDevice(admitRequest(LAPTOP, 1, laterMs))).toMatchObject({
        reason: 'device_limit',
      });
      expect(await store.admitDevice(admitRequest(PHONE, 1, laterMs))).toEqual({
        admitted: true,
        isKnownDevice: true,
      });
    });

    it('Stop frees the place and hands the session to the one caller that stopped it', async () => {
      const store = await createStore();
      await store.admitDevice(admitRequest(PHONE, 1));
      await store.startSession(sessionInput());
      expect((await store.stopSession(FIRST_KEY))?.sessionId).toBe('ses_1');
      expect(await store.stopSession(FIRST_KEY)).toBeUndefined();
      expect(await store.counts()).toEqual({ openSessions: 0, pendingSlots: 0 });
      expect((await store.admitDevice(admitRequest(LAPTOP, 1))).admitted).toBe(true);
    });
  });

  describe(`${name}: device limit of two`, () => {
    it('admits two devices, rejects the third, and admits it once one stops', async () => {
      const store = await createStore();
      expect((await store.admitDevice(admitRequest(PHONE, 2))).admitted).toBe(true);
      expect((await store.admitDevice(admitRequest(LAPTOP, 2))).admitted).toBe(true);
      expect(await store.admitDevice(admitRequest(TABLET, 2))).toEqual({
        admitted: false,
        reason: 'device_limit',
        devicesInUse: 2,
      });
      await store.startSession(sessionInput());
      await store.startSession(
        sessionInput({ sessionId: 'ses_2', acctSessionId: '81f0002b', callingStationId: LAPTOP }),
      );
      expect((await store.admitDevice(admitRequest(TABLET, 2))).admitted).toBe(false);
      await store.stopSession({ ...FIRST_KEY, acctSessionId: '81f0002b' });
      expect((await store.admitDevice(admitRequest(TABLET, 2))).admitted).toBe(true);
      expect((await store.devicesOfSubject(VOUCHER)).sort()).toEqual([PHONE, TABLET]);
    });

    it('keeps subjects apart: another voucher, a subscriber and another tenant have their own places', async () => {
      const store = await createStore();
      await store.admitDevice(admitRequest(PHONE, 1));
      expect((await store.admitDevice({ ...admitRequest(LAPTOP, 1), subjectId: 'vch_2' })).admitted).toBe(
        true,
      );
      expect(
        (await store.admitDevice({ ...admitRequest(LAPTOP, 1), subjectKind: 'subscriber' })).admitted,
      ).toBe(true);
      expect((await store.admitDevice({ ...admitRequest(LAPTOP, 1), tenantId: 'ten_b' })).admitted).toBe(
        true,
      );
    });

    it('treats MikroTik, colon and Cisco spellings of one MAC as one device', async () => {
      const store = await createStore();
      await store.admitDevice(admitRequest('AA-BB-CC-00-00-01', 1));
      expect((await store.admitDevice(admitRequest('aa:bb:cc:00:00:01', 1))).admitted).toBe(true);
      expect((await store.admitDevice(admitRequest('aabb.cc00.0001', 1))).admitted).toBe(true);
      await store.startSession(sessionInput({ callingStationId: 'AA:BB:CC:00:00:01' }));
      expect((await store.counts()).pendingSlots).toBe(0);
      expect((await store.findSession('ten_a', 'ses_1'))?.callingStationId).toBe(PHONE);
    });
  });

  describe(`${name}: sessions`, () => {
    it('a retransmitted Start is recognised and never moves counters or time backwards', async () => {
      const store = await createStore();
      expect(await store.startSession(sessionInput())).toMatchObject({ recorded: true, isRetransmit: false });
      await store.updateSession(FIRST_KEY, {
        lastUpdateMs: START_MS + 300_000,
        inputOctets: 5,
        outputOctets: 9,
      });
      const retransmit = await store.startSession(sessionInput({ framedIp: null }));
      expect(retransmit).toMatchObject({ recorded: true, isRetransmit: true });
      expect(await store.findSession('ten_a', 'ses_1')).toMatchObject({
        lastUpdateMs: START_MS + 300_000,
        inputOctets: 5,
        outputOctets: 9,
        framedIp: '10.5.50.2',
      });
      expect((await store.counts()).openSessions).toBe(1);
    });

    it('records a Start without a prior slot, e.g. after a restart', async () => {
      const store = await createStore();
      const result = await store.startSession(sessionInput());
      expect(result).toEqual({ recorded: true, isRetransmit: false, session: sessionInput() });
      expect(await store.sessionsOfSubject(VOUCHER)).toEqual([sessionInput()]);
    });

    it('replaces a session whose Acct-Session-Id the NAS reused for another login', async () => {
      const store = await createStore();
      await store.startSession(sessionInput());
      await store.startSession(sessionInput({ sessionId: 'ses_9', subjectId: 'vch_9' }));
      expect((await store.counts()).openSessions).toBe(1);
      expect(await store.findSession('ten_a', 'ses_1')).toBeUndefined();
      expect(await store.sessionsOfSubject(VOUCHER)).toEqual([]);
      expect(await store.devicesOfSubject(VOUCHER)).toEqual([]);
    });

    it('refuses a session id already open under another Acct-Session-Id, a caller bug', async () => {
      const store = await createStore();
      await store.startSession(sessionInput());
      await expect(store.startSession(sessionInput({ acctSessionId: 'other' }))).rejects.toThrow(
        /already open/,
      );
    });

    it('keeps exact octet counts past 2^32 and 2^52, and any Acct-Session-Id text', async () => {
      const store = await createStore();
      const key = { ...FIRST_KEY, acctSessionId: 'pppoe:1\n{x}' };
      await store.startSession(sessionInput({ acctSessionId: key.acctSessionId }));
      const update = {
        lastUpdateMs: START_MS + 1,
        inputOctets: 2 ** 52 + 1,
        outputOctets: 2 ** 33,
        framedIp: null,
      };
      expect(await store.updateSession(key, update)).toMatchObject({
        ...update,
        acctSessionId: key.acctSessionId,
      });
      expect(await store.sessionsOfNas('ten_a', 'nas_1')).toEqual([
        expect.objectContaining({ inputOctets: 2 ** 52 + 1, framedIp: null }),
      ]);
    });

    it('an interim update for an unknown session answers undefined; one without Framed-IP keeps it', async () => {
      const store = await createStore();
      const update = { lastUpdateMs: START_MS, inputOctets: 1, outputOctets: 1 };
      expect(await store.updateSession({ ...FIRST_KEY, acctSessionId: 'ffff0001' }, update)).toBeUndefined();
      await store.startSession(sessionInput());
      expect(await store.updateSession(FIRST_KEY, update)).toMatchObject({
        ...update,
        framedIp: '10.5.50.2',
      });
      const moved = { ...update, framedIp: '10.5.50.9' };
      expect(await store.updateSession(FIRST_KEY, moved)).toMatchObject(moved);
    });

    it('applies an interim update and a Stop without a snapshot back: whether the session was known', async () => {
      const store = await createStore();
      const update = {
        lastUpdateMs: START_MS + 60_000,
        inputOctets: 2 ** 40,
        outputOctets: 7,
        framedIp: null,
      };
      expect(await store.applySessionUpdate(FIRST_KEY, update)).toBe(false);
      expect(await store.counts()).toEqual({ openSessions: 0, pendingSlots: 0 });
      await store.startSession(sessionInput());
      expect(await store.applySessionUpdate(FIRST_KEY, update)).toBe(true);
      expect(await store.sessionsOfNas('ten_a', 'nas_1')).toEqual([expect.objectContaining(update)]);
      expect(await store.applySessionStop(FIRST_KEY)).toBe(true);
      expect(await store.applySessionStop(FIRST_KEY)).toBe(false);
      expect(await store.counts()).toEqual({ openSessions: 0, pendingSlots: 0 });
      expect((await store.admitDevice(admitRequest(LAPTOP, 1, START_MS + 60_000))).admitted).toBe(true);
    });
  });

  describe(`${name}: stale sessions`, () => {
    it('are those silent for more than 2 × interim interval + grace, and each is claimed once', async () => {
      const store = await createStore();
      await store.startSession(sessionInput({ interimIntervalSeconds: 60 }));
      const graceMs = 30_000;
      const deadlineMs = START_MS + 2 * 60_000 + graceMs;
      expect(await store.claimStaleSessions(deadlineMs, graceMs)).toEqual([]);
      const claimed = await store.claimStaleSessions(deadlineMs + 1, graceMs);
      expect(claimed.map((session) => session.sessionId)).toEqual(['ses_1']);
      expect(await store.claimStaleSessions(deadlineMs + 1, graceMs)).toEqual([]);
      expect(await store.counts()).toEqual({ openSessions: 0, pendingSlots: 0 });
      expect((await store.admitDevice(admitRequest(LAPTOP, 1, deadlineMs))).admitted).toBe(true);
    });

    it('an interim update keeps a session alive', async () => {
      const store = await createStore();
      await store.startSession(sessionInput({ interimIntervalSeconds: 60 }));
      await store.updateSession(FIRST_KEY, {
        lastUpdateMs: START_MS + 100_000,
        inputOctets: 0,
        outputOctets: 0,
      });
      expect(await store.claimStaleSessions(START_MS + 200_000, 0)).toEqual([]);
    });

    it('claims at most the limit asked for', async () => {
      const store = await createStore();
      for (const index of [1, 2, 3]) {
        await store.startSession(sessionInput({ sessionId: `ses_${index}`, acctSessionId: `acct_${index}` }));
      }
      expect(await store.claimStaleSessions(START_MS + 3_600_000, 0, 2)).toHaveLength(2);
      expect(await store.claimStaleSessions(START_MS + 3_600_000, 0, 2)).toHaveLength(1);
    });
  });

  describe(`${name}: NAS reboot`, () => {
    it('closes only that NAS, and leaves pending slots alone', async () => {
      const store = await createStore();
      await store.startSession(sessionInput());
      await store.startSession(
        sessionInput({ sessionId: 'ses_2', acctSessionId: '81f0002b', subjectId: 'vch_2' }),
      );
      await store.startSession(sessionInput({ sessionId: 'ses_3', nasId: 'nas_2', subjectId: 'vch_3' }));
      await store.admitDevice({ ...admitRequest(LAPTOP, 1), subjectId: 'vch_4' });
      const closed = await store.closeSessionsOfNas('ten_a', 'nas_1');
      expect(closed.map((session) => session.sessionId).sort()).toEqual(['ses_1', 'ses_2']);
      expect(await store.sessionsOfNas('ten_a', 'nas_1')).toEqual([]);
      expect(await store.sessionsOfNas('ten_a', 'nas_2')).toHaveLength(1);
      expect(await store.counts()).toEqual({ openSessions: 1, pendingSlots: 1 });
      expect(await store.countsByTenant()).toEqual(new Map([['ten_a', 1]]));
      expect(await store.closeSessionsOfNas('ten_a', 'nas_1')).toEqual([]);
      await store.startSession(sessionInput({ sessionId: 'ses_4', acctSessionId: 'after-reboot' }));
      expect(await store.sessionsOfNas('ten_a', 'nas_1')).toHaveLength(1);
    });
  });

  describe(`${name}: a full table`, () => {
    it('refuses new devices and new sessions but still admits known devices', async () => {
      const store = await createStore({ openSessionsMax: 1 });
      await store.startSession(sessionInput());
      expect(await store.admitDevice(admitRequest(LAPTOP, 5))).toEqual({
        admitted: false,
        reason: 'table_full',
        devicesInUse: 1,
      });
      expect((await store.admitDevice(admitRequest(PHONE, 5))).admitted).toBe(true);
      const another = sessionInput({
        sessionId: 'ses_2',
        acctSessionId: '81f0002b',
        callingStationId: LAPTOP,
      });
      expect(await store.startSession(another)).toEqual({ recorded: false, reason: 'table_full' });
      expect(await store.startSession(sessionInput())).toMatchObject({ recorded: true, isRetransmit: true });
    });

    it('refuses new devices while pending slots are at their bound, until one expires', async () => {
      const store = await createStore({ pendingSlotsMax: 1 });
      await store.admitDevice(admitRequest(PHONE, 5));
      expect(await store.admitDevice(admitRequest(LAPTOP, 5))).toMatchObject({
        admitted: false,
        reason: 'table_full',
      });
      const atExpiryMs = START_MS + PENDING_SLOT_TIMEOUT_MS;
      const otherSubject = { ...admitRequest(LAPTOP, 5, atExpiryMs), subjectId: 'vch_2' };
      expect((await store.admitDevice(otherSubject)).admitted).toBe(true);
    });
  });

  describe(`${name}: what the control API reads`, () => {
    it('pages a tenant in session id order, and a cursor survives its session closing', async () => {
      const store = await createStore();
      const sessionIds = ['ses_d', 'ses_a', 'ses_e', 'ses_c', 'ses_b'];
      for (const [index, sessionId] of sessionIds.entries()) {
        const nasId = index % 2 === 0 ? 'nas_1' : 'nas_2';
        await store.startSession(
          sessionInput({ sessionId, nasId, acctSessionId: sessionId, subjectId: sessionId }),
        );
      }
      await store.startSession(
        sessionInput({ sessionId: 'ses_0', tenantId: 'ten_b', acctSessionId: 'other' }),
      );
      const first = await store.sessionsOfTenant('ten_a', { limit: 2 });
      expect(first.sessions.map((session) => session.sessionId)).toEqual(['ses_a', 'ses_b']);
      expect(first.hasMore).toBe(true);
      expect((await store.removeSession('ten_a', 'ses_b'))?.sessionId).toBe('ses_b');
      const second = await store.sessionsOfTenant('ten_a', { limit: 2, afterSessionId: 'ses_b' });
      expect(second.sessions.map((session) => session.sessionId)).toEqual(['ses_c', 'ses_d']);
      const last = await store.sessionsOfTenant('ten_a', { limit: 2, afterSessionId: 'ses_d' });
      expect(last).toEqual({ sessions: [expect.objectContaining({ sessionId: 'ses_e' })], hasMore: false });
      expect(await store.sessionsOfTenant('ten_none', { limit: 2 })).toEqual({
        sessions: [],
        hasMore: false,
      });
      expect(await store.countsByTenant()).toEqual(
        new Map([
          ['ten_a', 4],
          ['ten_b', 1],
        ]),
      );
    });

    it("answers another tenant's session id exactly like an unknown one", async () => {
      const store = await createStore();
      await store.startSession(sessionInput());
      expect(await store.findSession('ten_b', 'ses_1')).toBeUndefined();
      expect(await store.removeSession('ten_b', 'ses_1')).toBeUndefined();
      expect(await store.findSession('ten_a', 'ses_1')).toEqual(sessionInput());
      expect(await store.findSession('ten_a', 'ses_unknown')).toBeUndefined();
    });
  });

  describe(`${name}: rebuild`, () => {
    it("loads the database's open sessions once, after which their device limits hold", async () => {
      const openSessions = [
        sessionInput(),
        sessionInput({
          sessionId: 'ses_2',
          acctSessionId: '81f0002b',
          subjectId: 'vch_2',
          tenantId: 'ten_b',
        }),
      ];
      let loads = 0;
      const store = await createStore({
        openSessions: function* () {
          loads += 1;
          yield* openSessions;
        },
      });
      expect(loads).toBe(1);
      expect(await store.ensureRebuilt()).toEqual({ rebuilt: false });
      expect(loads).toBe(1);
      expect(await store.countsByTenant()).toEqual(
        new Map([
          ['ten_a', 1],
          ['ten_b', 1],
        ]),
      );
      expect(await store.admitDevice(admitRequest(LAPTOP, 1))).toMatchObject({ reason: 'device_limit' });
      expect((await store.admitDevice(admitRequest(PHONE, 1))).admitted).toBe(true);
    });
  });
}
