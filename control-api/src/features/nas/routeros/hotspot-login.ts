// The hotspot login.html a MikroTik serves: it forwards the client, with the router's variables, to the portal.
export interface HotspotLoginInput {
  portalUrl: string;
  nasId: string;
  ispName: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * RouterOS fills in $(name) before serving the page. The portal gets the login link (where it posts
 * username/password back to the router), the client's MAC and IP, and the page first asked for.
 */
export function renderHotspotLoginPage(input: HotspotLoginInput): string {
  const field = (name: string, value: string) => `<input type="hidden" name="${name}" value="${value}">`;
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="pragma" content="no-cache">
<meta http-equiv="expires" content="-1">
<title>${escapeHtml(input.ispName)} Wi-Fi</title>
</head>
<body>
<form name="kiunga" action="${escapeHtml(input.portalUrl)}" method="get">
${field('nas', escapeHtml(input.nasId))}
${field('link-login-only', '$(link-login-only)')}
${field('link-orig', '$(link-orig)')}
${field('mac', '$(mac)')}
${field('ip', '$(ip)')}
${field('error', '$(error)')}
$(if chap-id)
${field('chap-id', '$(chap-id)')}
${field('chap-challenge', '$(chap-challenge)')}
$(endif)
<noscript><button type="submit">Continue to ${escapeHtml(input.ispName)} Wi-Fi</button></noscript>
</form>
<script>document.forms.kiunga.submit();</script>
</body>
</html>
`;
}
