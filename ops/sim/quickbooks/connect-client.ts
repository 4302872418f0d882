// For tests and the demo: an ISP's consent walked through over HTTP, ending in a client of the simulator.
import { AccessTokenKeeper, MemoryTokenStore } from '@kiunga/control-api/integrations/accounting-common';
import {
  parseQuickBooksRedirect,
  QuickBooksClient,
  quickBooksOAuthApp,
} from '@kiunga/control-api/integrations/quickbooks';
import type { Clock } from '@kiunga/schemas';
import type { QuickBooksSimulator } from './quickbooks-simulator';

const REDIRECT = 'http://127.0.0.1:9/callbacks/quickbooks';

/** The app registration and company the simulator is started with in tests. */
export const QUICKBOOKS_TEST_APP = {
  clientId: 'qb-client',
  clientSecret: 'qb-secret',
  redirectUris: [REDIRECT],
  realmId: '9130355555555555',
} as const;

/** Goes through consent like an ISP would and returns a client on the connected company. */
export async function connectQuickBooks(simulator: QuickBooksSimulator, clock: Clock) {
  const app = quickBooksOAuthApp({
    authorizeUrl: simulator.authorizeUrl,
    tokenUrl: simulator.tokenUrl,
    clientId: 'qb-client',
    clientSecret: 'qb-secret',
    redirectUri: REDIRECT,
    clock,
    timeoutMs: 5_000,
  });
  const consent = await fetch(app.authorizeUrl('state-0123456789abcdef'), { redirect: 'manual' });
  const redirect = parseQuickBooksRedirect(new URL(consent.headers.get('location') ?? '').searchParams);
  if (redirect === null || 'error' in redirect) throw new Error('no code in the redirect');
  const store = new MemoryTokenStore(await app.exchangeCode(redirect.code));
  const client = new QuickBooksClient({
    baseUrl: simulator.baseUrl,
    realmId: redirect.realmId,
    tokens: new AccessTokenKeeper(app, store, clock),
    clock,
    timeoutMs: 5_000,
  });
  return { app, store, client, redirect };
}
