import { describe, expect, it } from 'vitest';
import type { CpeSummary } from '../../../integrations/genieacs/device-summary';
import { type BindableSubscriber, cpeListItem, createCpeBinder } from './binding';

const cpe: CpeSummary = {
  id: '00259E-HG8245H-48575443A1B2C3D4',
  serialNumber: '48575443A1B2C3D4',
  productClass: 'HG8245H',
  manufacturer: 'Huawei',
  oui: '00259E',
  lastInformAt: Date.UTC(2030, 0, 14, 7),
  isOnline: true,
  tags: [],
  dataModel: 'tr098',
  softwareVersion: null,
  hardwareVersion: null,
  upTimeSeconds: null,
  wanIpAddress: null,
  pppoeUsername: 'acc-1001',
  wifiSsid: null,
};

const subscriber = (
  id: string,
  username: string,
  cpeSerialNumber: string | null = null,
): BindableSubscriber => ({
  id,
  username,
  cpeSerialNumber,
});

describe('createCpeBinder', () => {
  it('binds by the serial number the ISP recorded, ignoring case and spaces, before the PPPoE username', () => {
    const bind = createCpeBinder([
      subscriber('sub_a', 'acc-1001'),
      subscriber('sub_b', 'acc-2002', ' 48575443a1b2c3d4 '),
    ]);
    expect(bind(cpe)).toEqual({ subscriberId: 'sub_b', matchedBy: 'serial_number' });
  });

  it('binds by the PPPoE username the CPE reports when no serial is recorded', () => {
    const bind = createCpeBinder([subscriber('sub_a', 'acc-1001'), subscriber('sub_b', 'acc-2002')]);
    expect(bind(cpe)).toEqual({ subscriberId: 'sub_a', matchedBy: 'pppoe_username' });
    expect(bind({ ...cpe, pppoeUsername: 'ACC-1001' }).subscriberId).toBeNull();
  });

  it('never guesses between two subscribers claiming the same CPE', () => {
    const bind = createCpeBinder([
      subscriber('sub_a', 'acc-1', '48575443A1B2C3D4'),
      subscriber('sub_b', 'acc-2', '48575443A1B2C3D4'),
    ]);
    expect(bind(cpe)).toEqual({ subscriberId: null, matchedBy: null, isAmbiguous: true });
    expect(createCpeBinder([])(cpe)).toEqual({ subscriberId: null, matchedBy: null, isAmbiguous: false });
  });

  it('lists a CPE in the shape of GET /api/v1/cpes', () => {
    const bind = createCpeBinder([subscriber('sub_a', 'acc-1001')]);
    expect(cpeListItem(cpe, bind(cpe))).toEqual({
      id: '00259E-HG8245H-48575443A1B2C3D4',
      serialNumber: '48575443A1B2C3D4',
      productClass: 'HG8245H',
      lastInform: Date.UTC(2030, 0, 14, 7),
      online: true,
      subscriberId: 'sub_a',
    });
  });
});
