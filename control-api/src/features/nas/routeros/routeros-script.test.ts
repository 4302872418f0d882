// The RouterOS script and hotspot login page, line by line, and read by a checker as strict as RouterOS 7.
import { describe, expect, it } from 'vitest';
import { renderHotspotLoginPage } from './hotspot-login';
import { findRouterosProblems } from './routeros-grammar';
import {
  RADIUS_ADDRESS_PLACEHOLDER,
  type RouterosScriptInput,
  renderRouterosScript,
  routerosString,
  SECRET_PLACEHOLDER,
} from './routeros-script';

const input: RouterosScriptInput = {
  nasName: 'Main router',
  radiusAddresses: ['203.0.113.10'],
  authPort: 1812,
  acctPort: 1813,
  coaPort: 3799,
  secret: null,
  interimIntervalSeconds: 300,
  portalUrl: 'https://kiunga.example/portal/kilimani-net',
  payPageUrl: 'https://kiunga.example/account/kilimani-net',
  loginPageUrl: 'https://kiunga.example/api/v1/nas/nas_1/hotspot-login.html',
  requireMessageAuthenticator: true,
  hotspotDnsName: null,
  isHotspotHttps: false,
};

/** The script's command lines (comments and blank lines left out), in order. */
function commandLines(script: string): string[] {
  return script.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

describe('renderRouterosScript: RADIUS', () => {
  it('adds one /radius entry per Kiunga address, the primary first, with the documented values', () => {
    const script = renderRouterosScript({
      ...input,
      radiusAddresses: ['203.0.113.10', '2001:db8::10', '203.0.113.11'],
    });
    const radiusAdds = commandLines(script).filter((line) => line.startsWith('/radius add'));
    expect(radiusAdds).toEqual(
      ['203.0.113.10', '2001:db8::10', '203.0.113.11'].map(
        (address) =>
          `/radius add service=hotspot,ppp address=${address} secret="${SECRET_PLACEHOLDER}" ` +
          'authentication-port=1812 accounting-port=1813 timeout=3s comment="kiunga"',
      ),
    );
    expect(commandLines(script)).toContain('/radius incoming set accept=yes port=3799');
    expect(findRouterosProblems(script)).toEqual([]);
  });

  it('sets require-message-auth=yes-for-request-resp and says so when RouterOS refuses it', () => {
    const line = commandLines(renderRouterosScript(input)).find((candidate) =>
      candidate.includes('require-message-auth'),
    );
    expect(line).toBe(
      ':do { /radius set [find comment="kiunga"] require-message-auth=yes-for-request-resp } on-error={ :put "kiunga: could not set require-message-auth=yes-for-request-resp on Kiunga\'s RADIUS entries: upgrade to RouterOS 7.15 or later, or untick Message-Authenticator for this router in Kiunga" }',
    );
    expect(renderRouterosScript({ ...input, requireMessageAuthenticator: false })).not.toContain(
      'require-message-auth',
    );
  });

  it('never swallows an error: every on-error block prints what failed', () => {
    const script = renderRouterosScript({
      ...input,
      isHotspotHttps: true,
      hotspotDnsName: 'hs.example.co.ke',
    });
    const handlers = [...script.matchAll(/on-error=\{([^}]*)\}/g)].map((match) => match[1]?.trim());
    expect(handlers.length).toBeGreaterThan(0);
    for (const handler of handlers) expect(handler).toMatch(/^:put "kiunga: .+"$/);
  });

  it('stops at once, saying why, when Kiunga does not know its RADIUS address', () => {
    const script = renderRouterosScript({ ...input, radiusAddresses: null });
    const [firstCommand] = commandLines(script);
    expect(firstCommand).toMatch(/^:error "kiunga: .*KIUNGA_RADIUS_PUBLIC_ADDRESS.*"$/);
    // Were the :error line skipped, RouterOS would still refuse the placeholder, and only that.
    expect(findRouterosProblems(script)).toEqual([
      expect.stringMatching(`/radius address: RouterOS does not take ${RADIUS_ADDRESS_PLACEHOLDER}$`),
    ]);
  });
});

describe('renderRouterosScript: hotspot', () => {
  it('logs in with CHAP only, and points hotspot and PPP accounting at Kiunga', () => {
    const lines = commandLines(renderRouterosScript(input));
    expect(lines).toContain(
      '/ip hotspot profile set [find] use-radius=yes radius-accounting=yes radius-interim-update=5m login-by=http-chap',
    );
    expect(lines).toContain('/ppp aaa set use-radius=yes accounting=yes interim-update=5m');
  });

  it('adds https (PAP inside TLS) and the DNS name only for a router serving its login page over HTTPS', () => {
    const script = renderRouterosScript({
      ...input,
      hotspotDnsName: 'hotspot.kilimani.co.ke',
      isHotspotHttps: true,
    });
    expect(commandLines(script)).toContain(
      '/ip hotspot profile set [find] use-radius=yes radius-accounting=yes radius-interim-update=5m login-by=http-chap,https dns-name="hotspot.kilimani.co.ke"',
    );
    expect(script).toContain('ssl-certificate="none"');
    expect(findRouterosProblems(script)).toEqual([]);
  });

  it('lets an HTTPS portal through the walled garden by IP rule as well as by HTTP host', () => {
    const lines = commandLines(renderRouterosScript(input));
    expect(lines).toContain(
      '/ip hotspot walled-garden add dst-host="kiunga.example" action=allow comment="kiunga"',
    );
    expect(lines).toContain(
      '/ip hotspot walled-garden ip add dst-host="kiunga.example" protocol=tcp dst-port=443 action=accept comment="kiunga"',
    );
  });

  it('needs no IP rule for a plain-HTTP portal on port 80, but one for any other port', () => {
    const onPort80 = renderRouterosScript({
      ...input,
      portalUrl: 'http://kiunga.example/portal/kilimani-net',
    });
    expect(onPort80).not.toContain('/ip hotspot walled-garden ip add');
    const onPort8080 = commandLines(
      renderRouterosScript({ ...input, portalUrl: 'http://198.51.100.7:8080/portal/kilimani-net' }),
    );
    expect(onPort8080).toContain(
      '/ip hotspot walled-garden ip add dst-address=198.51.100.7 protocol=tcp dst-port=8080 action=accept comment="kiunga"',
    );
  });
});

