// Guest passes in-process: the ISP's settings (API and console page), the portal's pass once per device
// per period with its Nairobi "try again" and Retry-After, the daily cap exact under concurrent requests,
// the portal's "Try free" offer and router login form, and one ISP's passes and settings kept from another's.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signInWithToken, TEST_START_MS, useTwoIspApp } from '../../kernel/testing/in-process-app';

const kiunga = useTwoIspApp('guest');

const HOUR_MS = 3_600_000;
const settings = {
  enabled: true,
  durationSeconds: 15 * 60,
  rateUpKbps: 512,
  rateDownKbps: 1024,
  perDevicePeriodSeconds: 86_400,
  dailyCap: 100,
};

/** Signed in afresh: the tests move the clock past an access token's life. */
async function tokenOf(isp: 'ispA' | 'ispB'): Promise<string> {
  return signInWithToken(kiunga(), kiunga()[isp].ownerEmail);
}

async function putSettings(isp: 'ispA' | 'ispB', body: Record<string, unknown>) {
  return kiunga().request('PUT', '/api/v1/settings/guest-passes', { token: await tokenOf(isp), body });
}

/** `201 {username, password, expiresAt}` or `{error: {code, message}}`. */
interface PassAnswer {
  username: string;
  password: string;
  expiresAt: number;
  error: { code: string; message: string };
}

