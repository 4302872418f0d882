import { ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { detectDataModel, instanceNumbers, parameterValue } from './data-models';
import { BARE_DEVICE, TR098_DEVICE, TR181_DEVICE } from './device-documents.test-fixtures';
import { isCpeOnline, ONLINE_THRESHOLD_MS, summarizeDevice } from './device-summary';

const clock = new ManualClock(Date.parse('2026-01-01T09:00:00.000Z'));

describe('summarizeDevice', () => {
  it('reads a TR-098 CPE: the connected PPPoE WAN, not the disconnected IP one', () => {
    expect(summarizeDevice(TR098_DEVICE, clock)).toEqual({
      id: '00259E-HG8245H-48575443A1B2C3D4',
      serialNumber: '48575443A1B2C3D4',
      productClass: 'HG8245H',
      manufacturer: 'Huawei',
      oui: '00259E',
      lastInformAt: Date.parse('2026-01-01T08:58:00.000Z'),
      isOnline: true,
      tags: ['kiunga-tenant-ten_demo1'],
      dataModel: 'tr098',
      softwareVersion: 'V3R017C10S115',
      hardwareVersion: '10C7.A',
      upTimeSeconds: 86_400,
      wanIpAddress: '100.64.12.7',
      pppoeUsername: 'acc-1001',
      wifiSsid: 'Wanjiku-Home',
    });
  });

  it('reads a TR-181 CPE: the IP interface stacked on PPP, not the LAN bridge', () => {
    const summary = summarizeDevice(TR181_DEVICE, clock);
    expect(summary).toMatchObject({
      dataModel: 'tr181',
      serialNumber: 'ZTEGC8A1B2C3',
      productClass: 'AX3000',
      softwareVersion: 'V9.0.10P2N1',
      upTimeSeconds: 3600,
      wanIpAddress: '10.20.30.40',
      pppoeUsername: 'acc-2002',
      wifiSsid: 'Otieno-5G',
      isOnline: false,
      hardwareVersion: null,
    });
  });

  it('knows nothing of a device that has not reported its data model yet', () => {
    expect(summarizeDevice(BARE_DEVICE, clock)).toMatchObject({
      dataModel: null,
      serialNumber: null,
      lastInformAt: null,
      isOnline: false,
      wanIpAddress: null,
      pppoeUsername: null,
      wifiSsid: null,
      tags: [],
    });
  });

  it('prefers the DeviceID of the Inform over DeviceInfo parameters', () => {
    const device = { ...TR098_DEVICE, _deviceId: { _SerialNumber: 'FROM-INFORM' } };
    expect(summarizeDevice(device, clock).serialNumber).toBe('FROM-INFORM');
    expect(summarizeDevice({ ...TR098_DEVICE, _deviceId: {} }, clock).serialNumber).toBe('48575443A1B2C3D4');
  });
});

describe('isCpeOnline', () => {
  it('is online for five minutes after an Inform, as GenieACS shows it', () => {
    const informAt = clock.now() - ONLINE_THRESHOLD_MS + 1;
    expect(isCpeOnline(informAt, clock)).toBe(true);
    expect(isCpeOnline(informAt - 1, clock)).toBe(false);
    expect(isCpeOnline(null, clock)).toBe(false);
  });
});

describe('document helpers', () => {
  it('detects the data model and lists instances in order', () => {
    expect(detectDataModel(TR098_DEVICE)).toBe('tr098');
    expect(detectDataModel(TR181_DEVICE)).toBe('tr181');
    expect(detectDataModel(BARE_DEVICE)).toBeNull();
    expect(instanceNumbers(TR098_DEVICE, 'InternetGatewayDevice.LANDevice.1.WLANConfiguration')).toEqual([
      1, 2,
    ]);
    expect(instanceNumbers(TR181_DEVICE, 'Device.Nothing')).toEqual([]);
  });

  it('reads values and leaves objects alone', () => {
    expect(parameterValue(TR181_DEVICE, 'Device.DeviceInfo.UpTime')).toBe('3600');
    expect(parameterValue(TR181_DEVICE, 'Device.DeviceInfo')).toBeUndefined();
    expect(parameterValue(TR181_DEVICE, 'Device.DeviceInfo.UpTime.Nothing')).toBeUndefined();
  });
});
