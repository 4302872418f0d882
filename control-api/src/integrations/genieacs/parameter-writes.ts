// The parameter values Kiunga writes to a CPE (Wi-Fi name and passphrase, PPPoE credentials) and the
// paths it projects and refreshes, for TR-098 and TR-181 alike. Pure: the device document in, tuples out.
import { KiungaError } from '@kiunga/schemas';
import {
  DATA_MODEL_ROOTS,
  type DataModel,
  type DeviceNode,
  detectDataModel,
  instanceNumbers,
  parameterText,
  pathFor,
  TR098_PATHS,
  TR181_PATHS,
} from './data-models';
import type { ParameterValueTuple } from './schemas';

/** IEEE 802.11: an SSID is 0 to 32 octets; Kiunga refuses an empty one (TR-098/TR-181: string(:32)). */
export const SSID_BYTES_MAX = 32;
/** IEEE 802.11i (Annex J.4): a WPA passphrase is 8 to 63 printable ASCII characters (TR-181: string(8:63)). */
export const PASSPHRASE_CHARS_MIN = 8;
export const PASSPHRASE_CHARS_MAX = 63;
/** TR-098 WANPPPConnection and TR-181 PPP.Interface: Username and Password are string(:64). */
export const PPP_CREDENTIAL_CHARS_MAX = 64;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export interface WifiSettings {
  readonly ssid: string;
  readonly passphrase: string;
}

export interface PppoeCredentials {
  readonly username: string;
  readonly password: string;
}

/** Paths a CPE list needs: identity, last inform, tags, and where the PPPoE username lives (binding). */
export const LIST_PROJECTION: readonly string[] = [
  '_deviceId',
  '_lastInform',
  '_registered',
  '_tags',
  TR098_PATHS.serialNumber,
  TR098_PATHS.productClass,
  TR098_PATHS.wanDevices,
  TR181_PATHS.serialNumber,
  TR181_PATHS.productClass,
  TR181_PATHS.pppInterfaces,
];

/** Paths one CPE's page needs on top of the list: firmware, uptime, WAN address, Wi-Fi. */
export const DETAIL_PROJECTION: readonly string[] = [
  ...LIST_PROJECTION,
  'InternetGatewayDevice.DeviceInfo',
  TR098_PATHS.wifiConfigurations,
  'Device.DeviceInfo',
  TR181_PATHS.ipInterfaces,
  TR181_PATHS.wifiSsids,
  TR181_PATHS.wifiAccessPoints,
];

/** Objects to refresh (refreshObject) so the detail page shows what the CPE has now. */
export function detailRefreshObjects(dataModel: DataModel): string[] {
  return dataModel === 'tr181'
    ? ['Device.DeviceInfo', TR181_PATHS.ipInterfaces, TR181_PATHS.pppInterfaces, TR181_PATHS.wifiSsids]
    : ['InternetGatewayDevice.DeviceInfo', TR098_PATHS.wanDevices, TR098_PATHS.wifiConfigurations];
}

export function isValidPassphrase(passphrase: string): boolean {
  return (
    passphrase.length >= PASSPHRASE_CHARS_MIN &&
    passphrase.length <= PASSPHRASE_CHARS_MAX &&
    PRINTABLE_ASCII.test(passphrase)
  );
}

export function validateWifiSettings(settings: WifiSettings): void {
  const ssidBytes = Buffer.byteLength(settings.ssid, 'utf8');
  if (ssidBytes === 0 || ssidBytes > SSID_BYTES_MAX) {
    throw new KiungaError('validation_failed', `A Wi-Fi name is 1 to ${SSID_BYTES_MAX} bytes long.`);
  }
  if (!isValidPassphrase(settings.passphrase)) {
    throw new KiungaError(
      'validation_failed',
      `A Wi-Fi password is ${PASSPHRASE_CHARS_MIN} to ${PASSPHRASE_CHARS_MAX} letters, digits, spaces or symbols (no accents or emoji).`,
    );
  }
}

/**
 * setParameterValues tuples that change the primary Wi-Fi network (the first WLANConfiguration /
 * WiFi.SSID instance the CPE reported, instance 1 when none is known yet) in the CPE's data model.
 */
