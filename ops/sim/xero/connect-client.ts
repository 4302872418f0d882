// For tests and the demo: an ISP's consent walked through over HTTP, ending in a client of the simulator.
import { AccessTokenKeeper, MemoryTokenStore } from '@kiunga/control-api/integrations/accounting-common';
import { XeroClient, xeroOAuthApp } from '@kiunga/control-api/integrations/xero';
import type { Clock } from '@kiunga/schemas';
import type { XeroSimulator } from './xero-simulator';

const REDIRECT = 'http://127.0.0.1:9/callbacks/xero';

/** The app registration and organisation the simulator is started with in tests. */
export const XERO_TEST_APP = {
  clientId: 'xero-client',
  clientSecret: 'xero-secret',
  redirectUris: [REDIRECT],
  tenantId: '5f2b0c1e-8a4d-4f7b-9a51-2d3c4b5a6f70',
} as const;

/** Consent, code exchange, then the organisation from GET /connections, as the integration will do it. */
export async function connectXero(simulator: XeroSimulator, clock: Clock) {
  const app = xeroOAuthApp({
    authorizeUrl: simulator.authorizeUrl,
    tokenUrl: simulator.tokenUrl,
    clientId: XERO_TEST_APP.clientId,
    clientSecret: XERO_TEST_APP.clientSecret,
    redirectUri: REDIRECT,
    clock,
    timeoutMs: 5_000,
  });
  const consent = await fetch(app.authorizeUrl('state-xero-0123456789'), { redirect: 'manual' });
  const redirect = new URL(consent.headers.get('location') ?? '').searchParams;
  const code = redirect.get('code');
  if (!code) throw new Error('no code in the redirect');
  const store = new MemoryTokenStore(await app.exchangeCode(code));
  const tokens = new AccessTokenKeeper(app, store, clock);
  const options = { baseUrl: simulator.baseUrl, tokens, clock, timeoutMs: 5_000 };
  const connections = await new XeroClient({ ...options, tenantId: 'unknown' }).listConnections();
  const tenantId = connections[0]?.tenantId ?? '';
  return { app, store, redirect, client: new XeroClient({ ...options, tenantId }) };
}
