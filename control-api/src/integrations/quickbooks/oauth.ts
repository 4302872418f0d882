// The QuickBooks side of OAuth 2.0: Intuit's endpoints as defaults (each overridable by configuration),
// and the realmId Intuit appends to the redirect, which names the company every API path needs.
// Endpoints: Intuit discovery document (developer.intuit.com, "OAuth 2.0" → "Discovery document"):
// authorization_endpoint https://appcenter.intuit.com/connect/oauth2,
// token_endpoint https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer.
import { OAuthApp, type VendorOAuthOptions } from '../accounting-common/oauth2';
import { QUICKBOOKS_ACCOUNTING_SCOPE } from './client';

export const QUICKBOOKS_AUTHORIZE_URL_DEFAULT = 'https://appcenter.intuit.com/connect/oauth2';
export const QUICKBOOKS_TOKEN_URL_DEFAULT = 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer';
export const QUICKBOOKS_API_BASE_URL_DEFAULT = 'https://quickbooks.api.intuit.com';

export type QuickBooksOAuthOptions = VendorOAuthOptions;

export function quickBooksOAuthApp(options: QuickBooksOAuthOptions): OAuthApp {
  return new OAuthApp({
    provider: 'quickbooks',
    authorizeUrl: options.authorizeUrl ?? QUICKBOOKS_AUTHORIZE_URL_DEFAULT,
    tokenUrl: options.tokenUrl ?? QUICKBOOKS_TOKEN_URL_DEFAULT,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: options.redirectUri,
    scopes: [QUICKBOOKS_ACCOUNTING_SCOPE],
    clock: options.clock,
    timeoutMs: options.timeoutMs,
    fetch: options.fetch,
  });
}

export interface QuickBooksRedirect {
  readonly code: string;
  readonly state: string;
  readonly realmId: string;
}

/**
 * The query of Intuit's redirect back to us: `code`, `state` and `realmId`, or `error` when the ISP
 * declined. Null when it is neither (a forged or truncated redirect).
 */
export function parseQuickBooksRedirect(
  query: URLSearchParams,
): QuickBooksRedirect | { error: string } | null {
  const error = query.get('error');
  if (error) return { error };
  const code = query.get('code');
  const state = query.get('state');
  const realmId = query.get('realmId');
  if (!code || !state || !realmId || !/^\d{1,30}$/.test(realmId)) return null;
  return { code, state, realmId };
}
