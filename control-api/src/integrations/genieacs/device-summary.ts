// What Kiunga shows of a CPE, read out of a GenieACS device document in either data model: identity,
// firmware, uptime, WAN address, PPPoE username, Wi-Fi SSID, and whether it is online. Pure.
import type { Clock } from '@kiunga/schemas';
import {
  type DataModel,
  type DeviceNode,
  detectDataModel,
  instanceNumbers,
  nodeAt,
  parameterText,
  parameterValue,
  pathFor,
  TR098_PATHS,
  TR181_PATHS,
} from './data-models';
import type { GenieAcsDevice } from './schemas';

/**
 * A CPE counts as online when its last Inform is this recent: GenieACS's own "Online now" definition
 * (`Events.Inform > NOW() - 5 * 60 * 1000`, ui.overview.charts.online in lib/init.ts, v1.2.16).
 */
export const ONLINE_THRESHOLD_MS = 5 * 60 * 1000;

export interface CpeSummary {
  /** GenieACS's device `_id` (`<OUI>-<ProductClass>-<SerialNumber>`, escaped). */
  readonly id: string;
  readonly serialNumber: string | null;
  readonly productClass: string | null;
  readonly manufacturer: string | null;
  readonly oui: string | null;
  /** Milliseconds since the epoch; null when GenieACS has no Inform on record. */
  readonly lastInformAt: number | null;
  readonly isOnline: boolean;
  readonly tags: readonly string[];
  readonly dataModel: DataModel | null;
  readonly softwareVersion: string | null;
  readonly hardwareVersion: string | null;
  readonly upTimeSeconds: number | null;
  readonly wanIpAddress: string | null;
  readonly pppoeUsername: string | null;
  readonly wifiSsid: string | null;
}

/** Whether an Inform at `lastInformAt` makes the CPE online now. */
export function isCpeOnline(lastInformAt: number | null, clock: Clock): boolean {
  return lastInformAt !== null && clock.now() - lastInformAt < ONLINE_THRESHOLD_MS;
}

export function summarizeDevice(device: GenieAcsDevice, clock: Clock): CpeSummary {
  const dataModel = detectDataModel(device);
  const paths = dataModel === 'tr181' ? TR181_PATHS : TR098_PATHS;
  const lastInformAt = parseInformTime(device._lastInform);
  const identity = device._deviceId ?? {};
  const upTime = parameterValue(device, paths.upTime);
  return {
    id: device._id,
    serialNumber: identity._SerialNumber ?? parameterText(device, paths.serialNumber) ?? null,
    productClass: identity._ProductClass ?? parameterText(device, paths.productClass) ?? null,
    manufacturer: identity._Manufacturer ?? parameterText(device, paths.manufacturer) ?? null,
    oui: identity._OUI ?? null,
    lastInformAt,
    isOnline: isCpeOnline(lastInformAt, clock),
    tags: device._tags ?? [],
    dataModel,
    softwareVersion: parameterText(device, paths.softwareVersion) ?? null,
    hardwareVersion: parameterText(device, paths.hardwareVersion) ?? null,
    upTimeSeconds: toSeconds(upTime),
    wanIpAddress: dataModel === 'tr181' ? tr181WanAddress(device) : tr098WanConnection(device).ipAddress,
    pppoeUsername: dataModel === 'tr181' ? tr181PppUsername(device) : tr098WanConnection(device).pppUsername,
    wifiSsid: wifiSsid(device, dataModel),
  };
}

function parseInformTime(value: string | undefined): number | null {
  if (value === undefined) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : time;
}

function toSeconds(value: string | number | boolean | undefined): number | null {
  const seconds = typeof value === 'string' ? Number(value) : value;
  return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0 ? seconds : null;
}

interface WanConnection {
  readonly ipAddress: string | null;
  readonly pppUsername: string | null;
}

/**
 * TR-098: WANDevice.{i}.WANConnectionDevice.{i}.WANPPPConnection.{i} (PPPoE) first, then WANIPConnection.{i};
 * a Connected one before any other (ConnectionStatus, TR-098 Amendment 8).
 */
