// The RouterOS script an ISP pastes into a MikroTik terminal (or /import) to point it at Kiunga (RouterOS 7).
//
// Every command and value is checked against MikroTik's RouterOS v7 manual and CLI reference:
// - RADIUS (/radius, /radius incoming): `address` is an IPv4/IPv6 address only; `require-message-auth`
//   takes `no | yes-for-request-resp`; "the order of added items in this list is significant": the
//   router asks the first entry for a service and, when it does not answer within `timeout`, the next.
// - HotSpot, HotSpot profile: `login-by` (mac, cookie, http-chap, https, http-pap, trial, mac-cookie),
//   `dns-name`, `ssl-certificate` ("to use only for HTTPS authentication"), `radius-interim-update`.
// - HotSpot walled-garden (HTTP and proxied requests only, `action=allow`) and walled-garden ip
//   (`dst-host` or `dst-address`, `protocol`, `dst-port`, `action=accept`): an unauthenticated client's
//   HTTPS goes to the hotspot's own HTTPS servlet (Hotspot customisation, Firewall customizations,
//   chain hs-unauth) unless a walled-garden ip entry lets it through.
// - PPP AAA (/ppp aaa): use-radius, accounting, interim-update.
// - Scripting: string escapes, `:do {} on-error={}` to catch run-time errors, `:put`, `:error`.
import { renderExpiredAccountRules } from './routeros-expired';
import { commentText, KIUNGA_COMMENT, routerosInterval, routerosString, tryOrSay } from './routeros-syntax';

export { routerosString } from './routeros-syntax';

export interface RouterosScriptInput {
  nasName: string;
  /**
   * Kiunga's RADIUS addresses as the router reaches them, the first the primary; null when Kiunga does
   * not know them (the script then stops at once and says how to fix it).
   */
  radiusAddresses: readonly string[] | null;
  authPort: number;
  acctPort: number;
  coaPort: number;
  /** The cleartext secret right after create/rotate; null puts a placeholder in its place. */
  secret: string | null;
  interimIntervalSeconds: number;
  /** `<publicUrl>/portal/<slug>`: where the hotspot login page sends clients. */
  portalUrl: string;
  /** `<publicUrl>/account/<slug>`: where expired PPPoE subscribers are sent to pay. */
  payPageUrl: string;
  /** `<publicUrl>/api/v1/nas/<id>/hotspot-login.html`, for the operator to download. */
  loginPageUrl: string;
  requireMessageAuthenticator: boolean;
  /** The hotspot's DNS name (`dns-name`), or null to leave the router's setting alone. */
  hotspotDnsName: string | null;
  /** The router serves its login page over HTTPS (`login-by=https`, with a certificate for the DNS name). */
  isHotspotHttps: boolean;
}

export const SECRET_PLACEHOLDER = 'PASTE-THE-NAS-SECRET-HERE';
export const RADIUS_ADDRESS_PLACEHOLDER = 'PASTE-KIUNGA-RADIUS-IP-HERE';
/** HTTP's and HTTPS's own ports (RFC 9110 §4.2): a portal elsewhere needs its port let through too. */
const HTTP_DEFAULT_PORT = 80;
const HTTPS_DEFAULT_PORT = 443;
/** How long the router waits for Kiunga before it resends or asks the next server (manual default 1100ms). */
const RADIUS_TIMEOUT = '3s';

function header(input: RouterosScriptInput): string[] {
  const lines = [
    `# Kiunga RADIUS setup for ${commentText(input.nasName)} (RouterOS 7)`,
    input.secret === null
      ? `# Replace ${SECRET_PLACEHOLDER} with this NAS's secret (shown once when it was created or rotated).`
      : '# This script contains the NAS secret: keep it private.',
    '# A command RouterOS refuses prints a line starting with "kiunga:" that says what did not apply.',
  ];
  if (input.radiusAddresses === null) {
    lines.push(
      `:error ${routerosString(
        "kiunga: this script does not know the IP address your routers reach Kiunga's RADIUS server at. Set KIUNGA_RADIUS_PUBLIC_ADDRESS on the Kiunga server, or enter the address on the router's script page in the ISP console, and fetch the script again.",
      )}`,
    );
  }
  return lines;
}

