// End to end: the real ./kiunga start, driven over UDP by FreeRADIUS's radclient like a MikroTik would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecretBox } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlatform, changeTenant, queryTenant } from './support/data-access';
import {
  type DemoJson,
  makeDataDir,
  metricValue,
  type RunningKiunga,
  removeDataDir,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';
import { radclient } from './support/radclient';

let dataDir: string;
let demo: DemoJson;
let kiunga: RunningKiunga;
// Starts with '-' on purpose: the radclient helper must not read a secret as an option.
const natSecret = '-branch-router-secret';

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  // The second ISP's NAS insists on Message-Authenticator (BlastRADIUS).
  await changePlatform(
    dataDir,
    'UPDATE nas_devices SET require_message_authenticator = 1 WHERE ip_address = ?',
    '127.0.0.2',
  );
  // A router behind NAT, known only by its NAS-Identifier, for the first ISP.
  const secretBox = createSecretBox(readFileSync(join(dataDir, 'master.key'), 'utf8').trim());
  await changePlatform(
    dataDir,
    `INSERT INTO nas_devices (id, tenant_id, name, ip_address, identifier, secret_sealed,
                              require_message_authenticator, coa_port, created_at, updated_at)
     VALUES ('nas_behind_nat', ?, 'Branch router', NULL, 'branch-router', ?, 0, 3799, 0, 0)`,
    demo.tenants[0]!.id,
    secretBox.seal(natSecret),
  );
  kiunga = await startKiunga(dataDir);
});

afterAll(async () => {
  const exitCode = await kiunga?.stop();
  if (process.env.KIUNGA_TEST_DEBUG) console.log(kiunga.output());
  removeDataDir(dataDir);
  expect(exitCode).toBe(0);
});

const first = () => demo.tenants[0]!;
const second = () => demo.tenants[1]!;
const auth = (secret: string, attributes: Record<string, string | number>, timeoutSeconds = 3) =>
  radclient({ server: `127.0.0.1:${kiunga.authPort}`, command: 'auth', secret, attributes, timeoutSeconds });
const acct = (secret: string, attributes: Record<string, string | number>) =>
  radclient({ server: `127.0.0.1:${kiunga.acctPort}`, command: 'acct', secret, attributes });
const voucherWithLimit = (limit: number, index: number) =>
  first().vouchers.filter((v) => v.deviceLimit === limit)[index]!;
const subscriber = (status: string, tenant = first()) => tenant.subscribers.find((s) => s.status === status)!;

describe('hotspot vouchers over PAP and CHAP', () => {
  it('accepts a voucher with validity, idle timeout, interim interval and rate limit', async () => {
    const voucher = voucherWithLimit(1, 0);
    const reply = await auth(first().nas[0]!.secret, {
      'User-Name': voucher.code,
      'User-Password': voucher.code,
      'Calling-Station-Id': '02:00:00:00:01:01',
      'NAS-Port-Type': 'Wireless-802.11',
    });
    expect(reply.code).toBe('Access-Accept');
    expect(reply.attributes['Session-Timeout']).toBe('3600');
    expect(reply.attributes['Idle-Timeout']).toBe('900');
    expect(reply.attributes['Acct-Interim-Interval']).toBe('300');
    expect(reply.attributes['Mikrotik-Rate-Limit']).toBe('1024k/2048k');
    expect(reply.attributes['Message-Authenticator']).toMatch(/^0x[0-9a-f]{32}$/);
  });

  it('copies Proxy-State into the reply unchanged (RFC 2865 §5.33)', async () => {
    // The device the first test logged in: the same device may come back.
    const voucher = voucherWithLimit(1, 0);
    const reply = await auth(first().nas[0]!.secret, {
      'User-Name': voucher.code,
      'User-Password': voucher.code,
      'Calling-Station-Id': '02:00:00:00:01:01',
      'Proxy-State': '0x6b69756e6761',
    });
    expect(reply.code).toBe('Access-Accept');
    expect(reply.attributes['Proxy-State']).toBe('0x6b69756e6761');
  });

  it('accepts CHAP computed by radclient', async () => {
    const voucher = voucherWithLimit(2, 1);
    const reply = await auth(first().nas[0]!.secret, {
      'User-Name': voucher.code,
      'CHAP-Password': voucher.code,
      'Calling-Station-Id': '02:00:00:00:02:01',
    });
    expect(reply.code).toBe('Access-Accept');
  });

  it('rejects a wrong password with a message the client can act on', async () => {
    const voucher = voucherWithLimit(2, 1);
    const reply = await auth(first().nas[0]!.secret, {
      'User-Name': voucher.code,
      'CHAP-Password': 'not-it',
    });
    expect(reply.code).toBe('Access-Reject');
    expect(reply.attributes['Reply-Message']).toMatch(/Wrong username or password/);
  });

  it("rejects another ISP's voucher arriving through this ISP's NAS", async () => {
    const foreign = second().vouchers[0]!;
    const reply = await auth(first().nas[0]!.secret, {
      'User-Name': foreign.code,
      'User-Password': foreign.code,
    });
    expect(reply.code).toBe('Access-Reject');
  });
});

