// The real GenieACS NBI client against the simulator over HTTP on loopback: devices, tasks for online
// and offline CPEs in both data models, tags, presets, provisions, faults, and what GenieACS refuses.
import {
  DETAIL_PROJECTION,
  GenieAcsClient,
  GenieAcsError,
  LIST_PROJECTION,
  PPPOE_PROVISION_NAME,
  PPPOE_PROVISION_SCRIPT,
  pppoePresetFor,
  summarizeDevice,
  tenantDeviceQuery,
  tenantTag,
  wifiParameterValues,
} from '@kiunga/control-api/integrations/genieacs';
import { ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TR098_OFFLINE_ID, TR098_ONLINE_ID, TR181_ONLINE_ID } from './fixtures';
import { type GenieAcsSimulator, startGenieAcsSimulator } from './genieacs-simulator';

const clock = new ManualClock(Date.UTC(2026, 0, 1, 9));
let simulator: GenieAcsSimulator;
let client: GenieAcsClient;

beforeAll(async () => {
  simulator = await startGenieAcsSimulator({ port: 0, now: () => clock.now() });
  client = new GenieAcsClient({ baseUrl: `${simulator.baseUrl}/` });
});

afterAll(async () => {
  await simulator?.stop();
});

beforeEach(() => simulator.reset());

async function rejection(promise: Promise<unknown>): Promise<GenieAcsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GenieAcsError)) throw new Error(`expected a GenieAcsError, got ${String(error)}`);
  return error;
}

function cpeValue(deviceId: string, path: string): unknown {
  return simulator.device(deviceId)?.parameters.get(path)?.cpeValue;
}

describe('devices', () => {
  it('lists every device with the projected paths only, and the total', async () => {
    const page = await client.listDevices({ projection: LIST_PROJECTION });
    expect(page.total).toBe(3);
    expect(page.devices.map((device) => device._id).sort()).toEqual(
      [TR098_OFFLINE_ID, TR098_ONLINE_ID, TR181_ONLINE_ID].sort(),
    );
    const tr181 = page.devices.find((device) => device._id === TR181_ONLINE_ID);
    expect(tr181?._deviceId?._SerialNumber).toBe('ZTEGC8A1B2C3');
    expect(Object.keys((tr181?.Device ?? {}) as object).sort()).toEqual(['DeviceInfo', 'PPP']);
  });

  it('summarizes both data models the same way from what GenieACS returns', async () => {
    const tr098 = await client.getDevice(TR098_ONLINE_ID, DETAIL_PROJECTION);
    const tr181 = await client.getDevice(TR181_ONLINE_ID, DETAIL_PROJECTION);
    expect(tr098 && summarizeDevice(tr098, clock)).toMatchObject({
      dataModel: 'tr098',
      serialNumber: '48575443A1B2C3D4',
      wanIpAddress: '100.64.12.7',
      pppoeUsername: 'acc-1001',
      wifiSsid: 'Wanjiku-Home',
      upTimeSeconds: 86_400,
      isOnline: true,
    });
    expect(tr181 && summarizeDevice(tr181, clock)).toMatchObject({
      dataModel: 'tr181',
      wanIpAddress: '10.20.30.40',
      pppoeUsername: 'acc-2002',
      wifiSsid: 'Otieno-5G',
      softwareVersion: 'V9.0.10P2N1',
    });
    expect(await client.getDevice('000000-None-0')).toBeNull();
  });

  it('shows an ISP only the devices carrying its tag, and drops the tag on request', async () => {
    await client.addTag(TR181_ONLINE_ID, tenantTag('ten_isp1'));
    await client.addTag(TR098_ONLINE_ID, tenantTag('ten_isp2'));
    const page = await client.listDevices({ query: tenantDeviceQuery('ten_isp1'), projection: ['_tags'] });
    expect(page.devices.map((device) => device._id)).toEqual([TR181_ONLINE_ID]);
    await client.removeTag(TR181_ONLINE_ID, tenantTag('ten_isp1'));
    expect((await client.listDevices({ query: tenantDeviceQuery('ten_isp1') })).devices).toEqual([]);
    expect((await rejection(client.addTag('000000-None-0', tenantTag('ten_isp1')))).kind).toBe('not_found');
  });

  it('encodes escaped device ids so GenieACS finds them', async () => {
    // The id holds "%20" (GenieACS's escape of a space): it must travel as %2520.
    const outcome = await client.refreshObject(TR098_OFFLINE_ID, '', { connectionRequest: false });
    expect(outcome.status).toBe('queued');
    expect(simulator.pendingTasks(TR098_OFFLINE_ID)).toHaveLength(1);
  });
});

