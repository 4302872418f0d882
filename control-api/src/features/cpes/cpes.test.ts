// CPEs through GenieACS in process, against the NBI simulator this test starts on loopback: an ISP's own
// ACS (password never read back), the CPE list bound to subscribers by serial number and by PPPoE
// username, reboot and Wi-Fi change reaching the simulated CPEs with the TR-098 and TR-181 parameter
// paths, a task for an offline CPE answered 202 and shown pending (API and console) until its Inform,
// PPPoE provisioning presets per plan; on the platform's shared ACS, ISP B never sees, reads or reboots
// ISP A's CPE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TR098_OFFLINE_ID, TR098_ONLINE_ID, TR181_ONLINE_ID } from '../../../../ops/sim/genieacs/fixtures';
import {
  type GenieAcsSimulator,
  startGenieAcsSimulator,
} from '../../../../ops/sim/genieacs/genieacs-simulator';
import {
  openTwoIspApp,
  TEST_START_MS,
  type TestIsp,
  type TwoIspApp,
} from '../../kernel/testing/in-process-app';
import { runCpeProvisioningJob } from './provisioning.job';

const ACS_USERNAME = 'kiunga-nbi';
const ACS_PASSWORD = 'nbi-proxy-secret';

async function jsonBody<Body>(response: Response): Promise<Body> {
  return (await response.json()) as Body;
}

async function pppoePlanOf(isp: TestIsp): Promise<string> {
  const plan = await isp.request('POST', '/api/v1/plans', {
    name: 'Home fibre',
    kind: 'pppoe',
    priceCents: 250_000,
    rateUpKbps: 10_000,
    rateDownKbps: 20_000,
  });
  return (await jsonBody<{ id: string }>(plan)).id;
}

async function subscriberOf(isp: TestIsp, body: Record<string, unknown>): Promise<string> {
  const created = await isp.request('POST', '/api/v1/subscribers', body);
  expect(created.status).toBe(201);
  return (await jsonBody<{ id: string }>(created)).id;
}

const cpePath = (id: string, tail = '') => `/api/v1/cpes/${encodeURIComponent(id)}${tail}`;