describe('changes made elsewhere', () => {
  it('sees a voucher revoked by another process on the very next request', async () => {
    const voucher = first()
      .vouchers.filter((v) => v.deviceLimit === 2)
      .at(-1)!;
    const secret = first().nas[0]!.secret;
    const login = () =>
      auth(secret, {
        'User-Name': voucher.code,
        'User-Password': voucher.code,
        'Calling-Station-Id': '02:00:00:00:0b:01',
      });
    expect((await login()).code).toBe('Access-Accept');
    // Another process: a connection of its own through the data layer.
    await changeTenant(
      kiunga.dataDir,
      first().id,
      `UPDATE vouchers SET status = 'revoked' WHERE id = ?`,
      voucher.id,
    );
    const refused = await login();
    expect(refused.code).toBe('Access-Reject');
    expect(refused.attributes['Reply-Message']).toMatch(/cancelled by your provider/);
  });
});

describe('device limits', () => {
  it('lets one device on a single-device voucher, the same device again, and no second device', async () => {
    const voucher = voucherWithLimit(1, 1);
    const secret = first().nas[0]!.secret;
    const login = (mac: string) =>
      auth(secret, { 'User-Name': voucher.code, 'User-Password': voucher.code, 'Calling-Station-Id': mac });
    expect((await login('02:00:00:00:03:01')).code).toBe('Access-Accept');
    expect((await login('02-00-00-00-03-01')).code).toBe('Access-Accept');
    const refused = await login('02:00:00:00:03:02');
    expect(refused.code).toBe('Access-Reject');
    expect(refused.attributes['Reply-Message']).toMatch(/maximum number of devices/);
  });

  it('lets two devices on a two-device voucher and refuses the third', async () => {
    const voucher = voucherWithLimit(2, 0);
    const secret = first().nas[0]!.secret;
    const login = (mac: string) =>
      auth(secret, { 'User-Name': voucher.code, 'User-Password': voucher.code, 'Calling-Station-Id': mac });
    expect((await login('02:00:00:00:04:01')).code).toBe('Access-Accept');
    expect((await login('02:00:00:00:04:02')).code).toBe('Access-Accept');
    expect((await login('02:00:00:00:04:03')).code).toBe('Access-Reject');
    expect(
      await metricValue(kiunga.baseUrl, 'kiunga_radius_rejects_total', { reason: 'device_limit_reached' }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('accounting', () => {
  it('opens, updates and closes a session, and a stop frees the device slot', async () => {
    const voucher = voucherWithLimit(1, 0);
    const secret = first().nas[0]!.secret;
    const common = {
      'User-Name': voucher.code,
      'Acct-Session-Id': '81f00001',
      'Calling-Station-Id': '02:00:00:00:01:01',
      'Framed-IP-Address': '10.5.50.7',
    };
    expect((await acct(secret, { ...common, 'Acct-Status-Type': 'Start' })).code).toBe('Accounting-Response');
    const tenant = first().id;
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_open_sessions', { tenant })).toBe(1);
    const interim = await acct(secret, {
      ...common,
      'Acct-Status-Type': 'Interim-Update',
      'Acct-Input-Octets': 1000,
      'Acct-Input-Gigawords': 1,
      'Acct-Output-Octets': 5000,
      'Acct-Session-Time': 60,
    });
    expect(interim.code).toBe('Accounting-Response');
    const open = await queryTenant<{ status: string; inputOctets: number }>(
      kiunga.dataDir,
      tenant,
      'SELECT status, input_octets AS "inputOctets" FROM sessions WHERE acct_session_id = ?',
      '81f00001',
    );
    expect(open).toEqual({ status: 'open', inputOctets: 2 ** 32 + 1000 });
    // Another device is refused while the session holds the only slot...
    const login = (mac: string) =>
      auth(secret, { 'User-Name': voucher.code, 'User-Password': voucher.code, 'Calling-Station-Id': mac });
    expect((await login('02:00:00:00:01:09')).code).toBe('Access-Reject');
    const stop = await acct(secret, {
      ...common,
      'Acct-Status-Type': 'Stop',
      'Acct-Terminate-Cause': 'Idle-Timeout',
      'Acct-Session-Time': 120,
    });
    expect(stop.code).toBe('Accounting-Response');
    const closed = await queryTenant(
      kiunga.dataDir,
      tenant,
      'SELECT status, terminate_cause AS cause FROM sessions WHERE acct_session_id = ?',
      '81f00001',
    );
    expect(closed).toEqual({ status: 'closed', cause: 'Idle-Timeout' });
    // ...and after the idle logout the voucher is usable again, on a new device too.
    expect((await login('02:00:00:00:01:09')).code).toBe('Access-Accept');
    expect(
      await metricValue(kiunga.baseUrl, 'kiunga_radius_accounting_records_total', { status: 'stop' }),
    ).toBe(1);
  });

  it('closes every session of a NAS on Accounting-On', async () => {
    const voucher = voucherWithLimit(2, 1);
    const secret = first().nas[0]!.secret;
    for (const sessionId of ['a0000001', 'a0000002']) {
      await acct(secret, {
        'User-Name': voucher.code,
        'Acct-Session-Id': sessionId,
        'Calling-Station-Id': `02:00:00:00:0a:${sessionId.slice(-2)}`,
        'Acct-Status-Type': 'Start',
      });
    }
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_open_sessions', { tenant: first().id })).toBe(2);
    expect(
      (await acct(secret, { 'Acct-Status-Type': 'Accounting-On', 'NAS-Identifier': 'kilimani' })).code,
    ).toBe('Accounting-Response');
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_open_sessions', { tenant: first().id })).toBe(0);
  });
});

describe('PPPoE subscribers', () => {
  it('accepts an active subscriber and rejects expired and suspended ones with their reason', async () => {
    const secret = first().nas[0]!.secret;
    const login = (account: { username: string; password: string }) =>
      auth(secret, {
        'User-Name': account.username,
        'User-Password': account.password,
        'Service-Type': 'Framed-User',
        'Framed-Protocol': 'PPP',
      });
    const active = await login(subscriber('active'));
    expect(active.code).toBe('Access-Accept');
    expect(active.attributes['Mikrotik-Rate-Limit']).toMatch(/^\d+k\/\d+k/);
    const expired = await login(subscriber('expired'));
    expect(expired.code).toBe('Access-Reject');
    expect(expired.attributes['Reply-Message']).toMatch(/expired/);
    const suspended = await login(subscriber('suspended'));
    expect(suspended.attributes['Reply-Message']).toMatch(/suspended/);
    expect((await login({ ...subscriber('active'), password: 'wrong' })).code).toBe('Access-Reject');
  });

  it('finds a DOMAIN\\user account (Windows, some CPEs) by its name without the domain, over PAP and CHAP', async () => {
    const account = subscriber('active');
    const secret = first().nas[0]!.secret;
    // radclient reads a doubled backslash inside quotes as one: on the wire, WORKGROUP\<username>.
    const userName = `WORKGROUP\\\\${account.username}`;
    const framed = { 'Service-Type': 'Framed-User', 'Framed-Protocol': 'PPP' };
    const pap = await auth(secret, { 'User-Name': userName, 'User-Password': account.password, ...framed });
    expect(pap.output).toContain(`WORKGROUP\\\\${account.username}`);
    expect(pap.code).toBe('Access-Accept');
    const chap = await auth(secret, { 'User-Name': userName, 'CHAP-Password': account.password, ...framed });
    expect(chap.code).toBe('Access-Accept');
    const wrong = await auth(secret, {
      'User-Name': userName,
      'CHAP-Password': 'not-the-password',
      ...framed,
    });
    expect(wrong.code).toBe('Access-Reject');
  });

  it('lets a PPPoE account online on one device only, with a message that says so', async () => {
    const account = first().subscribers.find((s) => s.username === 'otieno')!;
    const secret = first().nas[0]!.secret;
    const login = (mac: string) =>
      auth(secret, {
        'User-Name': account.username,
        'User-Password': account.password,
        'Framed-Protocol': 'PPP',
        'Calling-Station-Id': mac,
      });
    expect((await login('02:00:00:00:0c:01')).code).toBe('Access-Accept');
    const second = await login('02:00:00:00:0c:02');
    expect(second.code).toBe('Access-Reject');
    expect(second.attributes['Reply-Message']).toMatch(/already online on another device/);
  });

  it('hands a static subscriber its Framed-IP-Address', async () => {
    const business = first().subscribers.find((s) => s.username === 'duka-la-mama')!;
    const reply = await auth(first().nas[0]!.secret, {
      'User-Name': business.username,
      'User-Password': business.password,
    });
    expect(reply.code).toBe('Access-Accept');
    expect(reply.attributes['Framed-IP-Address']).toBe('10.20.0.10');
  });
});

describe('who may talk to the server', () => {
  it('answers Status-Server on both ports', async () => {
    const secret = first().nas[0]!.secret;
    const onAuth = await radclient({
      server: `127.0.0.1:${kiunga.authPort}`,
      command: 'status',
      secret,
      attributes: { 'Message-Authenticator': '0x00' },
    });
    expect(onAuth.code).toBe('Access-Accept');
    const onAcct = await radclient({
      server: `127.0.0.1:${kiunga.acctPort}`,
      command: 'status',
      secret,
      attributes: { 'Message-Authenticator': '0x00' },
    });
    expect(onAcct.code).toBe('Accounting-Response');
  });

  it('drops a request signed with the wrong secret, and counts it', async () => {
    const before = await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total');
    const voucher = voucherWithLimit(2, 1);
    const reply = await auth(
      'wrong-secret',
      { 'User-Name': voucher.code, 'User-Password': voucher.code, 'Message-Authenticator': '0x00' },
      1,
    );
    expect(reply.code).toBeNull();
    expect(
      await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total', { reason: 'bad_message_authenticator' }),
    ).toBeGreaterThan(0);
    expect(await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total')).toBeGreaterThan(before);
  });

  it('drops requests from an unknown NAS address silently', async () => {
    const voucher = voucherWithLimit(2, 1);
    const reply = await auth(
      first().nas[0]!.secret,
      { 'Packet-Src-IP-Address': '127.0.0.9', 'User-Name': voucher.code, 'User-Password': voucher.code },
      1,
    );
    expect(reply.code).toBeNull();
    expect(
      await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total', { reason: 'unknown_nas' }),
    ).toBeGreaterThan(0);
  });

  it('serves the second ISP from its own NAS and requires its Message-Authenticator', async () => {
    const tenant = second();
    const voucher = tenant.vouchers[0]!;
    const base = {
      'Packet-Src-IP-Address': '127.0.0.2',
      'User-Name': voucher.code,
      'User-Password': voucher.code,
    };
    const unsigned = await auth(tenant.nas[0]!.secret, base, 1);
    expect(unsigned.code).toBeNull();
    expect(
      await metricValue(kiunga.baseUrl, 'kiunga_radius_drops_total', {
        reason: 'missing_message_authenticator',
      }),
    ).toBeGreaterThan(0);
    const signed = await auth(tenant.nas[0]!.secret, { ...base, 'Message-Authenticator': '0x00' });
    expect(signed.code).toBe('Access-Accept');
    // And the first ISP's voucher is unknown there.
    const foreign = await auth(tenant.nas[0]!.secret, {
      ...base,
      'User-Name': first().vouchers[3]!.code,
      'User-Password': first().vouchers[3]!.code,
      'Message-Authenticator': '0x00',
    });
    expect(foreign.code).toBe('Access-Reject');
  });
  it('serves a NAS behind NAT by NAS-Identifier only when it signs with Message-Authenticator', async () => {
    const voucher = first().vouchers.filter((v) => v.deviceLimit === 2)[1]!;
    const base = {
      'Packet-Src-IP-Address': '127.0.0.5',
      'NAS-Identifier': 'branch-router',
      'User-Name': voucher.code,
      'User-Password': voucher.code,
    };
    expect((await auth(natSecret, base, 1)).code).toBeNull();
    const signed = await auth(natSecret, { ...base, 'Message-Authenticator': '0x00' });
    expect(signed.code).toBe('Access-Accept');
    expect(
      (
        await auth(
          natSecret,
          { ...base, 'NAS-Identifier': 'unknown-router', 'Message-Authenticator': '0x00' },
          1,
        )
      ).code,
    ).toBeNull();
  });
});
