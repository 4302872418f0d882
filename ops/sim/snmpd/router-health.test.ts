// Router health end to end in process, against Debian's real snmpd: SNMP set on a NAS (community
// sealed, never read back), the every-minute job polling it, GET /api/v1/nas/<id>/health, and a
// quiet-NAS alert raised when the router falls silent (banner, one SMS to a Tier 2 owner) and
// cleared when it answers again; another ISP sees none of it.
import { pollNasHealth } from '@kiunga/control-api/integrations/snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../../control-api/src/console/components';
import { nasHealthOf, runNasMonitoring } from '../../../control-api/src/features/monitoring/service';
import { openTwoIspApp, type TwoIspApp } from '../../../control-api/src/kernel/testing/in-process-app';
import { type SnmpAgent, startSnmpAgent } from './snmpd-agent';

const COMMUNITY = 'kiunga-health-community';
const OWNER_PHONE = '254711000111';
const MINUTE_MS = 60_000;
/** Where no answer is the expected outcome: short timeouts keep the test quick. */
const QUICK = { attemptTimeoutMs: 200, attempts: 2 } as const;

let testApp: TwoIspApp;
let agent: SnmpAgent;
let nasId: string;

const quickPoll = () => (target: Parameters<typeof pollNasHealth>[0]) =>
  pollNasHealth(target, { clock: testApp.clock, ...QUICK });

