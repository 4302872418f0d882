// The screenshot script's command line and shot list (the photographing itself runs against a live demo).
import type { DemoJson } from '@kiunga/ops';
import { describe, expect, it } from 'vitest';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, shotsFor } from './shots';
import { parseScreenshotArguments } from './take';

const demo: DemoJson = {
  superAdmin: { email: 'admin@kiunga.test', password: 'admin-password' },
  tenants: [
    {
      id: 'tnt_1',
      slug: 'kilimani-net',
      name: 'Kilimani Net',
      owner: { email: 'owner@kilimani.test', password: 'owner-password' },
      nas: [{ id: 'nas_1', ip: '127.0.0.1', secret: 'secret' }],
      plans: [],
      vouchers: [],
      subscribers: [
        {
          id: 's1',
          username: 'expired1',
          password: 'p1',
          planId: 'p',
          accountNumber: 'A1',
          status: 'expired',
        },
        { id: 's2', username: 'active1', password: 'p2', planId: 'p', accountNumber: 'A2', status: 'active' },
      ],
    },
  ],
};

/** The two required flags, for cases about the others. */
const REQUIRED = ['--base-url', 'http://h:1', '--demo-json', 'd'];

describe('parseScreenshotArguments', () => {
  it('reads the base URL, the demo JSON and the optional RADIUS ports', () => {
    const options = parseScreenshotArguments([
      '--base-url',
      'http://127.0.0.1:18480/',
      '--demo-json',
      '/tmp/demo/demo.json',
      '--radius-auth-port',
      '18412',
      '--radius-acct-port',
      '18413',
    ]);
    expect(options).toMatchObject({
      baseUrl: 'http://127.0.0.1:18480',
      demoJsonPath: '/tmp/demo/demo.json',
      radius: { host: '127.0.0.1', authPort: 18412, acctPort: 18413 },
    });
    expect(options.outDir).toMatch(/docs\/screenshots$/);
  });

  it('refuses what it cannot use', () => {
    expect(() => parseScreenshotArguments(['--demo-json', 'd.json'])).toThrow('--base-url');
    expect(() =>
      parseScreenshotArguments(['--base-url', 'http://h/portal', '--demo-json', 'd.json']),
    ).toThrow('--base-url');
    expect(() => parseScreenshotArguments(['--base-url', 'http://h:1'])).toThrow('--demo-json');
    expect(() => parseScreenshotArguments([...REQUIRED, '--radius-auth-port', '1812'])).toThrow(
      'go together',
    );
    expect(() =>
      parseScreenshotArguments([...REQUIRED, '--radius-auth-port', '0', '--radius-acct-port', '1']),
    ).toThrow('port number');
  });
});

describe('shotsFor', () => {
  it('photographs the consoles on a laptop and what clients use on a phone, as the right accounts', () => {
    const shots = shotsFor(demo);
    expect(shots.map((shot) => shot.file)).toEqual([
      'login.png',
      'isp-dashboard.png',
      'isp-vouchers.png',
      'isp-live-sessions.png',
      'captive-portal-phone.png',
      'customer-portal-phone.png',
      'platform-console.png',
    ]);
    const byFile = new Map(shots.map((shot) => [shot.file, shot]));
    expect(byFile.get('captive-portal-phone.png')).toMatchObject({
      path: '/portal/kilimani-net',
      viewport: PHONE_VIEWPORT,
    });
    expect(byFile.get('customer-portal-phone.png')?.signIn).toEqual({
      kind: 'customer',
      login: 'active1',
      password: 'p2',
    });
    expect(byFile.get('platform-console.png')?.signIn).toMatchObject({ email: 'admin@kiunga.test' });
    expect(byFile.get('isp-vouchers.png')).toMatchObject({
      viewport: DESKTOP_VIEWPORT,
      signIn: { email: 'owner@kilimani.test' },
    });
  });

  it('says so when the demo has no ISP', () => {
    expect(() => shotsFor({ ...demo, tenants: [] })).toThrow('no ISP');
  });
});
