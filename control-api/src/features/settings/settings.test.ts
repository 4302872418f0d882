// An ISP's settings in-process: RADIUS timers and expired-account policy, SMS gateway account and
// M-Pesa credentials (secrets never read back); validation errors; ISP B's changes stay in B.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

describe('settings API', () => {
  it('changes the RADIUS settings and reads them back', async () => {
    const isp = await kiunga().createIsp('settings-a');
    const changed = await kiunga().request('PATCH', '/api/v1/settings/radius', {
      token: isp.token,
      body: { idleTimeoutSeconds: 900, expiredAccountPolicy: 'walled_garden' },
    });
    expect(changed.status).toBe(200);
    const read = await kiunga().request('GET', '/api/v1/settings/radius', { token: isp.token });
    expect(read.body).toMatchObject({ idleTimeoutSeconds: 900, expiredAccountPolicy: 'walled_garden' });
  });

  it('keeps the SMS API key and M-Pesa secrets sealed: never in an answer', async () => {
    const isp = await kiunga().createIsp('settings-b');
    const sms = await kiunga().request('PUT', '/api/v1/settings/sms', {
      token: isp.token,
      body: { username: 'mawingu', apiKey: 'atsk_secret_key_1234567890', senderId: 'MAWINGU', enabled: true },
    });
    expect(sms.status).toBe(200);
    expect(JSON.stringify(sms.body)).not.toContain('atsk_secret_key');
    const mpesa = await kiunga().request('PUT', '/api/v1/settings/mpesa', {
      token: isp.token,
      body: { shortcode: '600100', consumerKey: 'ck-value', consumerSecret: 'cs-value', passkey: 'pk-value' },
    });
    expect(mpesa.status).toBe(200);
    expect(mpesa.body).toMatchObject({
      isConfigured: true,
      shortcode: '600100',
      c2bApiVersion: 'v2',
      c2bRegistration: { status: 'pending' },
    });
    expect(JSON.stringify(mpesa.body)).not.toMatch(/cs-value|pk-value/);
  });

  it('refuses out-of-range timers, unknown fields and M-Pesa settings without credentials', async () => {
    const isp = await kiunga().createIsp('settings-c');
    const tooShort = await kiunga().request('PATCH', '/api/v1/settings/radius', {
      token: isp.token,
      body: { idleTimeoutSeconds: 5 },
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.code).toBe('validation_failed');
    const unknown = await kiunga().request('PATCH', '/api/v1/settings/radius', {
      token: isp.token,
      body: { sessionTimeout: 60 },
    });
    expect(unknown.status).toBe(400);
    const noCredentials = await kiunga().request('PUT', '/api/v1/settings/mpesa', {
      token: isp.token,
      body: { shortcode: '600100' },
    });
    expect(noCredentials.status).toBe(400);
    expect(noCredentials.body.error.message).toMatch(/consumer key/);
  });

  it("keeps one ISP's settings out of another's", async () => {
    const first = await kiunga().createIsp('settings-d');
    const second = await kiunga().createIsp('settings-e');
    const before = await kiunga().request('GET', '/api/v1/settings/radius', { token: first.token });
    await kiunga().request('PATCH', '/api/v1/settings/radius', {
      token: second.token,
      body: { idleTimeoutSeconds: 3_600 },
    });
    const after = await kiunga().request('GET', '/api/v1/settings/radius', { token: first.token });
    expect(after.body).toEqual(before.body);
    const mpesa = await kiunga().request('GET', '/api/v1/settings/mpesa', { token: first.token });
    expect(mpesa.body.isConfigured).toBe(false);
  });
});
