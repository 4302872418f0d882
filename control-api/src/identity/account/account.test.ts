// The ISP console's "My account" (/isp/account) in-process: changing one's own password and starting
// two-factor sign-in from the page, as a browser with a console session does (no server).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  signInWithToken,
  TEST_PASSWORD,
  type TestApp,
  type TestIsp,
  useTwoIspApp,
} from '../../kernel/testing/in-process-app';

const opened = useTwoIspApp('account');
let testApp: TestApp;
let ispA: TestIsp;
let ispB: TestIsp;

beforeAll(() => {
  testApp = opened();
  ({ ispA, ispB } = opened());
});

describe('My account', () => {
  it('shows the signed-in account and offers two-factor sign-in to an ISP owner', async () => {
    const browser = await testApp.signIn(ispA.ownerEmail);
    const page = await browser.get('/isp/account');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(ispA.ownerEmail);
    expect(html).toContain('Two-factor sign-in');
  });

  it('refuses two different new passwords and a wrong current one, each said on the page', async () => {
    const browser = await testApp.signIn(ispA.ownerEmail);
    const differ = await browser.post('/isp/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'first new passphrase',
      repeatPassword: 'second new passphrase',
    });
    expect(differ.status).toBe(303);
    expect(differ.headers.get('location')).toBe('/isp/account');
    expect(await (await browser.get('/isp/account')).text()).toContain('The two new passwords differ.');
    const wrong = await browser.post('/isp/account/password', {
      currentPassword: 'not the password',
      newPassword: 'first new passphrase',
      repeatPassword: 'first new passphrase',
    });
    expect(wrong.status).toBe(303);
    expect(await (await browser.get('/isp/account')).text()).toContain('The current password is wrong.');
  });

  it("changes the password of the signed-in account only; the other ISP's owner is untouched", async () => {
    const isp = await testApp.createIsp('account-change');
    const browser = await testApp.signIn(isp.ownerEmail);
    const newPassword = 'my very own passphrase';
    const changed = await browser.post('/isp/account/password', {
      currentPassword: TEST_PASSWORD,
      newPassword,
      repeatPassword: newPassword,
    });
    expect(changed.status).toBe(303);
    expect(await (await browser.get('/isp/account')).text()).toContain('Password changed.');
    expect(await signInWithToken(testApp, isp.ownerEmail, newPassword)).toEqual(expect.any(String));
    expect(await signInWithToken(testApp, ispB.ownerEmail)).toEqual(expect.any(String));
  });

  it('starts two-factor enrolment with the secret shown, and shows it again after a wrong code', async () => {
    const browser = await testApp.signIn(ispB.ownerEmail);
    const setup = await browser.post('/isp/account/totp/setup', {});
    expect(setup.status).toBe(200);
    const secret = /name="setupSecret" value="([A-Z2-7]+)"/.exec(await setup.text())?.[1] ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const wrong = await browser.post('/isp/account/totp/confirm', {
      code: '12345',
      currentPassword: TEST_PASSWORD,
      setupSecret: secret,
      setupUrl: 'otpauth://totp/x',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(secret);
  });
});
