// Security headers on every answer (pages, API, errors) through Hono's secureHeaders: a
// Content-Security-Policy that allows no outside origin for scripts and nothing to frame us,
// nosniff, and a Referrer-Policy that keeps paths and tokens in URLs on this site.
import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { ApiDependencies } from '../dependencies';

/** 180 days: the usual HSTS lifetime; sent only when KIUNGA_PUBLIC_URL is https. */
const HSTS_MAX_AGE_SECONDS = 180 * 86_400;

/**
 * - script-src: only the inline scripts we render, each carrying this response's nonce
 *   (views/inline-script.tsx); no outside script, no inline event handler attribute.
 * - style-src 'unsafe-inline': every page carries its stylesheet inline, with the ISP's colours in
 *   it, and a few elements a style attribute. Injected CSS could only leak data by loading a URL,
 *   and connect-src/font-src (default-src 'self') allow no outside origin for that; images may
 *   come from outside only because an ISP may give its logo as a URL (schemas/src/api/branding.ts).
 * - frame-ancestors 'none': no page is meant to be framed. The captive portal is reached by the
 *   router's login.html submitting a form to it (a navigation, see routeros/hotspot-login.ts and
 *   the MikroTik manual, "HotSpot customisation", login.html), never inside a frame.
 * - No form-action: the portal posts the voucher to the router's own login URL, and the PayPal
 *   form redirects to PayPal; Chromium applies form-action to both.
 * - connect-src 'self' covers the live sessions WebSocket (same host; CSP Level 3 'self' matches
 *   ws: and wss:).
 * - Referrer-Policy strict-origin-when-cross-origin, not no-referrer: other sites get the origin
 *   only (never a path with a token in it), and our own form posts keep a real Origin header,
 *   which the cross-site check needs (no-referrer makes a browser send `Origin: null`).
 */
export function securityHeaders(dependencies: Pick<ApiDependencies, 'publicUrl'>): MiddlewareHandler {
  const isHttps = dependencies.publicUrl.startsWith('https:');
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: [NONCE],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'https:', 'http:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'strict-origin-when-cross-origin',
    // Over plain http (the demo, a LAN install) a browser ignores it; includeSubDomains is left
    // out so an ISP's other plain-http hosts under the same domain keep working.
    strictTransportSecurity: isHttps ? `max-age=${HSTS_MAX_AGE_SECONDS}` : false,
  });
}