describe('tasks', () => {
  it('reboots an online CPE at once (200): done, nothing left pending', async () => {
    const outcome = await client.reboot(TR098_ONLINE_ID);
    expect(outcome.status).toBe('done');
    expect(outcome.task).toMatchObject({ name: 'reboot', device: TR098_ONLINE_ID });
    expect(cpeValue(TR098_ONLINE_ID, 'InternetGatewayDevice.DeviceInfo.UpTime')).toBe(0);
    expect(await client.listPendingTasks(TR098_ONLINE_ID)).toEqual([]);
    const request = simulator.requests().find((candidate) => candidate.method === 'POST');
    expect(request?.query).toMatchObject({ connection_request: '', timeout: '3000' });
  });

  it('changes Wi-Fi on the TR-098 paths', async () => {
    const device = await client.getDevice(TR098_ONLINE_ID, DETAIL_PROJECTION);
    if (device === null) throw new Error('device missing');
    const settings = { ssid: 'Wanjiku-5G', passphrase: 'mvua ya leo 2026' };
    const outcome = await client.setParameterValues(TR098_ONLINE_ID, wifiParameterValues(device, settings));
    expect(outcome.status).toBe('done');
    const wlan = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1';
    expect(cpeValue(TR098_ONLINE_ID, `${wlan}.SSID`)).toBe('Wanjiku-5G');
    expect(cpeValue(TR098_ONLINE_ID, `${wlan}.PreSharedKey.1.KeyPassphrase`)).toBe('mvua ya leo 2026');
  });

  it('changes Wi-Fi on the TR-181 paths', async () => {
    const device = await client.getDevice(TR181_ONLINE_ID, DETAIL_PROJECTION);
    if (device === null) throw new Error('device missing');
    const settings = { ssid: 'Otieno-Home', passphrase: 'jua kali 12345' };
    const outcome = await client.setParameterValues(TR181_ONLINE_ID, wifiParameterValues(device, settings));
    expect(outcome.status).toBe('done');
    expect(cpeValue(TR181_ONLINE_ID, 'Device.WiFi.SSID.1.SSID')).toBe('Otieno-Home');
    expect(cpeValue(TR181_ONLINE_ID, 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase')).toBe(
      'jua kali 12345',
    );
  });

  it('queues a task for an offline CPE (202), lists it pending, and runs it at the next inform', async () => {
    const outcome = await client.reboot(TR098_OFFLINE_ID);
    expect(outcome.status).toBe('queued');
    const pending = await client.listPendingTasks(TR098_OFFLINE_ID);
    expect(pending.map((task) => [task._id, task.name])).toEqual([[outcome.task._id, 'reboot']]);
    simulator.inform(TR098_OFFLINE_ID);
    expect(await client.listPendingTasks(TR098_OFFLINE_ID)).toEqual([]);
    expect(cpeValue(TR098_OFFLINE_ID, 'InternetGatewayDevice.DeviceInfo.UpTime')).toBe(0);
  });

  it('withdraws a queued task', async () => {
    const outcome = await client.reboot(TR098_OFFLINE_ID);
    await client.deleteTask(outcome.task._id);
    expect(simulator.pendingTasks()).toEqual([]);
    expect((await rejection(client.deleteTask(outcome.task._id))).kind).toBe('not_found');
  });

  it('reports a task the CPE refuses as faulted, keeps it, and deletes both with the fault', async () => {
    const outcome = await client.setParameterValues(TR181_ONLINE_ID, [
      ['Device.DeviceInfo.SerialNumber', 'forged', 'xsd:string'],
    ]);
    expect(outcome.status).toBe('faulted');
    const faults = await client.listFaults(TR181_ONLINE_ID);
    expect(faults).toEqual([
      expect.objectContaining({
        _id: `${TR181_ONLINE_ID}:task_${outcome.task._id}`,
        code: 'cwmp.9008',
        channel: `task_${outcome.task._id}`,
      }),
    ]);
    expect(await client.listPendingTasks(TR181_ONLINE_ID)).toHaveLength(1);
    await client.deleteFault(faults[0]?._id ?? '');
    expect(await client.listFaults()).toEqual([]);
    expect(await client.listPendingTasks(TR181_ONLINE_ID)).toEqual([]);
  });

  it('faults a wrong path or an over-long value as the CPE would (9005, 9007)', async () => {
    const wrongPath = await client.setParameterValues(TR181_ONLINE_ID, [
      ['InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID', 'x', 'xsd:string'],
    ]);
    const tooLong = await client.setParameterValues(TR181_ONLINE_ID, [
      ['Device.WiFi.SSID.1.SSID', 'x'.repeat(33), 'xsd:string'],
    ]);
    expect([wrongPath.status, tooLong.status]).toEqual(['faulted', 'faulted']);
    expect(
      simulator
        .faults()
        .map((fault) => fault.code)
        .sort(),
    ).toEqual(['cwmp.9005', 'cwmp.9007']);
    expect(cpeValue(TR181_ONLINE_ID, 'Device.WiFi.SSID.1.SSID')).toBe('Otieno-5G');
  });

  it('answers 404 for an unknown device, and the client refuses a malformed task before sending', async () => {
    expect((await rejection(client.reboot('000000-None-0'))).kind).toBe('not_found');
    const before = simulator.requests().length;
    const error = await rejection(client.getParameterValues(TR181_ONLINE_ID, []));
    expect(error.kind).toBe('invalid_request');
    expect(simulator.requests()).toHaveLength(before);
  });
});

describe('what GenieACS refuses on the wire', () => {
  const post = (path: string, body: string) =>
    fetch(`${simulator.baseUrl}${path}`, { method: 'POST', body }).then(async (response) => ({
      status: response.status,
      text: await response.text(),
    }));

  it('refuses bad JSON (400), an unknown task (500) and a missing body (400)', async () => {
    const path = `/devices/${TR181_ONLINE_ID}/tasks?connection_request`;
    expect(await post(path, '{"name":')).toMatchObject({
      status: 400,
      text: expect.stringMatching(/^SyntaxError/),
    });
    expect(await post(path, '{"name":"wipeEverything"}')).toEqual({
      status: 500,
      text: 'Error: Invalid task name',
    });
    expect((await post(`/devices/${TR181_ONLINE_ID}/tasks`, '')).status).toBe(400);
    expect(await post(`/devices/nobody/tasks`, '{"name":"reboot"}')).toEqual({
      status: 404,
      text: 'No such device',
    });
    expect((await fetch(`${simulator.baseUrl}/devices/?query={bad`)).status).toBe(400);
    expect((await fetch(`${simulator.baseUrl}/nothing/`)).status).toBe(404);
  });
});

describe('presets and provisions', () => {
  it('stores the PPPoE provision and a subscriber preset, and refuses a script that does not compile', async () => {
    await client.putProvision(PPPOE_PROVISION_NAME, PPPOE_PROVISION_SCRIPT);
    expect(simulator.provisions().get(PPPOE_PROVISION_NAME)).toBe(PPPOE_PROVISION_SCRIPT);
    const { name, preset } = pppoePresetFor({
      tenantId: 'ten_isp1',
      subscriberId: 'sub_1',
      serialNumber: 'ZTEGC8A1B2C3',
      username: 'acc-2002',
      password: 'pw-2002',
    });
    await client.putPreset(name, preset);
    expect(simulator.presets().get(name)).toEqual({ ...preset, _id: name });
    await client.deletePreset(name);
    expect(simulator.presets().has(name)).toBe(false);
    const error = await rejection(client.putProvision('broken', 'declare("x", {value: 1}'));
    expect(error).toMatchObject({ kind: 'invalid_request', httpStatus: 400 });
  });
});

describe('basic auth of the proxy in front of the NBI', () => {
  it('refuses a client without the password and serves one with it', async () => {
    const guarded = await startGenieAcsSimulator({
      port: 0,
      auth: { username: 'kiunga', password: 'acs-pass' },
    });
    try {
      const anonymous = new GenieAcsClient({ baseUrl: guarded.baseUrl });
      expect((await rejection(anonymous.listDevices())).kind).toBe('authentication');
      const signedIn = new GenieAcsClient({
        baseUrl: guarded.baseUrl,
        username: 'kiunga',
        password: 'acs-pass',
      });
      expect((await signedIn.listDevices()).total).toBe(3);
    } finally {
      await guarded.stop();
    }
  });
});
