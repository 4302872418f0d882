// The guest-pass phone check in process (issue 13, Tier 2): with `requirePhone` a pass needs the phone's
// one-time SMS code (sent through the outbox, stored only hashed, expiring, 5 tries, sends limited per phone),
// is spent once (with the pass, never by a refusal), and the per-phone period then holds for that phone whatever
// the MAC; Tier 1 cannot turn it on; without an SMS account a code request says so and the console warns.
import { describe, expect, it } from 'vitest';
import { jsonOf, useTwoIspApp } from '../../kernel/testing/in-process-app';

const kiunga = useTwoIspApp('gphone');

const settings = {
  enabled: true,
  durationSeconds: 15 * 60,
  rateUpKbps: 512,
  rateDownKbps: 1024,
  perDevicePeriodSeconds: 86_400,
  perPhonePeriodSeconds: 86_400,
  dailyCap: 100,
  requirePhone: true,
};

async function portalPost(path: string, body: Record<string, unknown>, language?: 'sw') {
  const response = await kiunga().app.request(`/portal/${kiunga().ispA.slug}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(language ? { 'accept-language': language } : {}) },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the JSON answer loosely and asserts on it.
  return { status: response.status, body: (await response.json()) as any };
}

/** The code in the last SMS queued to `phone` (the test reads the outbox as the SMS gateway would). */
async function codeSentTo(phone: string): Promise<string> {
  const row = await kiunga().ispA.database.get<{ body: string }>(
    `SELECT body FROM notifications WHERE kind = 'guest_pass_code' AND recipient = ? ORDER BY id DESC LIMIT 1`,
    [phone],
  );
  return /code: (\d{6})\./.exec(row?.body ?? '')?.[1] ?? '';
}

describe('the guest-pass phone check', () => {
  it('is refused to a Tier 1 ISP, naming Tier 2', async () => {
    await kiunga().dependencies.databases.platform.run(
      `UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot' WHERE id = ?`,
      [kiunga().ispB.tenantId],
    );
    const refused = await kiunga().ispB.request('PUT', '/api/v1/settings/guest-passes', settings);
    expect(refused.status).toBe(403);
    expect(await jsonOf(refused)).toMatchObject({ error: { code: 'feature_not_in_tier' } });
  });

  it('without an SMS account answers 503 guest_pass_sms_unavailable in the client’s language, and warns the ISP', async () => {
    const isp = kiunga().ispA;
    expect((await isp.request('PUT', '/api/v1/settings/guest-passes', settings)).status).toBe(200);
    const session = await kiunga().signIn(isp.ownerEmail);
    expect((await kiunga().page(session, '/isp/guest-passes')).html).toContain(
      'Phone codes are required but no SMS account is set up',
    );

    const english = await portalPost('guest-passes/codes', { phone: '0711 000 999' });
    expect(english.status).toBe(503);
    expect(english.body.error).toEqual({
      code: 'guest_pass_sms_unavailable',
      message:
        'This network cannot send SMS codes right now, so free passes are not available. Buy a package to get online.',
    });
    const swahili = await portalPost('guest-passes/codes', { phone: '0711 000 999' }, 'sw');
    expect(swahili.status).toBe(503);
    expect(swahili.body.error.code).toBe('guest_pass_sms_unavailable');
    expect(swahili.body.error.message).toMatch(/^Mtandao huu hauwezi kutuma misimbo ya SMS/);
    expect(
      await isp.database.get('SELECT id FROM guest_pass_phone_codes WHERE phone = ?', ['254711000999']),
    ).toBeUndefined();

    expect(
      (await isp.request('PUT', '/api/v1/settings/sms', { username: 'a', apiKey: 'k', enabled: true }))
        .status,
    ).toBe(200);
    expect((await kiunga().page(session, '/isp/guest-passes')).html).not.toContain(
      'Phone codes are required but no SMS account is set up',
    );
  });

  it('gives a pass only against the phone’s SMS code, once, and then holds the phone to its period', async () => {
    const isp = kiunga().ispA;
    expect(
      (await isp.request('PUT', '/api/v1/settings/sms', { username: 'a', apiKey: 'k', enabled: true }))
        .status,
    ).toBe(200);
    expect((await isp.request('PUT', '/api/v1/settings/guest-passes', settings)).status).toBe(200);

    const withoutPhone = await portalPost('guest-passes', { mac: '02:00:00:14:00:01' });
    expect(withoutPhone.status).toBe(400);
    expect(withoutPhone.body.error.code).toBe('guest_pass_phone_required');

    const sent = await portalPost('guest-passes/codes', { phone: '0712 000 111' });
    expect(sent.status).toBe(202);
    expect(sent.body.expiresAt).toBe(kiunga().clock.now() + 10 * 60_000);
    const code = await codeSentTo('254712000111');
    expect(code).toMatch(/^\d{6}$/);
    const stored = await isp.database.get<{ hash: string }>(
      'SELECT code_hash AS hash FROM guest_pass_phone_codes WHERE phone = ?',
      ['254712000111'],
    );
    expect(stored?.hash).not.toContain(code);
    // Another code to the same phone within a minute is refused.
    expect((await portalPost('guest-passes/codes', { phone: '0712000111' })).status).toBe(429);

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await portalPost('guest-passes', {
      mac: '02:00:00:14:00:01',
      phone: '0712000111',
      code: wrong,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('guest_pass_code_invalid');
    const granted = await portalPost('guest-passes', { mac: '02:00:00:14:00:01', phone: '0712000111', code });
    expect(granted.status).toBe(201);
    expect(granted.body.username).toMatch(/^guest-/);
    // The code is spent.
    const reused = await portalPost('guest-passes', { mac: '02:00:00:14:00:02', phone: '0712000111', code });
    expect(reused.body.error.code).toBe('guest_pass_code_invalid');

    // A new MAC (randomised) with a fresh code for the same phone: the phone's period refuses.
    kiunga().clock.advance(2 * 60_000);
    expect((await portalPost('guest-passes/codes', { phone: '0712000111' })).status).toBe(202);
    const again = await portalPost('guest-passes', {
      mac: '06:00:00:14:00:03',
      phone: '0712000111',
      code: await codeSentTo('254712000111'),
    });
    expect(again.status).toBe(429);
    expect(again.body.error.message).toMatch(/^This phone number already had its free pass\./);
  });

  it('leaves a right code usable when the pass is refused, and spends it with the pass', async () => {
    const isp = kiunga().ispA;
    kiunga().clock.advance(2 * 60_000);
    // The phone already had its pass today (the test above): a fresh code is refused by the phone's period…
    expect((await portalPost('guest-passes/codes', { phone: '0712000111' })).status).toBe(202);
    const code = await codeSentTo('254712000111');
    const pass = { mac: '06:00:00:14:00:04', phone: '0712000111', code };
    const refused = await portalPost('guest-passes', pass);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('guest_pass_used');
    // …and once the ISP drops the phone limit, the same code still buys the pass, once.
    expect(
      (
        await isp.request('PUT', '/api/v1/settings/guest-passes', {
          ...settings,
          perPhonePeriodSeconds: null,
        })
      ).status,
    ).toBe(200);
    const granted = await portalPost('guest-passes', pass);
    expect(granted.status).toBe(201);
    expect(granted.body.username).toMatch(/^guest-/);
    const reused = await portalPost('guest-passes', { ...pass, mac: '06:00:00:14:00:05' });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('guest_pass_code_invalid');
    expect((await isp.request('PUT', '/api/v1/settings/guest-passes', settings)).status).toBe(200);
  });

  it('spends a code after 5 wrong tries, the right one included after', async () => {
    kiunga().clock.advance(2 * 60_000);
    expect((await portalPost('guest-passes/codes', { phone: '0722000222' })).status).toBe(202);
    const code = await codeSentTo('254722000222');
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const tried = await portalPost('guest-passes', {
        mac: '02:00:00:14:00:09',
        phone: '0722000222',
        code: wrong,
      });
      expect(tried.body.error.code).toBe('guest_pass_code_invalid');
    }
    const right = await portalPost('guest-passes', { mac: '02:00:00:14:00:09', phone: '0722000222', code });
    expect(right.status).toBe(400);
    expect(right.body.error.code).toBe('guest_pass_code_invalid');
  });

  it('works without JavaScript: the portal asks for the phone, then the code, then logs the device in', async () => {
    kiunga().clock.advance(2 * 60_000);
    const slug = kiunga().ispA.slug;
    const home = await (await kiunga().app.request(`/portal/${slug}?mac=02:00:00:14:00:20`)).text();
    expect(home).toContain('name="phone"');
    const router = { 'link-login-only': 'http://10.5.50.1/login', mac: '02:00:00:14:00:20' };
    const post = (fields: Record<string, string>) =>
      kiunga().app.request(`/portal/${slug}/guest-pass`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...router, ...fields }).toString(),
      });
    const asked = await post({ phone: '0733 000 333' });
    expect(asked.status).toBe(200);
    const askedHtml = await asked.text();
    expect(askedHtml).toContain('We sent a code by SMS to +254733000333.');
    expect(askedHtml).toContain('id="guest-pass-code"');
    expect(askedHtml).toContain('name="mac" value="02:00:00:14:00:20"');
    const loggedIn = await post({ phone: '254733000333', code: await codeSentTo('254733000333') });
    expect(loggedIn.status).toBe(200);
    const html = await loggedIn.text();
    expect(html).toContain('action="http://10.5.50.1/login"');
    expect(/name="username" value="(guest-[^"]+)"/.exec(html)?.[1]).toBeDefined();
  });
});
