// The CPEs the GenieACS simulator starts with: a TR-098 ONT and a TR-181 router that answer connection
// requests, and a TR-098 router that is offline (tasks for it stay queued). Parameter paths and types
// follow Broadband Forum TR-098 Amendment 8 and TR-181 Issue 2 Amendment 18 (cwmp-data-models).
import type { XsdType } from '@kiunga/control-api/integrations/genieacs';

export interface ParameterDefinition {
  readonly value: string | number | boolean;
  readonly type: XsdType;
  readonly isWritable: boolean;
  /** The CPE refuses a longer (or shorter) string with CWMP fault 9007 (invalid parameter value). */
  readonly lengthMin?: number;
  readonly lengthMax?: number;
  /** Reads back as an empty string, whatever was set (TR-098/TR-181 passwords and passphrases). */
  readonly isSecret?: boolean;
}

export interface DeviceFixture {
  readonly id: string;
  readonly manufacturer: string;
  readonly oui: string;
  readonly productClass: string;
  readonly serialNumber: string;
  /** Answers connection requests: tasks run at once (HTTP 200); otherwise they wait (202). */
  readonly isOnline: boolean;
  /** How long before the simulator's start the device last informed. */
  readonly lastInformAgoMs: number;
  readonly tags: readonly string[];
  readonly parameters: Readonly<Record<string, ParameterDefinition>>;
}

const readOnly = (value: string | number, type: XsdType = 'xsd:string'): ParameterDefinition => ({
  value,
  type,
  isWritable: false,
});
const writable = (value: string | number | boolean, extra: Partial<ParameterDefinition> = {}) =>
  ({ value, type: 'xsd:string', isWritable: true, ...extra }) as ParameterDefinition;
const ssid = (value: string) => writable(value, { lengthMin: 1, lengthMax: 32 });
const passphrase = () => writable('', { lengthMin: 8, lengthMax: 63, isSecret: true });
const credential = (value: string, isSecret = false) => writable(value, { lengthMax: 64, isSecret });

function tr098Parameters(serialNumber: string, productClass: string, username: string, ssidName: string) {
  const device = 'InternetGatewayDevice.DeviceInfo';
  const ppp = 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1';
  const wlan = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1';
  return {
    [`${device}.SerialNumber`]: readOnly(serialNumber),
    [`${device}.ProductClass`]: readOnly(productClass),
    [`${device}.SoftwareVersion`]: readOnly('V3R017C10S115'),
    [`${device}.HardwareVersion`]: readOnly('10C7.A'),
    [`${device}.UpTime`]: readOnly(86_400, 'xsd:unsignedInt'),
    'InternetGatewayDevice.ManagementServer.PeriodicInformInterval': writable(300, {
      type: 'xsd:unsignedInt',
    }),
    [`${ppp}.ConnectionStatus`]: readOnly('Connected'),
    [`${ppp}.ExternalIPAddress`]: readOnly('100.64.12.7'),
    [`${ppp}.Username`]: credential(username),
    [`${ppp}.Password`]: credential('', true),
    [`${wlan}.SSID`]: ssid(ssidName),
    [`${wlan}.PreSharedKey.1.KeyPassphrase`]: passphrase(),
    [`${wlan}.KeyPassphrase`]: passphrase(),
  };
}

function tr181Parameters(serialNumber: string, productClass: string, username: string, ssidName: string) {
  return {
    'Device.DeviceInfo.SerialNumber': readOnly(serialNumber),
    'Device.DeviceInfo.ProductClass': readOnly(productClass),
    'Device.DeviceInfo.SoftwareVersion': readOnly('V9.0.10P2N1'),
    'Device.DeviceInfo.UpTime': readOnly(3_600, 'xsd:unsignedInt'),
    'Device.ManagementServer.PeriodicInformInterval': writable(300, { type: 'xsd:unsignedInt' }),
    'Device.PPP.Interface.1.ConnectionStatus': readOnly('Connected'),
    'Device.PPP.Interface.1.Username': credential(username),
    'Device.PPP.Interface.1.Password': credential('', true),
    'Device.IP.Interface.1.Type': readOnly('Normal'),
    'Device.IP.Interface.1.LowerLayers': readOnly('Device.Bridging.Bridge.1.Port.1'),
    'Device.IP.Interface.1.IPv4Address.1.IPAddress': readOnly('192.168.1.1'),
    'Device.IP.Interface.2.Type': readOnly('Normal'),
    'Device.IP.Interface.2.LowerLayers': readOnly('Device.PPP.Interface.1'),
    'Device.IP.Interface.2.IPv4Address.1.IPAddress': readOnly('10.20.30.40'),
    'Device.WiFi.SSID.1.SSID': ssid(ssidName),
    'Device.WiFi.AccessPoint.1.SSIDReference': readOnly('Device.WiFi.SSID.1'),
    'Device.WiFi.AccessPoint.1.Security.KeyPassphrase': passphrase(),
  };
}

export const TR098_ONLINE_ID = '00259E-HG8245H-48575443A1B2C3D4';
export const TR181_ONLINE_ID = 'E8CC8C-AX3000-ZTEGC8A1B2C3';
export const TR098_OFFLINE_ID = '50C7BF-Archer%20C6-22251A0001234';

export const DEFAULT_DEVICES: readonly DeviceFixture[] = [
  {
    id: TR098_ONLINE_ID,
    manufacturer: 'Huawei',
    oui: '00259E',
    productClass: 'HG8245H',
    serialNumber: '48575443A1B2C3D4',
    isOnline: true,
    lastInformAgoMs: 60_000,
    tags: [],
    parameters: tr098Parameters('48575443A1B2C3D4', 'HG8245H', 'acc-1001', 'Wanjiku-Home'),
  },
  {
    id: TR181_ONLINE_ID,
    manufacturer: 'ZTE',
    oui: 'E8CC8C',
    productClass: 'AX3000',
    serialNumber: 'ZTEGC8A1B2C3',
    isOnline: true,
    lastInformAgoMs: 120_000,
    tags: [],
    parameters: tr181Parameters('ZTEGC8A1B2C3', 'AX3000', 'acc-2002', 'Otieno-5G'),
  },
  {
    // GenieACS escapes the space of the product class in the id (lib/util.ts generateDeviceId).
    id: TR098_OFFLINE_ID,
    manufacturer: 'TP-Link',
    oui: '50C7BF',
    productClass: 'Archer C6',
    serialNumber: '22251A0001234',
    isOnline: false,
    lastInformAgoMs: 2 * 24 * 60 * 60 * 1000,
    tags: [],
    parameters: tr098Parameters('22251A0001234', 'Archer C6', 'acc-3003', 'Kamau-WiFi'),
  },
];
