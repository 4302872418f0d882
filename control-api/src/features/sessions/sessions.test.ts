// /api/v1/sessions in process: live sessions (from the AAA server's control interface), the closed
// history, disconnect with the router's answer, the validation errors, and ISP B never seeing or
// disconnecting ISP A's sessions.
import type { LiveSessionView } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleAaaControl, openTestApp, type TestApp } from '../../kernel/test-app';

let testApp: TestApp;
const disconnectRequests: Array<{ tenantId: string; sessionId: string }> = [];

function liveSessionOf(tenantId: string, sessionId: string): LiveSessionView {
  return {
    sessionId,
    tenantId,
    nasId: 'nas_1',
    acctSessionId: `acct-${sessionId}`,
    username: 'KA23456',
    subjectKind: 'voucher',
    subjectId: 'vch_1',
    callingStationId: 'AA:BB:CC:DD:EE:FF',
    framedIp: '10.5.50.2',
    startedAtMs: Date.UTC(2026, 0, 1),
    lastUpdateMs: Date.UTC(2026, 0, 1),
    inputOctets: 1_000,
    outputOctets: 2_000,
  };
}

beforeAll(async () => {
  testApp = await openTestApp({
    // As the AAA server does: each ISP sees only its own sessions; ISP A has two live.
    aaa: idleAaaControl({
      listSessions: async (tenantId, options) =>
        tenantId === testApp.ispA.tenantId
          ? [liveSessionOf(tenantId, 'ses_a1'), liveSessionOf(tenantId, 'ses_a2')].filter(
              (session) => options.afterSessionId === undefined || session.sessionId > options.afterSessionId,
            )
          : [],
      findSession: async (tenantId, sessionId) =>
        tenantId === testApp.ispA.tenantId && sessionId.startsWith('ses_a')
          ? liveSessionOf(tenantId, sessionId)
          : undefined,
      disconnectSession: async (tenantId, sessionId) => {
        disconnectRequests.push({ tenantId, sessionId });
        return tenantId === testApp.ispA.tenantId ? { outcome: 'ack' } : { outcome: 'not_found' };
      },
    }),
  });
  const database = testApp.dependencies.databases.forTenant(testApp.ispA.tenantId);
  await database.run(
    `INSERT INTO sessions (id, nas_id, acct_session_id, username, subject_kind, subject_id, status,
                           started_at, updated_at, stopped_at, interim_interval_seconds)
     VALUES ('ses_closed', 'nas_1', 'acct-closed', 'KA99999', 'voucher', 'vch_2', 'closed', ?, ?, ?, 300)`,
    [Date.UTC(2025, 11, 31), Date.UTC(2025, 11, 31, 1), Date.UTC(2025, 11, 31, 1)],
  );
});

afterAll(async () => {
  await testApp?.close();
});

describe('sessions API', () => {
  it('lists live sessions a page at a time and gets one', async () => {
    const first = await testApp.ispA.request('GET', '/api/v1/sessions?limit=1');
    const page = (await first.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(page.items.map((session) => session.id)).toEqual(['ses_a1']);
    const second = await testApp.ispA.request('GET', `/api/v1/sessions?limit=1&cursor=${page.nextCursor}`);
    expect(
      ((await second.json()) as { items: Array<{ id: string }> }).items.map((session) => session.id),
    ).toEqual(['ses_a2']);
    const one = await testApp.ispA.request('GET', '/api/v1/sessions/ses_a2');
    expect(one.status).toBe(200);
    expect(((await one.json()) as { username: string }).username).toBe('KA23456');
  });

  it('lists the closed history from the ISP database', async () => {
    const history = await testApp.ispA.request('GET', '/api/v1/sessions/history');
    const items = ((await history.json()) as { items: Array<{ id: string; username: string }> }).items;
    expect(items.map((session) => [session.id, session.username])).toEqual([['ses_closed', 'KA99999']]);
  });

  it('disconnects a live session and answers what the router said', async () => {
    const response = await testApp.ispA.request('POST', '/api/v1/sessions/ses_a1/disconnect');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: 'ack' });
    expect(disconnectRequests).toContainEqual({ tenantId: testApp.ispA.tenantId, sessionId: 'ses_a1' });
  });

  it('refuses a bad page size with validation_failed', async () => {
    const response = await testApp.ispA.request('GET', '/api/v1/sessions?limit=0');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it("keeps ISP A's sessions from ISP B: not listed, not found, not disconnected", async () => {
    const live = await testApp.ispB.request('GET', '/api/v1/sessions');
    expect(((await live.json()) as { items: unknown[] }).items).toEqual([]);
    const history = await testApp.ispB.request('GET', '/api/v1/sessions/history');
    expect(((await history.json()) as { items: unknown[] }).items).toEqual([]);
    expect((await testApp.ispB.request('GET', '/api/v1/sessions/ses_a1')).status).toBe(404);
    expect((await testApp.ispB.request('GET', '/api/v1/sessions/ses_closed')).status).toBe(404);
    const disconnect = await testApp.ispB.request('POST', '/api/v1/sessions/ses_a2/disconnect');
    expect(disconnect.status).toBe(404);
    expect(disconnectRequests).not.toContainEqual({ tenantId: testApp.ispA.tenantId, sessionId: 'ses_a2' });
  });
});
