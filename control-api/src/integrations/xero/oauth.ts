// The Xero side of OAuth 2.0: Xero's identity endpoints as defaults (each overridable by configuration).
// Endpoints: Xero "OAuth 2.0 auth flow" (developer.xero.com/documentation/guides/oauth2/auth-flow):
// authorize https://login.xero.com/identity/connect/authorize, token https://identity.xero.com/connect/token;
// the organisation is chosen after the exchange through GET https://api.xero.com/connections.
import { OAuthApp, type VendorOAuthOptions } from '../accounting-common/oauth2';
import { XERO_SCOPES } from './client';

export const XERO_AUTHORIZE_URL_DEFAULT = 'https://login.xero.com/identity/connect/authorize';
export const XERO_TOKEN_URL_DEFAULT = 'https://identity.xero.com/connect/token';
export const XERO_API_BASE_URL_DEFAULT = 'https://api.xero.com';

export type XeroOAuthOptions = VendorOAuthOptions;

export function xeroOAuthApp(options: XeroOAuthOptions): OAuthApp {
  return new OAuthApp({
    provider: 'xero',
    authorizeUrl: options.authorizeUrl ?? XERO_AUTHORIZE_URL_DEFAULT,
    tokenUrl: options.tokenUrl ?? XERO_TOKEN_URL_DEFAULT,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    scopes: [...XERO_SCOPES],
    clock: options.clock,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
  });
}