function radiusServers(input: RouterosScriptInput): string[] {
  const secret = routerosString(input.secret ?? SECRET_PLACEHOLDER);
  const addresses = input.radiusAddresses ?? [RADIUS_ADDRESS_PLACEHOLDER];
  const lines = [
    '',
    addresses.length > 1
      ? `# 1. Kiunga as the RADIUS server for hotspot and PPPoE: ${addresses[0]} first; when it does not answer within ${RADIUS_TIMEOUT}, the router asks the next.`
      : '# 1. Kiunga as the RADIUS server for hotspot and PPPoE.',
    `/radius remove [find comment=${KIUNGA_COMMENT}]`,
    ...addresses.map(
      (address) =>
        `/radius add service=hotspot,ppp address=${address} secret=${secret} ` +
        `authentication-port=${input.authPort} accounting-port=${input.acctPort} timeout=${RADIUS_TIMEOUT} comment=${KIUNGA_COMMENT}`,
    ),
  ];
  if (input.requireMessageAuthenticator) {
    lines.push(
      '# Message-Authenticator on every request and reply (BlastRADIUS); RouterOS 7.15 and later.',
      tryOrSay(
        `/radius set [find comment=${KIUNGA_COMMENT}] require-message-auth=yes-for-request-resp`,
        "could not set require-message-auth=yes-for-request-resp on Kiunga's RADIUS entries: upgrade to RouterOS 7.15 or later, or untick Message-Authenticator for this router in Kiunga",
      ),
    );
  }
  lines.push(
    '',
    '# 2. Accept Disconnect and CoA requests from Kiunga (suspend, plan change, disconnect button).',
    `/radius incoming set accept=yes port=${input.coaPort}`,
  );
  return lines;
}

/** CHAP keeps the voucher code off the air; `https` (then PAP inside TLS) only with a certificate. */
function hotspotProfile(input: RouterosScriptInput): string[] {
  const loginBy = input.isHotspotHttps ? 'http-chap,https' : 'http-chap';
  const dnsName = input.hotspotDnsName ? ` dns-name=${routerosString(input.hotspotDnsName)}` : '';
  const lines = [
    `/ip hotspot profile set [find] use-radius=yes radius-accounting=yes radius-interim-update=${routerosInterval(input.interimIntervalSeconds)} login-by=${loginBy}${dnsName}`,
  ];
  if (input.isHotspotHttps) {
    lines.push(
      `# HTTPS login page: import a certificate for ${commentText(input.hotspotDnsName ?? '')} and set it with /ip hotspot profile set [find] ssl-certificate=<its name>.`,
      `:if ([:len [/ip hotspot profile find where ssl-certificate="none"]] > 0) do={ :put ${routerosString(
        'kiunga: a hotspot profile has no ssl-certificate yet, so its HTTPS login page cannot work: import the certificate for the DNS name and set ssl-certificate',
      )} }`,
    );
  }
  return lines;
}

/** The portal must load before login: plain HTTP through the walled garden, anything else by IP rule. */
function walledGarden(portalUrl: string): string[] {
  const url = new URL(portalUrl);
  const isHttps = url.protocol === 'https:';
  const port = Number(url.port || (isHttps ? HTTPS_DEFAULT_PORT : HTTP_DEFAULT_PORT));
  const isIpv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname);
  const host = routerosString(url.hostname);
  const lines = [
    `/ip hotspot walled-garden remove [find comment=${KIUNGA_COMMENT}]`,
    `/ip hotspot walled-garden add dst-host=${host} action=allow comment=${KIUNGA_COMMENT}`,
    `/ip hotspot walled-garden ip remove [find comment=${KIUNGA_COMMENT}]`,
  ];
  if (isHttps || port !== HTTP_DEFAULT_PORT) {
    const destination = isIpv4 ? `dst-address=${url.hostname}` : `dst-host=${host}`;
    lines.push(
      `/ip hotspot walled-garden ip add ${destination} protocol=tcp dst-port=${port} action=accept comment=${KIUNGA_COMMENT}`,
    );
  }
  return lines;
}

function hotspot(input: RouterosScriptInput): string[] {
  return [
    '',
    '# 3. Hotspot: authenticate and account through RADIUS, interim updates for live usage.',
    ...hotspotProfile(input),
    ...walledGarden(input.portalUrl),
    `# Captive portal: ${commentText(input.portalUrl)}`,
    `# Download ${commentText(input.loginPageUrl)} and upload it as hotspot/login.html (Files).`,
  ];
}

export function renderRouterosScript(input: RouterosScriptInput): string {
  const lines = [
    ...header(input),
    ...radiusServers(input),
    ...hotspot(input),
    '',
    '# 4. PPPoE: authenticate and account through RADIUS.',
    `/ppp aaa set use-radius=yes accounting=yes interim-update=${routerosInterval(input.interimIntervalSeconds)}`,
    '',
    ...renderExpiredAccountRules({
      kiungaHost: new URL(input.payPageUrl).hostname,
      payPageUrl: input.payPageUrl,
    }),
    '',
  ];
  return lines.join('\n');
}
