// The customer pages in Swahili beyond their frames (issue 14): the invoice document inside them (HTML and
// the PDF's words) and the pay form's refusals, for a subscriber reading Swahili.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTenantInvoices } from '../billing/store';
import { sw } from '../i18n/sw';
import {
  apiClient,
  signInWithToken,
  type TestApp,
  type TestIsp,
  useTwoIspApp,
} from '../kernel/testing/in-process-app';

const SUBSCRIBER_PASSWORD = 'pppoe-secret-1';

const opened = useTwoIspApp('swpages');
let testApp: TestApp;
let isp: TestIsp;
let cookie: string;

const get = (path: string) => testApp.app.request(path, { headers: { cookie } });
const post = (path: string, form: Record<string, string>) =>
  testApp.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
  });

beforeAll(async () => {
  testApp = opened();
  isp = opened().ispA;
  const call = apiClient(testApp, await signInWithToken(testApp, isp.ownerEmail));
  const plan = await call('POST', '/api/v1/plans', {
    name: 'Home 5 Mbps',
    kind: 'pppoe',
    priceCents: 150_000,
    billingCycleMonths: 1,
    rateUpKbps: 2_000,
    rateDownKbps: 5_000,
  });
  const { id: planId } = (await plan.json()) as { id: string };
  const created = await call('POST', '/api/v1/subscribers', {
    username: 'baraka',
    password: SUBSCRIBER_PASSWORD,
    planId,
    fullName: 'Baraka Mwangi',
  });
  expect(created.status).toBe(201);
  await runTenantInvoices(isp.database, isp.tenantId, testApp.clock.now());
  const signedIn = await testApp.app.request(`/account/${isp.slug}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: 'baraka', password: SUBSCRIBER_PASSWORD }).toString(),
  });
  expect(signedIn.status).toBe(303);
  cookie = `${(signedIn.headers.get('set-cookie') ?? '').split(';')[0]}; lang=sw`;
});

describe('the customer pages in Swahili', () => {
  it('show the invoice document in Swahili', async () => {
    const list = await (await get(`/account/${isp.slug}/invoices`)).text();
    const invoiceId = /\/invoices\/(inv_[^".]+)"/.exec(list)?.[1];
    expect(invoiceId).toBeDefined();
    const page = await get(`/account/${isp.slug}/invoices/${invoiceId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const key of [
      'invoice.description',
      'invoice.amount',
      'invoice.total',
      'invoice.amountDue',
    ] as const)
      expect(html).toContain(sw[key]);
    expect(html).toContain(sw['invoice.status.open']);
    expect(html).toMatch(/Ankara \S+ · imetolewa /);
    expect(html).not.toContain('Amount due');
    const pdf = await get(`/account/${isp.slug}/invoices/${invoiceId}.pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('refuse a bad amount, a bad number and an ISP without M-Pesa in Swahili', async () => {
    const payPage = await (await get(`/account/${isp.slug}/pay`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(payPage)?.[1] ?? '';
    const badAmount = await post(`/account/${isp.slug}/pay`, {
      _csrf: csrf,
      phone: '0712345678',
      amount: '0',
    });
    expect(badAmount.status).toBe(400);
    expect(await badAmount.text()).toContain(sw['account.pay.badAmount']);
    const badPhone = await post(`/account/${isp.slug}/pay`, { _csrf: csrf, phone: '12', amount: '100' });
    expect(badPhone.status).toBe(400);
    expect(await badPhone.text()).toContain(sw['phone.invalid']);
    const noMpesa = await post(`/account/${isp.slug}/pay`, {
      _csrf: csrf,
      phone: '0712345678',
      amount: '100',
    });
    expect(noMpesa.status).toBe(503);
    expect(await noMpesa.text()).toContain(sw['account.payment.mpesaNotTaken']);
  });
});