async function healthOf(isp: TwoIspApp['ispA'], id: string) {
  const response = await isp.request('GET', `/api/v1/nas/${id}/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The ISP console's router health page as the owner's browser gets it. */
async function healthPageOf(isp: TwoIspApp['ispA'], id: string) {
  const response = await (await isp.openConsole())(`/isp/nas/${id}/health`);
  return { status: response.status, html: await response.text() };
}

async function ownerMessages() {
  return testApp.dependencies.databases
    .forTenant(testApp.ispA.tenantId)
    .all<{ recipient: string; body: string }>(
      `SELECT recipient, body FROM notifications WHERE kind = 'nas_alert' ORDER BY id`,
    );
}

beforeAll(async () => {
  agent = await startSnmpAgent({ community: COMMUNITY });
  testApp = await openTwoIspApp();
  await testApp.dependencies.databases.platform.run('UPDATE tenants SET contact_phone = ? WHERE id = ?', [
    OWNER_PHONE,
    testApp.ispA.tenantId,
  ]);
  const created = await testApp.ispA.request('POST', '/api/v1/nas', {
    name: 'Hilltop',
    ipAddress: agent.host,
  });
  nasId = ((await created.json()) as { id: string }).id;
});

afterAll(async () => {
  await agent?.stop();
  await testApp?.close();
});

describe('router health', () => {
  it('takes SNMP on PATCH /api/v1/nas/<id>, seals the community and never reads it back', async () => {
    const response = await testApp.ispA.request('PATCH', `/api/v1/nas/${nasId}`, {
      snmp: { community: COMMUNITY, port: agent.port, version: '2c' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain(COMMUNITY);
    const platform = testApp.dependencies.databases.platform;
    const stored = await platform.get<{ sealed: string }>(
      'SELECT snmp_community_sealed AS sealed FROM nas_health WHERE nas_id = ?',
      [nasId],
    );
    expect(stored?.sealed).not.toContain(COMMUNITY);
    expect(testApp.dependencies.secretBox.open(stored?.sealed ?? '')).toBe(COMMUNITY);
    const audit = await platform.get<{ detail: string }>(
      `SELECT detail FROM audit_log WHERE action = 'nas.update' AND target = ?`,
      [nasId],
    );
    expect(audit?.detail).not.toContain(COMMUNITY);
    const refused = await testApp.ispA.request('PATCH', `/api/v1/nas/${nasId}`, {
      snmp: { community: 'has space', version: '1' },
    });
    expect(refused.status).toBe(400);
  });

  it('polls the real snmpd and answers GET /api/v1/nas/<id>/health with its uptime and interfaces', async () => {
    const run = await runNasMonitoring(testApp.dependencies);
    expect(run).toMatchObject({ answered: 1, failed: 0, raised: 0, cleared: 0 });
    const { status, body } = await healthOf(testApp.ispA, nasId);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      reachable: true,
      lastSeenAt: testApp.clock.now(),
      lastAccountingAt: null,
      snmpSettings: { port: agent.port, version: '2c' },
      isAlertRaised: false,
    });
    const snmp = body.snmp as {
      sysUpTimeSeconds: number;
      interfaces: Array<{ name: string; inOctets: number }>;
    };
    expect(snmp.sysUpTimeSeconds).toBeGreaterThanOrEqual(0);
    expect(snmp.interfaces.find((item) => item.name === 'lo')?.inOctets).toBeGreaterThan(0);
  });

  it('shows the console health page with uptime, CPU and the interfaces, and no open alert', async () => {
    const { body } = await healthOf(testApp.ispA, nasId);
    const snmp = body.snmp as { sysUpTimeSeconds: number; cpuLoadPercent: number | null };
    const page = await healthPageOf(testApp.ispA, nasId);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Router health: Hilltop');
    expect(page.html).toContain('data-reachable="yes"');
    expect(page.html).toContain('data-nas-alert-none');
    expect(page.html).toContain(`data-uptime="true">${formatDuration(snmp.sysUpTimeSeconds)}<`);
    expect(page.html).toContain(
      `data-cpu="true">${snmp.cpuLoadPercent === null ? '—' : `${snmp.cpuLoadPercent} %`}<`,
    );
    expect(page.html).toContain('data-interface="lo"');
    expect(page.html).not.toContain(COMMUNITY);
  });

  it("keeps one ISP's router health from another", async () => {
    expect((await healthOf(testApp.ispB, nasId)).status).toBe(404);
    expect((await healthPageOf(testApp.ispB, nasId)).status).toBe(404);
  });

  it('gives per-interface rates from two polls a minute apart', async () => {
    testApp.clock.advance(MINUTE_MS);
    await runNasMonitoring(testApp.dependencies);
    const { body } = await healthOf(testApp.ispA, nasId);
    const throughput = body.throughput as Array<{ name: string; inBitsPerSecond: number }>;
    expect(throughput.find((item) => item.name === 'lo')?.inBitsPerSecond).toBeGreaterThanOrEqual(0);
  });

  it('raises an alert when the router falls silent past the threshold, texts the owner once, and clears it', async () => {
    const put = await testApp.ispA.request('PUT', '/api/v1/settings/monitoring', {
      quietThresholdMinutes: 5,
    });
    expect(await put.json()).toEqual({ quietThresholdMinutes: 5 });
    await agent.silence();
    testApp.clock.advance(4 * MINUTE_MS);
    expect(await runNasMonitoring(testApp.dependencies, quickPoll())).toMatchObject({ failed: 1, raised: 0 });
    testApp.clock.advance(2 * MINUTE_MS);
    expect(await runNasMonitoring(testApp.dependencies, quickPoll())).toMatchObject({ failed: 1, raised: 1 });
    const silent = await healthOf(testApp.ispA, nasId);
    expect(silent.body).toMatchObject({ reachable: false, isAlertRaised: true, lastSnmpError: 'timeout' });
    const silentPage = (await healthPageOf(testApp.ispA, nasId)).html;
    expect(silentPage).toContain('data-reachable="no"');
    expect(silentPage).toContain('data-nas-alert');
    expect(silentPage).toContain('Open alert since');
    expect(silentPage).toContain('failed: timeout');
    const dashboard = await (await (await testApp.ispA.openConsole())('/isp')).text();
    expect(dashboard).toContain('data-quiet-routers');
    expect(dashboard).toContain(`<a href="/isp/nas/${nasId}/health">Hilltop</a> is silent`);
    // Judged again a minute later: still silent, no second alert and no second SMS.
    testApp.clock.advance(MINUTE_MS);
    expect(await runNasMonitoring(testApp.dependencies, quickPoll())).toMatchObject({
      raised: 0,
      cleared: 0,
    });
    const messages = await ownerMessages();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.recipient).toBe(OWNER_PHONE);
    expect(messages[0]?.body).toMatch(/^Kiunga: router Hilltop is silent since .+: no accounting or SNMP\./);
    const otherDashboard = await (await (await testApp.ispB.openConsole())('/isp')).text();
    expect(otherDashboard).not.toContain('data-quiet-routers');

    await agent.resume();
    testApp.clock.advance(MINUTE_MS);
    expect(await runNasMonitoring(testApp.dependencies)).toMatchObject({ answered: 1, cleared: 1 });
    expect((await healthOf(testApp.ispA, nasId)).body).toMatchObject({
      reachable: true,
      isAlertRaised: false,
    });
    expect((await ownerMessages()).map((message) => message.body)).toEqual([
      expect.stringContaining('is silent'),
      'Kiunga: router Hilltop is back online.',
    ]);
    const history = await testApp.dependencies.databases.platform.all<{
      raisedAt: number;
      clearedAt: number;
    }>('SELECT raised_at AS "raisedAt", cleared_at AS "clearedAt" FROM nas_alert_history WHERE nas_id = ?', [
      nasId,
    ]);
    expect(history).toHaveLength(1);
    expect((history[0]?.clearedAt ?? 0) - (history[0]?.raisedAt ?? 0)).toBe(2 * MINUTE_MS);
  });

  it('shows a Tier 1 ISP the banner but sends it no SMS (a router judged on accounting alone)', async () => {
    const platform = testApp.dependencies.databases.platform;
    await platform.run(
      `UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot', contact_phone = ? WHERE id = ?`,
      [OWNER_PHONE, testApp.ispB.tenantId],
    );
    const created = await testApp.ispB.request('POST', '/api/v1/nas', {
      name: 'Valley',
      ipAddress: '10.30.0.1',
    });
    const valleyId = ((await created.json()) as { id: string }).id;
    testApp.clock.advance(11 * MINUTE_MS);
    expect(await runNasMonitoring(testApp.dependencies)).toMatchObject({ raised: 1 });
    // Read in process: the clock has moved past the test owner's access token.
    expect(await nasHealthOf(testApp.dependencies, testApp.ispB.tenantId, valleyId)).toMatchObject({
      isAlertRaised: true,
      snmp: null,
    });
    const messages = await testApp.dependencies.databases
      .forTenant(testApp.ispB.tenantId)
      .all('SELECT id FROM notifications');
    expect(messages).toEqual([]);
    const dashboard = await (await (await testApp.ispB.openConsole())('/isp')).text();
    expect(dashboard).toContain('Valley</a> is silent');
    expect(dashboard).toContain('set SNMP on it');
    const valleyPage = (await healthPageOf(testApp.ispB, valleyId)).html;
    expect(valleyPage).toContain('data-snmp-unset');
    expect(valleyPage).toContain('Set SNMP to see this router');
    expect(valleyPage).toContain('Open alert since');
    // The empty state's form sets SNMP through PATCH /api/v1/nas/<id>; the page then waits for a poll.
    const browser = await testApp.signIn(testApp.ispB.ownerEmail);
    const posted = await testApp.page(browser, `/isp/nas/${valleyId}/snmp`, {
      communitySecret: 'valley-community',
      port: '161',
    });
    expect([posted.status, posted.location]).toEqual([303, `/isp/nas/${valleyId}/health`]);
    const waiting = (await testApp.page(browser, `/isp/nas/${valleyId}/health`)).html;
    expect(waiting).toContain('SNMP set: the first poll comes within a minute.');
    expect(waiting).toContain('data-snmp-waiting');
    expect(waiting).not.toContain('valley-community');
  });
});