describe("an ISP's own GenieACS", () => {
  let acs: GenieAcsSimulator;
  let testApp: TwoIspApp;
  let planId: string;
  let byUsername: string;
  let bySerial: string;

  beforeAll(async () => {
    testApp = await openTwoIspApp({ prefix: 'acs', webhooksAllowPrivate: true });
    acs = await startGenieAcsSimulator({
      port: 0,
      auth: { username: ACS_USERNAME, password: ACS_PASSWORD },
      now: () => testApp.clock.now(),
    });
    planId = await pppoePlanOf(testApp.ispA);
    // The TR-098 ONT dials in as acc-1001; the TR-181 router's serial number is on record.
    byUsername = await subscriberOf(testApp.ispA, {
      username: 'acc-1001',
      planId,
      password: 'wanjiku-pass-1',
    });
    bySerial = await subscriberOf(testApp.ispA, {
      username: 'otieno',
      planId,
      password: 'otieno-pass-22',
      cpeSerialNumber: 'ztegc8a1b2c3',
    });
  });

  afterAll(async () => {
    await testApp.close();
    await acs.stop();
  });

  it('answers 409 until a TR-069 server is set, then keeps the password sealed', async () => {
    const before = await testApp.ispA.request('GET', '/api/v1/cpes');
    expect(before.status).toBe(409);
    expect((await jsonBody<{ error: { code: string } }>(before)).error.code).toBe('genieacs_not_configured');
    const saved = await testApp.ispA.request('PUT', '/api/v1/settings/genieacs', {
      url: acs.baseUrl,
      username: ACS_USERNAME,
      password: ACS_PASSWORD,
    });
    expect(saved.status).toBe(200);
    const read = await (await testApp.ispA.request('GET', '/api/v1/settings/genieacs')).text();
    expect(read).not.toContain(ACS_PASSWORD);
    expect(JSON.parse(read)).toMatchObject({
      source: 'own',
      url: acs.baseUrl,
      username: ACS_USERNAME,
      hasPassword: true,
    });
    const stored = await testApp.ispA.database.get<{ value: string }>(
      "SELECT value FROM tenant_settings WHERE key = 'genieacs.config'",
    );
    expect(stored?.value).not.toContain(ACS_PASSWORD);
  });

  it('lists the CPEs bound to subscribers by PPPoE username and by serial number', async () => {
    const listed = await jsonBody<{ items: Array<Record<string, unknown>> }>(
      await testApp.ispA.request('GET', '/api/v1/cpes'),
    );
    const byId = new Map(listed.items.map((item) => [item.id, item]));
    expect(byId.get(TR098_ONLINE_ID)).toMatchObject({
      serialNumber: '48575443A1B2C3D4',
      productClass: 'HG8245H',
      online: true,
      subscriberId: byUsername,
    });
    expect(byId.get(TR181_ONLINE_ID)).toMatchObject({ online: true, subscriberId: bySerial });
    expect(byId.get(TR098_OFFLINE_ID)).toMatchObject({ online: false, subscriberId: null });
    const detail = await jsonBody<Record<string, unknown>>(
      await testApp.ispA.request('GET', cpePath(TR181_ONLINE_ID)),
    );
    expect(detail).toMatchObject({ dataModel: 'tr181', wifiSsid: 'Otieno-5G', pppoeUsername: 'acc-2002' });
  });

  it('reboots an online CPE at once (200) and changes Wi-Fi on the TR-098 and TR-181 paths', async () => {
    const reboot = await testApp.ispA.request('POST', cpePath(TR098_ONLINE_ID, '/reboot'));
    expect(reboot.status).toBe(200);
    expect(await jsonBody(reboot)).toMatchObject({ status: 'done' });
    const rebootCall = acs
      .requests()
      .find((request) => request.method === 'POST' && request.body.includes('reboot'));
    expect(JSON.parse(rebootCall!.body)).toMatchObject({ name: 'reboot', expiry: 86_400 });

    const tr098 = await testApp.ispA.request('POST', cpePath(TR098_ONLINE_ID, '/wifi'), {
      ssid: 'Wanjiku-Fibre',
      password: 'karibu sana 2030',
    });
    expect(tr098.status).toBe(200);
    const huawei = acs.device(TR098_ONLINE_ID)!.parameters;
    expect(huawei.get('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID')?.cpeValue).toBe(
      'Wanjiku-Fibre',
    );
    expect(
      huawei.get('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.1.KeyPassphrase')
        ?.cpeValue,
    ).toBe('karibu sana 2030');

    const tr181 = await testApp.ispA.request('POST', cpePath(TR181_ONLINE_ID, '/wifi'), {
      ssid: 'Otieno-Home',
      password: 'nyumbani-2030',
    });
    expect(tr181.status).toBe(200);
    const zte = acs.device(TR181_ONLINE_ID)!.parameters;
    expect(zte.get('Device.WiFi.SSID.1.SSID')?.cpeValue).toBe('Otieno-Home');
    expect(zte.get('Device.WiFi.AccessPoint.1.Security.KeyPassphrase')?.cpeValue).toBe('nyumbani-2030');

    const tooShort = await testApp.ispA.request('POST', cpePath(TR181_ONLINE_ID, '/wifi'), {
      ssid: 'Otieno-Home',
      password: 'short',
    });
    expect(tooShort.status).toBe(400);
  });

  it('queues a reboot for an offline CPE (202) and shows it pending until the CPE informs', async () => {
    const reboot = await testApp.ispA.request('POST', cpePath(TR098_OFFLINE_ID, '/reboot'));
    expect(reboot.status).toBe(202);
    expect(await jsonBody(reboot)).toMatchObject({ status: 'pending' });
    const detail = await jsonBody<{ pendingTasks: Array<{ name: string }> }>(
      await testApp.ispA.request('GET', cpePath(TR098_OFFLINE_ID)),
    );
    expect(detail.pendingTasks.map((task) => task.name)).toEqual(['reboot']);
    const page = await testApp.ispA.openConsole();
    const html = await (await page(`/isp/cpes/${encodeURIComponent(TR098_OFFLINE_ID)}`)).text();
    expect(html).toContain('Pending');
    expect(html).toContain('reboot');

    acs.inform(TR098_OFFLINE_ID);
    const after = await jsonBody<{ pendingTasks: unknown[] }>(
      await testApp.ispA.request('GET', cpePath(TR098_OFFLINE_ID)),
    );
    expect(after.pendingTasks).toEqual([]);
  });

  it('pushes PPPoE credentials by preset for subscribers on a provisioning plan, and removes stale ones', async () => {
    await testApp.ispA.request('PUT', '/api/v1/settings/genieacs', {
      url: acs.baseUrl,
      username: ACS_USERNAME,
      pppoeProvisioningPlanIds: [planId],
    });
    const synced = await testApp.ispA.request('POST', '/api/v1/cpes/provisioning/sync');
    expect(await jsonBody(synced)).toEqual({ presets: 1, removed: 0 });
    expect(acs.provisions().has('kiunga-pppoe')).toBe(true);
    const preset = acs.presets().get(`kiunga-${testApp.ispA.tenantId}-${bySerial}`) as Record<
      string,
      unknown
    >;
    expect(preset).toMatchObject({
      precondition: JSON.stringify({ 'DeviceID.SerialNumber': 'ztegc8a1b2c3' }),
      configurations: [{ type: 'provision', name: 'kiunga-pppoe', args: ['otieno', 'otieno-pass-22'] }],
    });
    await testApp.ispA.request('PATCH', `/api/v1/subscribers/${bySerial}`, { cpeSerialNumber: null });
    expect(await jsonBody(await testApp.ispA.request('POST', '/api/v1/cpes/provisioning/sync'))).toEqual({
      presets: 0,
      removed: 1,
    });
  });

  it('applies the presets by itself: to a newly bound CPE, again on a plan change, and nothing when unchanged', async () => {
    const presetName = `kiunga-${testApp.ispA.tenantId}-${bySerial}`;
    const presetWrites = () =>
      acs.requests().filter((request) => request.path.startsWith('/presets/') && request.method !== 'GET')
        .length;
    // Nothing to push yet (the serial number was taken off above): the job leaves the ACS alone.
    expect(await runCpeProvisioningJob(testApp.dependencies)).toEqual({
      synced: 0,
      unchanged: 1,
      failedTenants: [],
    });
    // A technician records the router's serial number: the next run pushes its PPPoE credentials.
    await testApp.ispA.request('PATCH', `/api/v1/subscribers/${bySerial}`, {
      cpeSerialNumber: 'ZTEGC8A1B2C3',
    });
    expect(await runCpeProvisioningJob(testApp.dependencies)).toMatchObject({ synced: 1 });
    expect(acs.presets().get(presetName)).toMatchObject({
      configurations: [{ type: 'provision', name: 'kiunga-pppoe', args: ['otieno', 'otieno-pass-22'] }],
    });
    // Run twice: the same state, so GenieACS is not written to again.
    const writesAfterSync = presetWrites();
    expect(await runCpeProvisioningJob(testApp.dependencies)).toEqual({
      synced: 0,
      unchanged: 1,
      failedTenants: [],
    });
    expect(presetWrites()).toBe(writesAfterSync);
    // A new password is pushed too.
    await testApp.ispA.request('PATCH', `/api/v1/subscribers/${bySerial}`, { password: 'otieno-pass-33' });
    expect(await runCpeProvisioningJob(testApp.dependencies)).toMatchObject({ synced: 1 });
    expect(acs.presets().get(presetName)).toMatchObject({
      configurations: [{ type: 'provision', name: 'kiunga-pppoe', args: ['otieno', 'otieno-pass-33'] }],
    });
    // Moved to a plan without provisioning: the preset goes.
    const otherPlan = await testApp.ispA.request('POST', '/api/v1/plans', {
      name: 'Home copper',
      kind: 'pppoe',
      priceCents: 150_000,
      rateUpKbps: 2_000,
      rateDownKbps: 5_000,
    });
    const otherPlanId = (await jsonBody<{ id: string }>(otherPlan)).id;
    const moved = await testApp.ispA.request('POST', `/api/v1/subscribers/${bySerial}/change-plan`, {
      planId: otherPlanId,
    });
    expect(moved.status).toBe(200);
    expect(await runCpeProvisioningJob(testApp.dependencies)).toMatchObject({ synced: 1 });
    expect(acs.presets().has(presetName)).toBe(false);
  });

  it('lets a technician reboot a client’s router from the panel', async () => {
    const session = await testApp.signIn(testApp.ispA.ownerEmail);
    const list = await testApp.page(session, '/tech/cpes?q=acc-1001');
    expect(list.html).toContain('Reboot router');
    expect(list.html).toContain('48575443A1B2C3D4');
    expect(list.html).not.toContain('ZTEGC8A1B2C3');
    const rebootsOf = () =>
      acs
        .requests()
        .filter(
          (request) =>
            request.path === `/devices/${TR098_ONLINE_ID}/tasks` && request.body.includes('"reboot"'),
        );
    const rebootsBefore = rebootsOf().length;
    const rebooted = await testApp.page(
      session,
      `/tech/cpes/${encodeURIComponent(TR098_ONLINE_ID)}/reboot`,
      {},
    );
    expect(rebooted.status).toBe(303);
    expect(rebootsOf()).toHaveLength(rebootsBefore + 1);
    const after = await testApp.page(session, rebooted.location!);
    expect(after.html).toContain('Reboot: done by the router.');

    // A technician installing a router records its serial number on the new subscriber.
    const created = await testApp.page(session, '/tech/subscribers', {
      planId,
      username: 'kamau',
      fullName: 'Kamau',
      cpeSerialNumber: '22251A0001234',
    });
    expect(created.status).toBe(201);
    const kamau = await testApp.ispA.database.get<{ id: string }>(
      "SELECT id FROM subscribers WHERE username = 'kamau'",
    );
    const offline = await jsonBody<{ subscriberId: string | null }>(
      await testApp.ispA.request('GET', cpePath(TR098_OFFLINE_ID)),
    );
    expect(offline.subscriberId).toBe(kamau!.id);
  });
});