export function wifiParameterValues(device: DeviceNode, settings: WifiSettings): ParameterValueTuple[] {
  validateWifiSettings(settings);
  const dataModel = requireDataModel(device);
  if (dataModel === 'tr098') {
    const instance = instanceNumbers(device, TR098_PATHS.wifiConfigurations)[0] ?? 1;
    return [
      [pathFor(TR098_PATHS.wifiSsid, instance), settings.ssid, 'xsd:string'],
      [pathFor(TR098_PATHS.wifiPassphrase, instance), settings.passphrase, 'xsd:string'],
    ];
  }
  const ssidInstance = instanceNumbers(device, TR181_PATHS.wifiSsids)[0] ?? 1;
  const accessPoint = accessPointFor(device, ssidInstance);
  return [
    [pathFor(TR181_PATHS.wifiSsid, ssidInstance), settings.ssid, 'xsd:string'],
    [pathFor(TR181_PATHS.wifiPassphrase, accessPoint), settings.passphrase, 'xsd:string'],
  ];
}

/** setParameterValues tuples for the CPE's PPPoE username and password (the first PPP connection). */
export function pppoeParameterValues(
  device: DeviceNode,
  credentials: PppoeCredentials,
): ParameterValueTuple[] {
  validatePppoeCredentials(credentials);
  const dataModel = requireDataModel(device);
  const prefix = dataModel === 'tr181' ? firstTr181PppInterface(device) : firstTr098PppConnection(device);
  return [
    [`${prefix}.Username`, credentials.username, 'xsd:string'],
    [`${prefix}.Password`, credentials.password, 'xsd:string'],
  ];
}

export function validatePppoeCredentials(credentials: PppoeCredentials): void {
  for (const value of [credentials.username, credentials.password]) {
    if (value.length === 0 || value.length > PPP_CREDENTIAL_CHARS_MAX || !PRINTABLE_ASCII.test(value)) {
      throw new KiungaError(
        'validation_failed',
        `PPPoE usernames and passwords are 1 to ${PPP_CREDENTIAL_CHARS_MAX} printable ASCII characters.`,
      );
    }
  }
}

function requireDataModel(device: DeviceNode): DataModel {
  const dataModel = detectDataModel(device);
  if (dataModel === null) {
    throw new KiungaError(
      'validation_failed',
      `This router has not reported its ${DATA_MODEL_ROOTS.tr098} or ${DATA_MODEL_ROOTS.tr181} data yet; try again after it connects.`,
      409,
    );
  }
  return dataModel;
}

/** TR-181 AccessPoint.{i}.SSIDReference names the SSID it serves; the same instance number when none does. */
function accessPointFor(device: DeviceNode, ssidInstance: number): number {
  const target = `${TR181_PATHS.wifiSsids}.${ssidInstance}`;
  for (const accessPoint of instanceNumbers(device, TR181_PATHS.wifiAccessPoints)) {
    const reference = parameterText(device, `${TR181_PATHS.wifiAccessPoints}.${accessPoint}.SSIDReference`);
    if (reference !== undefined && reference.replace(/\.$/, '') === target) return accessPoint;
  }
  return ssidInstance;
}

function firstTr181PppInterface(device: DeviceNode): string {
  const instance = instanceNumbers(device, TR181_PATHS.pppInterfaces)[0] ?? 1;
  return `${TR181_PATHS.pppInterfaces}.${instance}`;
}

function firstTr098PppConnection(device: DeviceNode): string {
  for (const wan of instanceNumbers(device, TR098_PATHS.wanDevices)) {
    const devicesPath = `${TR098_PATHS.wanDevices}.${wan}.WANConnectionDevice`;
    for (const connectionDevice of instanceNumbers(device, devicesPath)) {
      const pppPath = `${devicesPath}.${connectionDevice}.WANPPPConnection`;
      const first = instanceNumbers(device, pppPath)[0];
      if (first !== undefined) return `${pppPath}.${first}`;
    }
  }
  return `${TR098_PATHS.wanDevices}.1.WANConnectionDevice.1.WANPPPConnection.1`;
}