function tr098WanConnection(device: DeviceNode): WanConnection {
  const connections: { node: DeviceNode; isPpp: boolean }[] = [];
  for (const wan of instanceNumbers(device, TR098_PATHS.wanDevices)) {
    const wanPath = `${TR098_PATHS.wanDevices}.${wan}.WANConnectionDevice`;
    for (const connectionDevice of instanceNumbers(device, wanPath)) {
      for (const kind of ['WANPPPConnection', 'WANIPConnection'] as const) {
        const objectPath = `${wanPath}.${connectionDevice}.${kind}`;
        for (const instance of instanceNumbers(device, objectPath)) {
          const node = nodeAt(device, `${objectPath}.${instance}`);
          if (node !== undefined) connections.push({ node, isPpp: kind === 'WANPPPConnection' });
        }
      }
    }
  }
  const ranked = [...connections].sort(
    (left, right) => Number(isConnected(right.node)) - Number(isConnected(left.node)),
  );
  const withAddress = ranked.find((connection) => parameterText(connection.node, 'ExternalIPAddress'));
  const withUsername = ranked.find(
    (connection) => connection.isPpp && parameterText(connection.node, 'Username'),
  );
  return {
    ipAddress: withAddress ? (parameterText(withAddress.node, 'ExternalIPAddress') ?? null) : null,
    pppUsername: withUsername ? (parameterText(withUsername.node, 'Username') ?? null) : null,
  };
}

function isConnected(node: DeviceNode): boolean {
  return parameterText(node, 'ConnectionStatus') === 'Connected';
}

/** TR-181: Device.PPP.Interface.{i}.Username, a Connected interface first. */
function tr181PppUsername(device: DeviceNode): string | null {
  const interfaces = instanceNumbers(device, TR181_PATHS.pppInterfaces)
    .map((instance) => nodeAt(device, `${TR181_PATHS.pppInterfaces}.${instance}`))
    .filter((node): node is DeviceNode => node !== undefined)
    .sort((left, right) => Number(isConnected(right)) - Number(isConnected(left)));
  for (const node of interfaces) {
    const username = parameterText(node, 'Username');
    if (username !== undefined) return username;
  }
  return null;
}

/**
 * TR-181: the IPv4 address of the IP interface stacked on a PPP interface (LowerLayers names
 * Device.PPP.Interface.…); failing that, of the first Normal interface not stacked on a bridge (the LAN
 * side is the bridge in TR-181's interface stack, Section 4.2 of TR-181 Issue 2).
 */
function tr181WanAddress(device: DeviceNode): string | null {
  const interfaces = instanceNumbers(device, TR181_PATHS.ipInterfaces)
    .map((instance) => nodeAt(device, `${TR181_PATHS.ipInterfaces}.${instance}`))
    .filter((node): node is DeviceNode => node !== undefined);
  const lowerLayers = (node: DeviceNode) => parameterText(node, 'LowerLayers') ?? '';
  const overPpp = interfaces.filter((node) => lowerLayers(node).includes('Device.PPP.Interface.'));
  const otherWan = interfaces.filter((node) => {
    const layers = lowerLayers(node);
    return (
      layers !== '' && !layers.includes('Device.Bridging.') && parameterText(node, 'Type') !== 'Loopback'
    );
  });
  for (const node of [...overPpp, ...otherWan]) {
    for (const instance of instanceNumbers(node, 'IPv4Address')) {
      const address = parameterText(node, `IPv4Address.${instance}.IPAddress`);
      if (address !== undefined && address !== '0.0.0.0') return address;
    }
  }
  return null;
}

function wifiSsid(device: DeviceNode, dataModel: DataModel | null): string | null {
  if (dataModel === null) return null;
  const [objectPath, template] =
    dataModel === 'tr181'
      ? [TR181_PATHS.wifiSsids, TR181_PATHS.wifiSsid]
      : [TR098_PATHS.wifiConfigurations, TR098_PATHS.wifiSsid];
  const first = instanceNumbers(device, objectPath)[0];
  return first === undefined ? null : (parameterText(device, pathFor(template, first)) ?? null);
}
