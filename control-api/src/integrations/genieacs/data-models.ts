// Where a CPE keeps what Kiunga reads and writes, in both TR-069 data models: TR-098
// (`InternetGatewayDevice.…`, Broadband Forum TR-098 Amendment 8, cwmp-data-models tr-098-1-8-0) and
// TR-181 Issue 2 (`Device.…`, Amendment 18, cwmp-data-models tr-181-2-18-0-{deviceinfo,wifi-base,ppp,ip}.xml),
// and how to read them out of a GenieACS device document (lib/cwmp/db.ts: a tree of objects whose
// leaves carry `_value`, `_type`, `_timestamp`, `_writable`).

export type DataModel = 'tr098' | 'tr181';

export const DATA_MODEL_ROOTS: Readonly<Record<DataModel, string>> = {
  tr098: 'InternetGatewayDevice',
  tr181: 'Device',
};

/** TR-098 paths; `{i}` is an instance number. Same paths as GenieACS's own seed/device-page-tr098.jsx. */
export const TR098_PATHS = {
  serialNumber: 'InternetGatewayDevice.DeviceInfo.SerialNumber',
  productClass: 'InternetGatewayDevice.DeviceInfo.ProductClass',
  manufacturer: 'InternetGatewayDevice.DeviceInfo.Manufacturer',
  softwareVersion: 'InternetGatewayDevice.DeviceInfo.SoftwareVersion',
  hardwareVersion: 'InternetGatewayDevice.DeviceInfo.HardwareVersion',
  /** unsignedInt, seconds since the CPE last restarted. */
  upTime: 'InternetGatewayDevice.DeviceInfo.UpTime',
  wanDevices: 'InternetGatewayDevice.WANDevice',
  /** string(:32). */
  wifiSsid: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.{i}.SSID',
  /**
   * string(:63), the WPA passphrase: PreSharedKey.1.KeyPassphrase. (WLANConfiguration.{i}.KeyPassphrase is
   * the WEP passphrase in TR-098; the two are kept equal by the CPE, the standard names this one for WPA.)
   * Reads back as an empty string.
   */
  wifiPassphrase: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.{i}.PreSharedKey.1.KeyPassphrase',
  wifiConfigurations: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration',
} as const;

/** TR-181 paths. Same roots as GenieACS's seed/device-page-tr181.jsx. */
export const TR181_PATHS = {
  serialNumber: 'Device.DeviceInfo.SerialNumber',
  productClass: 'Device.DeviceInfo.ProductClass',
  manufacturer: 'Device.DeviceInfo.Manufacturer',
  softwareVersion: 'Device.DeviceInfo.SoftwareVersion',
  hardwareVersion: 'Device.DeviceInfo.HardwareVersion',
  upTime: 'Device.DeviceInfo.UpTime',
  ipInterfaces: 'Device.IP.Interface',
  pppInterfaces: 'Device.PPP.Interface',
  /** Device.WiFi.SSID.{i}.SSID, string(:32). */
  wifiSsid: 'Device.WiFi.SSID.{i}.SSID',
  wifiSsids: 'Device.WiFi.SSID',
  /** Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase, string(8:63), secured (reads back empty). */
  wifiPassphrase: 'Device.WiFi.AccessPoint.{i}.Security.KeyPassphrase',
  wifiAccessPoints: 'Device.WiFi.AccessPoint',
} as const;

/** A node of a GenieACS device document: an object (children by name) or a leaf with `_value`. */
export type DeviceNode = Readonly<Record<string, unknown>>;

function isNode(value: unknown): value is DeviceNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which data model the document holds; null when neither root was reported (nothing known yet). */
export function detectDataModel(device: DeviceNode): DataModel | null {
  if (isNode(device[DATA_MODEL_ROOTS.tr098])) return 'tr098';
  if (isNode(device[DATA_MODEL_ROOTS.tr181])) return 'tr181';
  return null;
}

/** The node at a dotted path, or undefined. */
export function nodeAt(device: DeviceNode, path: string): DeviceNode | undefined {
  let node: unknown = device;
  for (const segment of path.split('.')) {
    if (!isNode(node)) return undefined;
    node = node[segment];
  }
  return isNode(node) ? node : undefined;
}

/** The `_value` of the parameter at `path` (string, number, boolean; dates as GenieACS's ISO text). */
export function parameterValue(device: DeviceNode, path: string): string | number | boolean | undefined {
  const value = nodeAt(device, path)?._value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

/** A parameter as text; a number or boolean turned into its text; undefined when absent or empty. */
export function parameterText(device: DeviceNode, path: string): string | undefined {
  const value = parameterValue(device, path);
  if (value === undefined) return undefined;
  const text = String(value);
  return text === '' ? undefined : text;
}

/** The instance numbers present under a multi-instance object (`…WLANConfiguration` → [1, 2]), ascending. */
export function instanceNumbers(device: DeviceNode, objectPath: string): number[] {
  const node = nodeAt(device, objectPath);
  if (node === undefined) return [];
  return Object.keys(node)
    .filter((key) => /^[1-9]\d{0,5}$/.test(key) && isNode(node[key]))
    .map(Number)
    .sort((left, right) => left - right);
}

/** `{i}` replaced by the instance number. */
export function pathFor(template: string, instance: number): string {
  if (!Number.isInteger(instance) || instance < 1) throw new RangeError('instance numbers start at 1');
  return template.replace('{i}', String(instance));
}
