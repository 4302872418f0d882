// End to end: an Access-Reject's Reply-Message is in the ISP's default client language (issue 14), set with
// PUT /api/v1/settings/language and honoured by the very next Access-Request.
import { sw } from '@kiunga/control-api/i18n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();
let owner: ApiClient;

const first = () => suite.demo.tenants[0]!;
const wrongPasswordLogin = (username: string) =>
  radclient({
    server: `127.0.0.1:${suite.kiunga.authPort}`,
    command: 'auth',
    secret: first().nas[0]!.secret,
    attributes: {
      'User-Name': username,
      'User-Password': 'not-the-password',
      'Service-Type': 'Framed-User',
      'Framed-Protocol': 'PPP',
    },
  });

beforeAll(async () => {
  owner = await login(suite.kiunga.baseUrl, first().owner);
});

afterAll(async () => {
  await owner?.request('PUT', '/api/v1/settings/language', { default: 'en' });
});

describe("the Reply-Message in the ISP's language", () => {
  it('is English by default and Swahili once the ISP chooses Swahili', async () => {
    const account = first().subscribers.find((item) => item.status === 'active')!;
    const english = await wrongPasswordLogin(account.username);
    expect(english.code).toBe('Access-Reject');
    expect(english.attributes['Reply-Message']).toBe(
      'Wrong username or password. Check the code and try again.',
    );

    const changed = await owner.request('PUT', '/api/v1/settings/language', { default: 'sw' });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ default: 'sw' });
    expect((await owner.get('/api/v1/settings/language')).body).toEqual({ default: 'sw' });

    const swahili = await wrongPasswordLogin(account.username);
    expect(swahili.code).toBe('Access-Reject');
    expect(swahili.attributes['Reply-Message']).toBe(sw['error.invalid_credentials']);
    expect(Buffer.byteLength(swahili.attributes['Reply-Message'] ?? '')).toBeLessThanOrEqual(253);
  });

  it('refuses a language it has no catalogue for', async () => {
    const refused = await owner.request('PUT', '/api/v1/settings/language', { default: 'fr' });
    expect(refused.status).toBe(400);
  });
});
