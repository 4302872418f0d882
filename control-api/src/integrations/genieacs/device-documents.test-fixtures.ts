// GenieACS device documents as its NBI answers them (JSON of the MongoDB document, lib/cwmp/db.ts
// layout), one per data model, for the helpers' tests. Written out by hand, apart from the simulator's.
import type { GenieAcsDevice } from './schemas';

const at = '2026-01-01T08:59:00.000Z';

function leaf(value: string | number | boolean, type = 'xsd:string', writable = false) {
  return { _value: value, _type: type, _timestamp: at, _writable: writable };
}

export const TR098_DEVICE: GenieAcsDevice = {
  _id: '00259E-HG8245H-48575443A1B2C3D4',
  _deviceId: {
    _Manufacturer: 'Huawei',
    _OUI: '00259E',
    _ProductClass: 'HG8245H',
    _SerialNumber: '48575443A1B2C3D4',
  },
  _lastInform: '2026-01-01T08:58:00.000Z',
  _registered: '2025-12-01T10:00:00.000Z',
  _tags: ['kiunga-tenant-ten_demo1'],
  InternetGatewayDevice: {
    _object: true,
    DeviceInfo: {
      _object: true,
      SerialNumber: leaf('48575443A1B2C3D4'),
      ProductClass: leaf('HG8245H'),
      SoftwareVersion: leaf('V3R017C10S115'),
      HardwareVersion: leaf('10C7.A'),
      UpTime: leaf(86_400, 'xsd:unsignedInt'),
    },
    WANDevice: {
      1: {
        WANConnectionDevice: {
          1: {
            WANIPConnection: {
              1: { ConnectionStatus: leaf('Disconnected'), ExternalIPAddress: leaf('0.0.0.0') },
            },
          },
          2: {
            WANPPPConnection: {
              1: {
                ConnectionStatus: leaf('Connected'),
                ExternalIPAddress: leaf('100.64.12.7'),
                Username: leaf('acc-1001', 'xsd:string', true),
                Password: leaf('', 'xsd:string', true),
              },
            },
          },
        },
      },
    },
    LANDevice: {
      1: {
        WLANConfiguration: {
          1: {
            SSID: leaf('Wanjiku-Home', 'xsd:string', true),
            PreSharedKey: { 1: { KeyPassphrase: leaf('', 'xsd:string', true) } },
          },
          2: { SSID: leaf('Wanjiku-Guest', 'xsd:string', true) },
        },
      },
    },
  },
};

export const TR181_DEVICE: GenieAcsDevice = {
  _id: 'E8CC8C-AX3000-ZTEGC8A1B2C3',
  _deviceId: { _Manufacturer: 'ZTE', _OUI: 'E8CC8C', _ProductClass: 'AX3000', _SerialNumber: 'ZTEGC8A1B2C3' },
  _lastInform: '2026-01-01T07:00:00.000Z',
  _tags: [],
  Device: {
    _object: true,
    DeviceInfo: {
      SerialNumber: leaf('ZTEGC8A1B2C3'),
      ProductClass: leaf('AX3000'),
      SoftwareVersion: leaf('V9.0.10P2N1'),
      UpTime: leaf('3600', 'xsd:unsignedInt'),
    },
    PPP: {
      Interface: {
        1: {
          ConnectionStatus: leaf('Connected'),
          Username: leaf('acc-2002', 'xsd:string', true),
          Password: leaf('', 'xsd:string', true),
        },
      },
    },
    IP: {
      Interface: {
        1: {
          Type: leaf('Normal'),
          LowerLayers: leaf('Device.Bridging.Bridge.1.Port.1'),
          IPv4Address: { 1: { IPAddress: leaf('192.168.1.1') } },
        },
        2: {
          Type: leaf('Normal'),
          LowerLayers: leaf('Device.PPP.Interface.1'),
          IPv4Address: { 1: { IPAddress: leaf('10.20.30.40') } },
        },
      },
    },
    WiFi: {
      SSID: { 1: { SSID: leaf('Otieno-5G', 'xsd:string', true) }, 2: { SSID: leaf('Otieno-2G') } },
      AccessPoint: {
        1: { SSIDReference: leaf('Device.WiFi.SSID.2'), Security: { KeyPassphrase: leaf('') } },
        2: { SSIDReference: leaf('Device.WiFi.SSID.1.'), Security: { KeyPassphrase: leaf('') } },
      },
    },
  },
};

/** Registered, never informed with data: what GenieACS holds before the first full session. */
export const BARE_DEVICE: GenieAcsDevice = { _id: 'A0B1C2-Unknown-0001' };
