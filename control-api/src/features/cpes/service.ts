// CPEs through GenieACS (issue 14): the ISP's CPEs with the subscriber each is bound to, one CPE's page
// (firmware, uptime, WAN address, Wi-Fi, tasks still pending, faults), reboot and Wi-Fi change (done now
// when the CPE answers the connection request, else pending until its next Inform), and the per-plan
// PPPoE provisioning presets. On the platform's shared ACS the ISP sees, and acts on, only CPEs tagged
// with its tenant; a CPE is tagged when a subscriber of the ISP records its serial number.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import {
  DETAIL_PROJECTION,
  type GenieAcsClient,
  type GenieAcsDevice,
  GenieAcsError,
  isDeviceOfTenant,
  KIUNGA_PRESET_CHANNEL,
  LIST_PROJECTION,
  PPPOE_PROVISION_NAME,
  PPPOE_PROVISION_SCRIPT,
  pppoePresetFor,
  summarizeDevice,
  type TaskOutcome,
  TENANT_TAG_PREFIX,
  tenantDeviceQuery,
  tenantPresetPrefix,
  tenantTag,
  wifiParameterValues,
} from '../../integrations/genieacs/index';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { type CpeListItem, cpeListItem, createCpeBinder } from './core/binding';
import { readProvisioningPlanIds, type TenantAcs, tenantAcsOf } from './settings';
import { bindableSubscribers, recordedSerialNumbers, subscribersToProvision } from './store';

/**
 * A queued reboot or Wi-Fi change is dropped by GenieACS if the CPE has not come back within a day: a
 * router that reappears next week must not reboot out of the blue (the CPE informs at least daily).
 */
export const CPE_TASK_EXPIRY_SECONDS = 24 * 60 * 60;
/** Serial numbers looked up per claim query on a shared ACS (GenieACS takes an $in list this long easily). */
const CLAIM_SERIALS_PER_QUERY = 200;

export type CpeDependencies = Pick<ApiDependencies, 'secretBox' | 'sharedGenieAcs' | 'clock'>;

export interface CpeDetail extends CpeListItem {
  manufacturer: string | null;
  dataModel: 'tr098' | 'tr181' | null;
  firmware: string | null;
  hardwareVersion: string | null;
  uptimeSeconds: number | null;
  wanIp: string | null;
  pppoeUsername: string | null;
  wifiSsid: string | null;
  pendingTasks: Array<{ id: string; name: string; queuedAt: number | null }>;
  faults: Array<{ code: string; message: string; at: number | null }>;
}

export interface CpeTaskResult {
  /** done: the CPE did it now; pending: queued for its next Inform; faulted: the CPE refused. */
  status: 'done' | 'pending' | 'faulted';
  taskId: string;
  fault?: { code: string; message: string };
}

/** A GenieACS failure as the API says it: unknown device 404, a refused request 400, anything else 502. */
async function acsCall<Result>(work: () => Promise<Result>): Promise<Result> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof GenieAcsError)) throw error;
    if (error.kind === 'not_found') throw new KiungaError('not_found', 'No such CPE.');
    if (error.kind === 'invalid_request') throw new KiungaError('validation_failed', error.message);
    throw new KiungaError('genieacs_unavailable', `The TR-069 server (GenieACS) failed: ${error.message}`);
  }
}

function timeOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : time;
}

/**
 * On a shared ACS: tags, with this ISP's tag, the CPEs whose serial numbers its subscribers recorded,
 * unless another ISP's tag is already on them (the first claim stands; the platform resolves disputes).
 */
async function claimRecordedCpes(client: GenieAcsClient, database: SqlDatabase, tenantId: string) {
  const serials = await recordedSerialNumbers(database);
  const tag = tenantTag(tenantId);
  for (let start = 0; start < serials.length; start += CLAIM_SERIALS_PER_QUERY) {
    const batch = serials.slice(start, start + CLAIM_SERIALS_PER_QUERY);
    const page = await client.listDevices({
      query: { '_deviceId._SerialNumber': { $in: batch }, _tags: { $ne: tag } },
      projection: ['_deviceId', '_tags'],
    });
    for (const device of page.devices) {
      const isClaimedByOther = (device._tags ?? []).some((each) => each.startsWith(TENANT_TAG_PREFIX));
      if (!isClaimedByOther) await client.addTag(device._id, tag);
    }
  }
}

export async function listCpes(
  dependencies: CpeDependencies,
  database: SqlDatabase,
  tenantId: string,
): Promise<{ items: CpeListItem[]; total: number | null }> {
  const acs = await tenantAcsOf(dependencies, database);
  return acsCall(async () => {
    if (acs.isShared) await claimRecordedCpes(acs.client, database, tenantId);
    const page = await acs.client.listDevices({
      query: acs.isShared ? tenantDeviceQuery(tenantId) : {},
      projection: LIST_PROJECTION,
    });
    const bind = createCpeBinder(await bindableSubscribers(database));
    const items = page.devices.map((device) => {
      const summary = summarizeDevice(device, dependencies.clock);
      return cpeListItem(summary, bind(summary));
    });
    return { items, total: page.total };
  });
}