async function requestPass(slug: string, body: Record<string, unknown>, language?: 'sw') {
  const response = await kiunga().app.request(`/portal/${slug}/api/guest-passes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(language ? { 'accept-language': language } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as PassAnswer,
  };
}

describe('guest-pass settings', () => {
  it('are off until the ISP turns them on, then read back as saved; a period shorter than a pass is refused', async () => {
    const read = await kiunga().request('GET', '/api/v1/settings/guest-passes', {
      token: kiunga().ispA.token,
    });
    expect(read.status).toBe(200);
    expect(read.body.enabled).toBe(false);
    const saved = await putSettings('ispA', settings);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ ...settings, perPhonePeriodSeconds: null, requirePhone: false });
    const again = await kiunga().request('GET', '/api/v1/settings/guest-passes', {
      token: kiunga().ispA.token,
    });
    expect(again.body).toEqual(saved.body);
    const tooShort = await putSettings('ispA', { ...settings, perDevicePeriodSeconds: 600 });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error.code).toBe('validation_failed');
  });

  it('are set from the console page, in minutes and hours', async () => {
    const session = await kiunga().signIn(kiunga().ispA.ownerEmail);
    const page = await kiunga().page(session, '/isp/guest-passes');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Guest passes');
    const posted = await kiunga().page(session, '/isp/guest-passes', {
      enabled: 'on',
      durationMinutes: '30',
      rateDownKbps: '2048',
      rateUpKbps: '1024',
      perDevicePeriodHours: '12',
      perPhonePeriodHours: '',
      dailyCap: '50',
    });
    expect(posted.status).toBe(303);
    const read = await kiunga().request('GET', '/api/v1/settings/guest-passes', {
      token: kiunga().ispA.token,
    });
    expect(read.body).toEqual({
      enabled: true,
      durationSeconds: 1_800,
      rateUpKbps: 1024,
      rateDownKbps: 2048,
      perDevicePeriodSeconds: 12 * 3_600,
      perPhonePeriodSeconds: null,
      requirePhone: false,
      dailyCap: 50,
    });
    const shown = await kiunga().page(session, '/isp/guest-passes');
    expect(shown.html).toContain('Try free for 30 minutes');
  });
});

describe('POST /portal/<slug>/api/guest-passes', () => {
  it('gives a device one pass per period, then 429 guest_pass_used saying when (Nairobi time), then another', async () => {
    const { ispA } = kiunga();
    expect((await putSettings('ispA', settings)).status).toBe(200);
    const startMs = kiunga().clock.now();
    const first = await requestPass(ispA.slug, { mac: '02-00-00-13-00-01' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      username: expect.stringMatching(/^guest-[A-Z2-9]{10}$/),
      password: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
      expiresAt: startMs + 15 * 60_000,
    });
    const stored = await ispA.database.get<{ mac: string; sealed: string; rate: string }>(
      'SELECT mac_address AS "mac", password_sealed AS "sealed", rate_limit AS "rate" FROM guest_passes WHERE username = ?',
      [first.body.username],
    );
    expect(stored?.mac).toBe('02:00:00:13:00:01');
    expect(stored?.rate).toBe('512k/1024k');
    expect(stored?.sealed).not.toContain(first.body.password);

    kiunga().clock.advance(HOUR_MS);
    const second = await requestPass(ispA.slug, { mac: '02:00:00:13:00:01' });
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('guest_pass_used');
    // TEST_START_MS is 09:00 in Nairobi on 1 March 2030; the period is a day.
    expect(second.body.error.message).toBe(
      'This device already had its free pass. Try again tomorrow at 09:00 (Nairobi time).',
    );
    expect(second.retryAfter).toBe(String(23 * 3_600));
    // The same refusal to a phone that reads Swahili (issue 14's Accept-Language rule).
    const inSwahili = await requestPass(ispA.slug, { mac: '02:00:00:13:00:01' }, 'sw');
    expect(inSwahili.status).toBe(429);
    expect(inSwahili.body.error).toEqual({
      code: 'guest_pass_used',
      message: 'Kifaa hiki kimeshapata pasi yake ya bure. Jaribu tena kesho saa 09:00 (saa za Nairobi).',
    });

    kiunga().clock.set(startMs + 24 * HOUR_MS);
    expect((await requestPass(ispA.slug, { mac: '02:00:00:13:00:01' })).status).toBe(201);
  });

  it('refuses a MAC the router did not know, and everything while the ISP has passes off', async () => {
    const { ispB } = kiunga();
    const unknown = await requestPass(ispB.slug, { mac: '---' });
    expect(unknown.status).toBe(400);
    const off = await requestPass(ispB.slug, { mac: '02:00:00:13:00:02' });
    expect(off.status).toBe(403);
    expect(off.body.error.code).toBe('guest_passes_disabled');
  });

  it('never issues more than the daily cap, even to simultaneous requests, until Nairobi midnight', async () => {
    const { ispA } = kiunga();
    // A Nairobi day no other test issues passes in: 3 March 2030, 10:00 local.
    kiunga().clock.set(TEST_START_MS + 49 * HOUR_MS);
    expect((await putSettings('ispA', { ...settings, dailyCap: 3 })).status).toBe(200);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        requestPass(ispA.slug, { mac: `02:00:00:13:01:${String(index).padStart(2, '0')}` }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(5);
    expect(refused[0]?.body.error).toEqual({
      code: 'guest_pass_daily_cap',
      message: 'Free passes for today are used up. Try again tomorrow at 00:00 (Nairobi time).',
    });
    // Nairobi midnight is 21:00 UTC: 14 hours after 10:00 local. A device that asked for none today: which
    // three of the eight won the race is up to the database (on PostgreSQL truly concurrent), and a winner's
    // own device period (a day) would still refuse it.
    kiunga().clock.advance(14 * HOUR_MS);
    expect((await requestPass(ispA.slug, { mac: '02:00:00:13:01:08' })).status).toBe(201);
  });

  it("keeps one ISP's passes and settings out of another's", async () => {
    const { ispA, ispB } = kiunga();
    kiunga().clock.set(TEST_START_MS + 120 * HOUR_MS);
    expect((await putSettings('ispA', { ...settings, dailyCap: 1 })).status).toBe(200);
    expect((await requestPass(ispA.slug, { mac: '02:00:00:13:02:01' })).status).toBe(201);
    // B still has passes off: A's setting is A's.
    expect((await requestPass(ispB.slug, { mac: '02:00:00:13:02:01' })).status).toBe(403);
    const bRead = await kiunga().request('GET', '/api/v1/settings/guest-passes', {
      token: await tokenOf('ispB'),
    });
    expect(bRead.body.enabled).toBe(false);
    // On at B too: the device and A's used-up cap do not count at B.
    expect((await putSettings('ispB', { ...settings, dailyCap: 1 })).status).toBe(200);
    const atB = await requestPass(ispB.slug, { mac: '02:00:00:13:02:01' });
    expect(atB.status).toBe(201);
    const inA = await ispA.database.get('SELECT 1 AS "found" FROM guest_passes WHERE username = ?', [
      atB.body.username,
    ]);
    expect(inA).toBeUndefined();
  });
});

describe('the captive portal offer', () => {
  it('shows "Try free for N minutes" when on, and logs the device in through the router with CHAP', async () => {
    const { ispA, ispB } = kiunga();
    kiunga().clock.set(TEST_START_MS + 96 * HOUR_MS);
    expect((await putSettings('ispA', { ...settings, durationSeconds: 20 * 60 })).status).toBe(200);
    const home = await (await kiunga().app.request(`/portal/${ispA.slug}?mac=02:00:00:13:03:01`)).text();
    expect(home).toContain('Try free for 20 minutes');
    expect((await putSettings('ispB', { ...settings, enabled: false })).status).toBe(200);
    const otherHome = await (await kiunga().app.request(`/portal/${ispB.slug}`)).text();
    expect(otherHome).not.toContain('Try free');

    // What the router's login.html forwards: its login address, the MAC and an HTTP-CHAP challenge.
    const form = new URLSearchParams({
      'link-login-only': 'http://10.5.50.1/login',
      mac: '02:00:00:13:03:01',
      'chap-id': '\\037',
      'chap-challenge': '\\357\\015\\330\\013\\021\\234\\145\\245\\303\\253\\142\\246\\133\\175\\375\\316',
    });
    const answered = await kiunga().app.request(`/portal/${ispA.slug}/guest-pass`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(answered.status).toBe(200);
    const html = await answered.text();
    expect(html).toContain('action="http://10.5.50.1/login"');
    const username = /name="username" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const chapAnswer = /name="password" value="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(username).toMatch(/^guest-/);
    const row = await ispA.database.get<{ sealed: string }>(
      'SELECT password_sealed AS "sealed" FROM guest_passes WHERE username = ?',
      [username],
    );
    const password = kiunga().dependencies.secretBox.open(row?.sealed ?? '');
    const expected = createHash('md5')
      .update(
        Buffer.concat([
          Buffer.from('1f', 'hex'),
          Buffer.from(password),
          Buffer.from('ef0dd80b119c65a5c3ab62a65b7dfdce', 'hex'),
        ]),
      )
      .digest('hex');
    expect(chapAnswer).toBe(expected);

    const again = await kiunga().app.request(`/portal/${ispA.slug}/guest-pass`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(again.status).toBe(429);
    expect(await again.text()).toContain('This device already had its free pass. Try again tomorrow at');
  });
});