describe("the platform's shared GenieACS", () => {
  let acs: GenieAcsSimulator;
  let testApp: TwoIspApp;

  beforeAll(async () => {
    // The app's clock starts at TEST_START_MS; the simulator's CPEs informed just before it.
    acs = await startGenieAcsSimulator({ port: 0, now: () => TEST_START_MS });
    testApp = await openTwoIspApp({ prefix: 'shared-acs', sharedGenieAcs: { url: acs.baseUrl } });
  });

  afterAll(async () => {
    await testApp.close();
    await acs.stop();
  });

  it('shows each ISP only the CPEs its subscribers claimed by serial number; the first claim stands', async () => {
    const { ispA, ispB } = testApp;
    const settings = await jsonBody(await ispA.request('GET', '/api/v1/settings/genieacs'));
    expect(settings).toMatchObject({ source: 'shared', url: null });
    await subscriberOf(ispA, {
      username: 'acc-1001',
      planId: await pppoePlanOf(ispA),
      cpeSerialNumber: '48575443A1B2C3D4',
    });
    const planB = await pppoePlanOf(ispB);
    // ISP B types ISP A's serial number too, and its own router's.
    await subscriberOf(ispB, { username: 'intruder', planId: planB, cpeSerialNumber: '48575443A1B2C3D4' });
    await subscriberOf(ispB, { username: 'acc-2002', planId: planB, cpeSerialNumber: 'ZTEGC8A1B2C3' });

    const listOf = async (isp: TestIsp) =>
      (await jsonBody<{ items: Array<{ id: string }> }>(await isp.request('GET', '/api/v1/cpes'))).items.map(
        (item) => item.id,
      );
    expect(await listOf(ispA)).toEqual([TR098_ONLINE_ID]);
    expect(await listOf(ispB)).toEqual([TR181_ONLINE_ID]);
    expect([...acs.device(TR098_ONLINE_ID)!.tags]).toEqual([`kiunga-tenant-${ispA.tenantId}`]);
  });

  it("never lets ISP B read, reboot or reconfigure ISP A's CPE", async () => {
    const { ispA, ispB } = testApp;
    const tasksBefore = acs.requests().filter((request) => request.path.endsWith('/tasks')).length;
    expect((await ispB.request('GET', cpePath(TR098_ONLINE_ID))).status).toBe(404);
    expect((await ispB.request('POST', cpePath(TR098_ONLINE_ID, '/reboot'))).status).toBe(404);
    const wifi = await ispB.request('POST', cpePath(TR098_ONLINE_ID, '/wifi'), {
      ssid: 'Hijacked',
      password: 'hijacked-123',
    });
    expect(wifi.status).toBe(404);
    expect((await ispA.request('GET', cpePath(TR181_ONLINE_ID))).status).toBe(404);
    expect((await ispB.request('GET', cpePath(TR098_OFFLINE_ID))).status).toBe(404);
    expect(acs.requests().filter((request) => request.path.endsWith('/tasks'))).toHaveLength(tasksBefore);
    expect((await ispA.request('POST', cpePath(TR098_ONLINE_ID, '/reboot'))).status).toBe(200);
  });
});