describe('renderRouterosScript: expired accounts (kiunga-expired address list)', () => {
  const lines = commandLines(renderRouterosScript(input));
  const top = (menu: string, rule: string) =>
    `:if ([:len [${menu} find where dynamic=no]] > 0) do={ ${menu} add ${rule} place-before=[:pick [${menu} find where dynamic=no] 0] } else={ ${menu} add ${rule} }`;

  it('allows DNS, Kiunga and the walled garden to the list, drops the rest, ahead of the ISP rules', () => {
    const chain = lines.filter((line) => line.startsWith('/ip firewall filter add chain=kiunga-expired'));
    expect(chain).toEqual([
      '/ip firewall filter add chain=kiunga-expired protocol=udp dst-port=53 action=accept comment="kiunga"',
      '/ip firewall filter add chain=kiunga-expired protocol=tcp dst-port=53 action=accept comment="kiunga"',
      '/ip firewall filter add chain=kiunga-expired dst-address-list=kiunga-walled-garden action=accept comment="kiunga"',
      '/ip firewall filter add chain=kiunga-expired action=drop comment="kiunga"',
    ]);
    expect(lines).toContain(
      '/ip firewall address-list add list=kiunga-walled-garden address="kiunga.example" comment="kiunga"',
    );
    expect(lines).toContain(
      top(
        '/ip firewall filter',
        'chain=forward src-address-list=kiunga-expired action=jump jump-target=kiunga-expired comment="kiunga"',
      ),
    );
  });

  it('sends their plain HTTP to the pay page through the router web proxy', () => {
    expect(lines).toContain(
      top(
        '/ip firewall nat',
        'chain=dstnat src-address-list=kiunga-expired dst-address-list=!kiunga-walled-garden protocol=tcp dst-port=80 action=redirect to-ports=8099 comment="kiunga"',
      ),
    );
    expect(lines).toContain(
      top(
        '/ip firewall filter',
        'chain=input src-address-list=kiunga-expired protocol=tcp dst-port=8099 action=accept comment="kiunga"',
      ),
    );
    const redirect = lines.find((line) => line.includes('action=redirect action-data='));
    expect(redirect).toContain(
      '/ip proxy access add local-port=8099 action=redirect action-data="https://kiunga.example/account/kilimani-net" comment="kiunga"',
    );
  });

  it('marks everything it adds with comment="kiunga" and removes the previous run first', () => {
    for (const line of lines.filter((candidate) => /\/(ip|radius|ppp)[a-z -]* add /.test(candidate)))
      expect(line).toContain('comment="kiunga"');
    for (const menu of ['/ip firewall filter', '/ip firewall nat', '/ip proxy access'])
      expect(lines).toContain(`${menu} remove [find comment="kiunga"]`);
    expect(findRouterosProblems(lines.join('\n'))).toEqual([]);
  });
});

describe('the RouterOS checker is as strict as the router', () => {
  it.each([
    ['/radius set [find comment="kiunga"] require-message-auth=yes', /does not take yes/],
    ['/radius add address=radius.example.com secret="s"', /does not take radius.example.com/],
    ['/ip hotspot walled-garden ip add dst-host="x" action=allow', /does not take allow/],
    ['/ip hotspot profile set [find] login-by=http-chap,chap', /does not take/],
    ['/ip firewall filter add chain=forward action=accept comment="kiunga', /not closed/],
    [':do { /radius incoming set accept=yes port=3799 on-error={}', /missing/],
    ['/ip firewall nat add chain=dstnat to-port=8099', /no argument to-port/],
    [':put "which one?"', /unescaped \?/],
  ])('refuses %s', (line, problem) => {
    const problems = findRouterosProblems(line);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it('escapes what RouterOS strings treat specially', () => {
    expect(routerosString('a"b\\c$d?')).toBe('"a\\"b\\\\c\\$d\\?"');
    expect(renderRouterosScript({ ...input, secret: 's$cret?' })).toContain('secret="s\\$cret\\?"');
    expect(findRouterosProblems(renderRouterosScript({ ...input, secret: 's$cret?"' }))).toEqual([]);
    expect(findRouterosProblems(':put "costs $amount"')).toEqual(['line 1: unescaped $ in a string']);
  });
});

describe('renderHotspotLoginPage', () => {
  it('forwards the router variables, CHAP ones included, to the portal and escapes the ISP name', () => {
    const page = renderHotspotLoginPage({
      portalUrl: input.portalUrl,
      nasId: 'nas_1',
      ispName: '<Kilimani>',
    });
    expect(page).toContain(`action="${input.portalUrl}"`);
    for (const variable of [
      '$(link-login-only)',
      '$(link-orig)',
      '$(mac)',
      '$(ip)',
      '$(chap-id)',
      '$(chap-challenge)',
    ])
      expect(page).toContain(variable);
    expect(page).not.toContain('<Kilimani>');
  });
});
