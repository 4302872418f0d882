import { KiungaError } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BARE_DEVICE, TR098_DEVICE, TR181_DEVICE } from './device-documents.test-fixtures';
import {
  isValidPassphrase,
  PASSPHRASE_CHARS_MAX,
  PASSPHRASE_CHARS_MIN,
  pppoeParameterValues,
  validateWifiSettings,
  wifiParameterValues,
} from './parameter-writes';
import {
  isDeviceOfTenant,
  PPPOE_PROVISION_NAME,
  pppoePresetFor,
  tenantDeviceQuery,
  tenantTag,
} from './provisioning';
import { genieAcsPresetSchema, genieAcsTaskSchema } from './schemas';

const wifi = { ssid: 'Nyumbani', passphrase: 'karibu sana 2026' };

function refusal(run: () => unknown): KiungaError {
  try {
    run();
  } catch (error) {
    if (error instanceof KiungaError) return error;
    throw error;
  }
  throw new Error('expected a KiungaError');
}

describe('wifiParameterValues', () => {
  it('writes the TR-098 SSID and the WPA passphrase of PreSharedKey.1', () => {
    expect(wifiParameterValues(TR098_DEVICE, wifi)).toEqual([
      ['InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID', 'Nyumbani', 'xsd:string'],
      [
        'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.1.KeyPassphrase',
        'karibu sana 2026',
        'xsd:string',
      ],
    ]);
  });

  it('writes the TR-181 SSID and the passphrase of the access point that serves it', () => {
    // AccessPoint.2 references SSID.1 in the fixture: the passphrase goes there, not to AccessPoint.1.
    expect(wifiParameterValues(TR181_DEVICE, wifi)).toEqual([
      ['Device.WiFi.SSID.1.SSID', 'Nyumbani', 'xsd:string'],
      ['Device.WiFi.AccessPoint.2.Security.KeyPassphrase', 'karibu sana 2026', 'xsd:string'],
    ]);
  });

  it('produces tasks GenieACS accepts for both data models', () => {
    for (const device of [TR098_DEVICE, TR181_DEVICE]) {
      const task = { name: 'setParameterValues', parameterValues: wifiParameterValues(device, wifi) };
      expect(genieAcsTaskSchema.safeParse(task).success).toBe(true);
    }
  });

  it('refuses a device that has not reported a data model, with 409', () => {
    const error = refusal(() => wifiParameterValues(BARE_DEVICE, wifi));
    expect(error.code).toBe('validation_failed');
    expect(error.httpStatus).toBe(409);
  });

  it('refuses SSIDs over 32 bytes, counting UTF-8 bytes', () => {
    expect(() => validateWifiSettings({ ssid: 'a'.repeat(32), passphrase: wifi.passphrase })).not.toThrow();
    expect(
      refusal(() => validateWifiSettings({ ssid: 'é'.repeat(17), passphrase: wifi.passphrase })).code,
    ).toBe('validation_failed');
    expect(refusal(() => validateWifiSettings({ ssid: '', passphrase: wifi.passphrase })).code).toBe(
      'validation_failed',
    );
  });

  it('accepts exactly the 8 to 63 printable ASCII passphrases', () => {
    // Code units up to U+03FF: all of ASCII (printable or not) and a band of accented letters.
    const codeUnit = fc.integer({ min: 0, max: 0x3ff }).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit: codeUnit, maxLength: 80 }), (passphrase) => {
        const isPrintableAscii = [...passphrase].every((character) => {
          const code = character.codePointAt(0) as number;
          return code >= 0x20 && code <= 0x7e;
        });
        const expected =
          passphrase.length >= PASSPHRASE_CHARS_MIN &&
          passphrase.length <= PASSPHRASE_CHARS_MAX &&
          isPrintableAscii;
        return isValidPassphrase(passphrase) === expected;
      }),
    );
    expect(() => validateWifiSettings({ ssid: 'x', passphrase: 'seven77' })).toThrow(KiungaError);
    expect(() => validateWifiSettings({ ssid: 'x', passphrase: 'nenosiri-é-2026' })).toThrow(KiungaError);
    expect(() => validateWifiSettings({ ssid: 'x', passphrase: 'p'.repeat(63) })).not.toThrow();
  });
});

describe('pppoeParameterValues', () => {
  const credentials = { username: 'acc-3003', password: 's3cret-pass' };

  it('writes the first WANPPPConnection on TR-098', () => {
    expect(pppoeParameterValues(TR098_DEVICE, credentials)).toEqual([
      [
        'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.2.WANPPPConnection.1.Username',
        'acc-3003',
        'xsd:string',
      ],
      [
        'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.2.WANPPPConnection.1.Password',
        's3cret-pass',
        'xsd:string',
      ],
    ]);
  });

  it('writes Device.PPP.Interface on TR-181', () => {
    expect(pppoeParameterValues(TR181_DEVICE, credentials)).toEqual([
      ['Device.PPP.Interface.1.Username', 'acc-3003', 'xsd:string'],
      ['Device.PPP.Interface.1.Password', 's3cret-pass', 'xsd:string'],
    ]);
  });

  it('refuses credentials longer than the data models allow', () => {
    expect(
      refusal(() => pppoeParameterValues(TR181_DEVICE, { username: 'u'.repeat(65), password: 'p' })).code,
    ).toBe('validation_failed');
  });
});

describe('tenant tags and presets', () => {
  it('limits a shared ACS to the tagged devices of one ISP', () => {
    expect(tenantTag('ten_demo1')).toBe('kiunga-tenant-ten_demo1');
    expect(tenantDeviceQuery('ten_demo1')).toEqual({ _tags: 'kiunga-tenant-ten_demo1' });
    expect(tenantDeviceQuery('ten_demo1', { _id: 'x' })).toEqual({
      $and: [{ _tags: 'kiunga-tenant-ten_demo1' }, { _id: 'x' }],
    });
    expect(isDeviceOfTenant(TR098_DEVICE, 'ten_demo1')).toBe(true);
    expect(isDeviceOfTenant(TR098_DEVICE, 'ten_other')).toBe(false);
    expect(isDeviceOfTenant(TR181_DEVICE, 'ten_demo1')).toBe(false);
    expect(() => tenantTag('ten/../x')).toThrow(RangeError);
  });

  it('builds a preset GenieACS stores, keyed on the serial number', () => {
    const { name, preset } = pppoePresetFor({
      tenantId: 'ten_demo1',
      subscriberId: 'sub_abc',
      serialNumber: 'ZTEGC8A1B2C3',
      username: 'acc-2002',
      password: 'pw',
    });
    expect(name).toBe('kiunga-ten_demo1-sub_abc');
    expect(genieAcsPresetSchema.parse(preset)).toEqual(preset);
    expect(JSON.parse(preset.precondition ?? '')).toEqual({ 'DeviceID.SerialNumber': 'ZTEGC8A1B2C3' });
    expect(preset.configurations).toEqual([
      { type: 'provision', name: PPPOE_PROVISION_NAME, args: ['acc-2002', 'pw'] },
    ]);
  });
});
