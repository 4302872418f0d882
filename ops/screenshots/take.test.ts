// The screenshot script's command line and shot list, and the README showing only pictures it makes (the
// photographing itself needs a running demo and Chromium: `node --import tsx ops/screenshots/take.ts`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoJson } from '@kiunga/ops';
import { describe, expect, it } from 'vitest';
import type { ScreenshotAccounts } from './demo-accounts';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, shotsFor } from './shots';
import { parseScreenshotArguments } from './take';

const REPOSITORY_ROOT = join(import.meta.dirname, '..', '..');

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

const accounts: ScreenshotAccounts = {
  technician: { email: 'fundi@kilimani-net.demo', password: 'fundi-password' },
  reseller: { email: 'kiosk@kilimani-net.demo', password: 'kiosk-password' },
};

describe('parseScreenshotArguments', () => {
  it('writes into docs/screenshots unless told otherwise', () => {
    expect(parseScreenshotArguments([]).outDir).toMatch(/docs\/screenshots$/);
    expect(parseScreenshotArguments(['--out', '/tmp/shots']).outDir).toBe('/tmp/shots');
  });

  it('refuses a switch it does not know', () => {
    expect(() => parseScreenshotArguments(['--base-url', 'http://h:1'])).toThrow('base-url');
  });
});

describe('shotsFor', () => {
  it('photographs the consoles on a laptop and what clients, technicians and resellers use on a phone', () => {
    const shots = shotsFor(demo, accounts);
    const byFile = new Map(shots.map((shot) => [shot.file, shot]));
    expect(byFile.get('isp-subscriber.png')).toMatchObject({
      path: '/isp/subscribers/s2',
      viewport: DESKTOP_VIEWPORT,
      signIn: { email: 'owner@kilimani.test' },
    });
    expect(byFile.get('isp-router-health.png')?.path).toBe('/isp/nas/nas_1/health');
    expect(byFile.get('platform-analytics.png')).toMatchObject({
      path: '/platform/analytics',
      signIn: { email: 'admin@kiunga.test' },
    });
    expect(byFile.get('captive-portal-phone.png')).toMatchObject({
      path: '/portal/kilimani-net',
      viewport: PHONE_VIEWPORT,
    });
    expect(byFile.get('customer-portal-phone.png')?.signIn).toEqual({
      kind: 'customer',
      login: 'active1',
      password: 'p2',
    });
    expect(byFile.get('technician-panel-phone.png')).toMatchObject({
      path: '/tech',
      viewport: PHONE_VIEWPORT,
      signIn: { kind: 'console', email: 'fundi@kilimani-net.demo' },
    });
    expect(byFile.get('reseller-console-phone.png')).toMatchObject({
      path: '/reseller',
      viewport: PHONE_VIEWPORT,
      signIn: { kind: 'console', email: 'kiosk@kilimani-net.demo' },
    });
    expect(new Set(shots.map((shot) => shot.file)).size).toBe(shots.length);
  });

  it('says so when the demo has no ISP', () => {
    expect(() => shotsFor({ ...demo, tenants: [] }, accounts)).toThrow('no ISP');
  });
});

describe('the README and the script', () => {
  it('show the same screenshots: none referenced that the script does not make, none made and not shown', () => {
    const readme = readFileSync(join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    const referenced = [...readme.matchAll(/docs\/screenshots\/([\w.-]+)/g)].map((match) => match[1]);
    const made = shotsFor(demo, accounts).map((shot) => shot.file);
    expect(referenced.length).toBeGreaterThan(0);
    expect([...new Set(referenced)].sort()).toEqual([...made].sort());
  });

  it("lists every picture in ops/screenshots/README.md's table", () => {
    const table = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8');
    const listed = [...table.matchAll(/^\| `([\w.-]+\.png)` \|/gm)].map((match) => match[1]);
    expect(listed).toEqual(shotsFor(demo, accounts).map((shot) => shot.file));
  });
});
