// The RouterOS script and hotspot login page: quoting, placeholder secret and the router's variables.
import { describe, expect, it } from 'vitest';
import { renderHotspotLoginPage } from './hotspot-login';
import { renderRouterosScript, routerosString, SECRET_PLACEHOLDER } from './routeros-script';

const input = {
  nasName: 'Main router',
  radiusAddress: '203.0.113.10',
  authPort: 1812,
  acctPort: 1813,
  coaPort: 3799,
  interimIntervalSeconds: 300,
  portalUrl: 'https://kiunga.example/portal/kilimani-net',
  loginPageUrl: 'https://kiunga.example/api/v1/nas/nas_1/hotspot-login.html',
  requireMessageAuthenticator: true,
};

describe('renderRouterosScript', () => {
  it('points hotspot and PPP at Kiunga, accepts CoA and sets interim updates', () => {
    const script = renderRouterosScript({ ...input, secret: null });
    expect(script).toContain(
      `/radius add service=hotspot,ppp address=203.0.113.10 secret="${SECRET_PLACEHOLDER}" authentication-port=1812 accounting-port=1813`,
    );
    expect(script).toContain('/radius incoming set accept=yes port=3799');
    expect(script).toContain('/ppp aaa set use-radius=yes accounting=yes interim-update=5m');
    expect(script).toContain('radius-interim-update=5m');
    expect(script).toContain('/ip hotspot walled-garden add dst-host=kiunga.example');
  });

  it('escapes the characters RouterOS strings treat specially', () => {
    expect(routerosString('a"b\\c$d')).toBe('"a\\"b\\\\c\\$d"');
    expect(renderRouterosScript({ ...input, secret: 's$cret' })).toContain('secret="s\\$cret"');
  });
});

describe('renderHotspotLoginPage', () => {
  it('forwards the router variables to the portal and escapes the ISP name', () => {
    const page = renderHotspotLoginPage({
      portalUrl: input.portalUrl,
      nasId: 'nas_1',
      ispName: '<Kilimani>',
    });
    expect(page).toContain(`action="${input.portalUrl}"`);
    for (const variable of ['$(link-login-only)', '$(link-orig)', '$(mac)', '$(ip)'])
      expect(page).toContain(variable);
    expect(page).not.toContain('<Kilimani>');
  });
});
