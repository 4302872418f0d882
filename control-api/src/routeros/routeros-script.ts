// The RouterOS script an ISP pastes into a MikroTik terminal to point it at Kiunga (RouterOS 6.49+ / 7).
export interface RouterosScriptInput {
  nasName: string;
  /** Address the router sends RADIUS to (Kiunga's AAA server). */
  radiusAddress: string;
  authPort: number;
  acctPort: number;
  coaPort: number;
  /** The cleartext secret right after create/rotate; null puts a placeholder in its place. */
  secret: string | null;
  interimIntervalSeconds: number;
  /** `<publicUrl>/portal/<slug>`: where the hotspot login page sends clients. */
  portalUrl: string;
  /** `<publicUrl>/api/v1/nas/<id>/hotspot-login.html`, for the operator to download. */
  loginPageUrl: string;
  requireMessageAuthenticator: boolean;
}

export const SECRET_PLACEHOLDER = 'PASTE-THE-NAS-SECRET-HERE';

/** RouterOS string literal: double quotes with \, " and $ escaped (`$` starts a variable). */
export function routerosString(text: string): string {
  return `"${text.replace(/[\\"$]/g, (character) => `\\${character}`)}"`;
}

function interval(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

export function renderRouterosScript(input: RouterosScriptInput): string {
  const secret = input.secret ?? SECRET_PLACEHOLDER;
  const portalHost = new URL(input.portalUrl).hostname;
  const interim = interval(input.interimIntervalSeconds);
  const lines = [
    `# Kiunga RADIUS setup for ${input.nasName.replace(/[\r\n]/g, ' ')}`,
    input.secret === null
      ? `# Replace ${SECRET_PLACEHOLDER} with this NAS's secret (shown once when it was created or rotated).`
      : '# This script contains the NAS secret: keep it private.',
    '',
    '# 1. Kiunga as the RADIUS server for hotspot and PPPoE.',
    `/radius remove [find comment="kiunga"]`,
    `/radius add service=hotspot,ppp address=${input.radiusAddress} secret=${routerosString(secret)} ` +
      `authentication-port=${input.authPort} accounting-port=${input.acctPort} timeout=3s comment="kiunga"`,
    ...(input.requireMessageAuthenticator
      ? [
          '# RouterOS 7.15+ signs with Message-Authenticator (required by this NAS entry):',
          ':do { /radius set [find comment="kiunga"] require-message-auth=yes } on-error={}',
        ]
      : []),
    '',
    '# 2. Accept Disconnect and CoA requests from Kiunga (suspend, plan change, disconnect button).',
    `/radius incoming set accept=yes port=${input.coaPort}`,
    '',
    '# 3. Hotspot: authenticate and account through RADIUS, interim updates for live usage.',
    `/ip hotspot profile set [find] use-radius=yes radius-accounting=yes radius-interim-update=${interim} login-by=http-chap,http-pap`,
    `/ip hotspot walled-garden remove [find comment="kiunga"]`,
    `/ip hotspot walled-garden add dst-host=${portalHost} action=allow comment="kiunga"`,
    `# Captive portal: ${input.portalUrl}`,
    `# Download ${input.loginPageUrl} and upload it as hotspot/login.html (Files).`,
    '',
    '# 4. PPPoE: authenticate and account through RADIUS.',
    `/ppp aaa set use-radius=yes accounting=yes interim-update=${interim}`,
    '',
  ];
  return lines.join('\n');
}