/** The device, if this tenant may see it: on a shared ACS another ISP's CPE is "not found", as is none. */
async function deviceOfTenant(acs: TenantAcs, tenantId: string, deviceId: string): Promise<GenieAcsDevice> {
  const device = await acs.client.getDevice(deviceId, DETAIL_PROJECTION);
  if (device === null || (acs.isShared && !isDeviceOfTenant(device, tenantId))) {
    throw new KiungaError('not_found', 'No such CPE.');
  }
  return device;
}

export async function getCpe(
  dependencies: CpeDependencies,
  database: SqlDatabase,
  tenantId: string,
  deviceId: string,
): Promise<CpeDetail> {
  const acs = await tenantAcsOf(dependencies, database);
  return acsCall(async () => {
    const device = await deviceOfTenant(acs, tenantId, deviceId);
    const summary = summarizeDevice(device, dependencies.clock);
    const binding = createCpeBinder(await bindableSubscribers(database))(summary);
    const tasks = await acs.client.listPendingTasks(deviceId);
    const faults = await acs.client.listFaults(deviceId);
    return {
      ...cpeListItem(summary, binding),
      manufacturer: summary.manufacturer,
      dataModel: summary.dataModel,
      firmware: summary.softwareVersion,
      hardwareVersion: summary.hardwareVersion,
      uptimeSeconds: summary.upTimeSeconds,
      wanIp: summary.wanIpAddress,
      pppoeUsername: summary.pppoeUsername,
      wifiSsid: summary.wifiSsid,
      pendingTasks: tasks.map((task) => ({
        id: task._id,
        name: task.name,
        queuedAt: timeOf(task.timestamp),
      })),
      faults: faults.map((fault) => ({
        code: fault.code,
        message: fault.message,
        at: timeOf(fault.timestamp),
      })),
    };
  });
}

async function taskResult(
  client: GenieAcsClient,
  deviceId: string,
  outcome: TaskOutcome,
): Promise<CpeTaskResult> {
  const taskId = outcome.task._id;
  if (outcome.status === 'done') return { status: 'done', taskId };
  if (outcome.status === 'queued') return { status: 'pending', taskId };
  const fault = (await client.listFaults(deviceId)).find((each) => each.channel === `task_${taskId}`);
  return {
    status: 'faulted',
    taskId,
    fault: { code: fault?.code ?? 'unknown', message: fault?.message ?? 'The CPE refused the task.' },
  };
}

export async function rebootCpe(
  dependencies: CpeDependencies,
  database: SqlDatabase,
  tenantId: string,
  deviceId: string,
  audit: Auditor,
): Promise<CpeTaskResult> {
  const acs = await tenantAcsOf(dependencies, database);
  const result = await acsCall(async () => {
    await deviceOfTenant(acs, tenantId, deviceId);
    const outcome = await acs.client.reboot(deviceId, { expirySeconds: CPE_TASK_EXPIRY_SECONDS });
    return taskResult(acs.client, deviceId, outcome);
  });
  await audit({ action: 'cpe.reboot', target: deviceId, detail: { status: result.status } });
  return result;
}

export async function changeCpeWifi(
  dependencies: CpeDependencies,
  database: SqlDatabase,
  tenantId: string,
  deviceId: string,
  wifi: { ssid: string; password: string },
  audit: Auditor,
): Promise<CpeTaskResult> {
  const acs = await tenantAcsOf(dependencies, database);
  const result = await acsCall(async () => {
    const device = await deviceOfTenant(acs, tenantId, deviceId);
    const values = wifiParameterValues(device, { ssid: wifi.ssid, passphrase: wifi.password });
    const outcome = await acs.client.setParameterValues(deviceId, values, {
      expirySeconds: CPE_TASK_EXPIRY_SECONDS,
    });
    return taskResult(acs.client, deviceId, outcome);
  });
  // The passphrase is a secret: the audit keeps the network name only.
  await audit({ action: 'cpe.wifi', target: deviceId, detail: { ssid: wifi.ssid, status: result.status } });
  return result;
}

/**
 * Makes GenieACS's presets match the ISP's choice: the PPPoE provision script installed, one preset per
 * subscriber with a recorded CPE on a provisioning plan, and this ISP's other Kiunga presets removed.
 */
export async function syncPppoeProvisioning(
  dependencies: CpeDependencies,
  database: SqlDatabase,
  tenantId: string,
): Promise<{ presets: number; removed: number }> {
  const acs = await tenantAcsOf(dependencies, database);
  const subscribers = await subscribersToProvision(database, await readProvisioningPlanIds(database));
  return acsCall(async () => {
    const wanted = new Set<string>();
    if (subscribers.length > 0) await acs.client.putProvision(PPPOE_PROVISION_NAME, PPPOE_PROVISION_SCRIPT);
    for (const subscriber of subscribers) {
      const { name, preset } = pppoePresetFor({
        tenantId,
        subscriberId: subscriber.id,
        serialNumber: subscriber.cpeSerialNumber,
        username: subscriber.username,
        password: dependencies.secretBox.open(subscriber.passwordSealed),
      });
      await acs.client.putPreset(name, preset);
      wanted.add(name);
    }
    const ownPrefix = tenantPresetPrefix(tenantId);
    let removed = 0;
    for (const name of await acs.client.listPresetNames({ channel: KIUNGA_PRESET_CHANNEL })) {
      if (name.startsWith(ownPrefix) && !wanted.has(name)) {
        await acs.client.deletePreset(name);
        removed += 1;
      }
    }
    return { presets: wanted.size, removed };
  });
}
