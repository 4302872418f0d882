// End to end: the RouterOS script a real ./kiunga serves when its RADIUS addresses are configured and
// its public URL is HTTPS, what an ISP may override in it, and what it refuses.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';

const suite = useDemoKiunga({
  KIUNGA_RADIUS_PUBLIC_ADDRESS: '203.0.113.10, 2001:db8::10',
  KIUNGA_PUBLIC_URL: 'https://kiunga.example',
});
let owner: ApiClient;
let nasId: string;

beforeAll(async () => {
  owner = await login(suite.baseUrl, suite.demo.tenants[0]!.owner);
  nasId = suite.demo.tenants[0]!.nas[0]!.id;
});

const slug = () => suite.demo.tenants[0]!.slug;
const scriptLines = async (query = '') => {
  const response = await owner.get(`/api/v1/nas/${nasId}/routeros-script${query}`);
  expect(response.status, response.text).toBe(200);
  return response.text.split('\n');
};

describe('the RouterOS script', () => {
  it('adds one /radius entry per configured AAA address, the first as primary', async () => {
    const radius = (await scriptLines()).filter((line) => line.startsWith('/radius add'));
    expect(radius.map((line) => /address=(\S+)/.exec(line)?.[1])).toEqual(['203.0.113.10', '2001:db8::10']);
    expect(radius[0]).toContain(
      `authentication-port=${suite.kiunga.authPort} accounting-port=${suite.kiunga.acctPort}`,
    );
  });

  it('lets the HTTPS portal through the walled garden and sends expired accounts to the pay page', async () => {
    expect((await owner.patch(`/api/v1/nas/${nasId}`, { requireMessageAuthenticator: true })).status).toBe(
      200,
    );
    const lines = await scriptLines();
    expect(lines).toContain(
      '/ip hotspot walled-garden ip add dst-host="kiunga.example" protocol=tcp dst-port=443 action=accept comment="kiunga"',
    );
    expect(lines).toContain(
      '/ip firewall address-list add list=kiunga-walled-garden address="kiunga.example" comment="kiunga"',
    );
    expect(lines.find((line) => line.includes('action-data='))).toContain(
      `action-data="https://kiunga.example/account/${slug()}"`,
    );
    expect(lines.some((line) => line.includes('require-message-auth=yes-for-request-resp'))).toBe(true);
  });

  it('takes the routers address from the request, and refuses a host name with a reason', async () => {
    const lines = await scriptLines('?radiusAddress=198.51.100.5');
    expect(
      lines.filter((line) => line.startsWith('/radius add')).map((line) => /address=(\S+)/.exec(line)?.[1]),
    ).toEqual(['198.51.100.5']);
    const refused = await owner.get(
      `/api/v1/nas/${nasId}/routeros-script?radiusAddress=radius.kiunga.example`,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    expect(refused.body.error.message).toContain(
      "radiusAddress: 'radius.kiunga.example' is not an IP address: RouterOS's /radius address= takes only IPv4 or IPv6 addresses",
    );
  });

  it("logs in over HTTPS only for a router that serves its login page so, under the hotspot's DNS name", async () => {
    const withoutName = await owner.patch(`/api/v1/nas/${nasId}`, { isHotspotHttps: true });
    expect(withoutName.status).toBe(400);
    expect(withoutName.body.error.message).toContain('DNS name');
    const ipAsName = await owner.patch(`/api/v1/nas/${nasId}`, { hotspotDnsName: '10.5.50.1' });
    expect(ipAsName.status).toBe(400);

    const patched = await owner.patch(`/api/v1/nas/${nasId}`, {
      hotspotDnsName: 'Hotspot.Kilimani.TEST',
      isHotspotHttps: true,
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.hotspotDnsName).toBe('hotspot.kilimani.test');
    expect(await scriptLines()).toContain(
      '/ip hotspot profile set [find] use-radius=yes radius-accounting=yes radius-interim-update=5m login-by=http-chap,https dns-name="hotspot.kilimani.test"',
    );
    await owner.patch(`/api/v1/nas/${nasId}`, { isHotspotHttps: false });
    expect(await scriptLines()).toContain(
      '/ip hotspot profile set [find] use-radius=yes radius-accounting=yes radius-interim-update=5m login-by=http-chap dns-name="hotspot.kilimani.test"',
    );
  });
});
