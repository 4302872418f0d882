// Webhooks in process against a receiver this test runs on loopback: register (201 {id, secret}, the
// secret never read back), a subscriber's suspension and a counter payment reach the receiver signed
// (checked with verifySignature), a 500 is retried a minute later, the log shows both attempts, a
// manual redelivery repeats the same event; a router silenced then heard again sends nas.down then
// nas.up; a paybill payment through the Daraja simulator's C2B confirmation sends payment.received;
// loopback refused without KIUNGA_WEBHOOKS_ALLOW_PRIVATE; ISP B never sees or redelivers ISP A's webhooks and its events never reach ISP A's receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cents, insertOf, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDarajaSimulator } from '../../../../ops/sim/daraja/daraja-simulator';
import { runTenantInvoices } from '../../billing/store';
import { insertMonthlySubscriber } from '../../billing/test-tenant';
import {
  openTestApp,
  openTwoIspApp,
  TEST_HOTSPOT_PLAN,
  type TestIsp,
  type TwoIspApp,
} from '../../kernel/testing/in-process-app';
import { callbackUrls } from '../../mpesa/callback-addresses';
import { completePurchase, createPendingPurchase, getPurchase } from '../../mpesa/purchases';
import { runNasMonitoring } from '../monitoring/service';
import { METERING_SETTLE_MS } from '../usage/metering.job';
import { SIGNATURE_HEADER, verifySignature } from './core/signature';
import { sendDueWebhooks, WEBHOOK_LOG_RETENTION_MS } from './deliveries.job';

interface Received {
  body: string;
  signature: string;
}

let testApp: TwoIspApp;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status codes the receiver answers, in turn; then 200. */
const plannedStatuses: number[] = [];

beforeAll(async () => {
  testApp = await openTwoIspApp({ prefix: 'hooks', webhooksAllowPrivate: true });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        signature: String(request.headers[SIGNATURE_HEADER.toLowerCase()] ?? ''),
      });
      response.writeHead(plannedStatuses.shift() ?? 200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/kiunga`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await testApp.close();
});

async function subscriberOf(isp: TestIsp, username: string): Promise<string> {
  const plan = await isp.request('POST', '/api/v1/plans', {
    name: `Home ${username}`,
    kind: 'pppoe',
    priceCents: 150_000,
    rateUpKbps: 5_000,
    rateDownKbps: 10_000,
  });
  const planId = ((await plan.json()) as { id: string }).id;
  const created = await isp.request('POST', '/api/v1/subscribers', { username, planId });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

function verified(delivery: Received, secret: string) {
  return verifySignature({
    body: delivery.body,
    header: delivery.signature,
    secrets: secret,
    nowSeconds: Math.floor(testApp.clock.now() / 1000),
  });
}

describe('webhooks', () => {
  let endpointId: string;
  let secret: string;
  let subscriberId: string;
  /** The router the nas.down test silenced; the nas.up test hears it again. */
  let silentNasId: string;

  it('refuses a loopback URL unless KIUNGA_WEBHOOKS_ALLOW_PRIVATE is set, and plain http outside the demo', async () => {
    const strictApp = await openTestApp();
    try {
      const isp = await strictApp.createIsp('hooks-strict');
      for (const url of [
        receiverUrl,
        'https://10.0.0.5/hook',
        'https://[::1]/hook',
        'http://hooks.example.com/',
      ]) {
        const refused = await isp.request('POST', '/api/v1/webhooks', { url, events: ['nas.down'] });
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
      }
    } finally {
      await strictApp.close();
    }
    const unknownEvent = await testApp.ispA.request('POST', '/api/v1/webhooks', {
      url: receiverUrl,
      events: ['payment.refunded'],
    });
    expect(unknownEvent.status).toBe(400);
  });

  it('registers an endpoint: 201 {id, secret}, the secret never shown again', async () => {
    const created = await testApp.ispA.request('POST', '/api/v1/webhooks', {
      url: receiverUrl,
      events: ['subscriber.suspended', 'subscriber.reactivated', 'payment.received'],
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; secret: string };
    expect(body.id).toMatch(/^whk_/);
    expect(body.secret).toMatch(/^whsec_/);
    endpointId = body.id;
    secret = body.secret;
    const listed = await testApp.ispA.request('GET', '/api/v1/webhooks');
    const text = await listed.text();
    expect(text).not.toContain(secret);
    expect(JSON.parse(text).items).toMatchObject([{ id: endpointId, url: receiverUrl, isActive: true }]);
  });

  it('delivers a suspension signed, retries after a 500 a minute later, and logs both attempts', async () => {
    subscriberId = await subscriberOf(testApp.ispA, 'achieng');
    expect((await testApp.ispA.request('POST', `/api/v1/subscribers/${subscriberId}/suspend`)).status).toBe(
      200,
    );
    received.length = 0;
    plannedStatuses.push(500);
    expect(await sendDueWebhooks(testApp.dependencies)).toMatchObject({ delivered: 0, failed: 1 });
    expect(received).toHaveLength(1);
    // Not due yet: the schedule waits a minute after the first failure.
    await sendDueWebhooks(testApp.dependencies);
    expect(received).toHaveLength(1);
    testApp.clock.advance(60_000);
    expect(await sendDueWebhooks(testApp.dependencies)).toMatchObject({ delivered: 1, failed: 0 });
    expect(received).toHaveLength(2);

    for (const delivery of received) expect(verified(delivery, secret).isValid).toBe(true);
    expect(verified(received[1]!, 'whsec_not-the-secret').isValid).toBe(false);
    const [first, second] = received.map((delivery) => JSON.parse(delivery.body));
    expect(second).toEqual(first);
    expect(first).toMatchObject({
      type: 'subscriber.suspended',
      tenantId: testApp.ispA.tenantId,
      data: { subscriberId, username: 'achieng', reason: 'manual' },
    });
    expect(first.id).toMatch(/^evt_/);

    const log = await testApp.ispA.request('GET', `/api/v1/webhooks/${endpointId}/deliveries`);
    const attempts = ((await log.json()) as { attempts: Array<Record<string, unknown>> }).attempts;
    expect(attempts).toMatchObject([
      { attempt: 2, statusCode: 200, outcome: 'delivered', deliveryStatus: 'delivered', eventId: first.id },
      { attempt: 1, statusCode: 500, outcome: 'failed', deliveryStatus: 'delivered', eventId: first.id },
    ]);
  });

  it('sends a counter payment and a reactivation; a manual redelivery repeats the same event', async () => {
    received.length = 0;
    const paid = await testApp.ispA.request('POST', '/api/v1/payments', {
      subscriberId,
      amountCents: 150_000,
      method: 'cash',
      idempotencyKey: 'counter-0001',
    });
    expect(paid.status).toBe(201);
    await testApp.ispA.request('POST', `/api/v1/subscribers/${subscriberId}/reactivate`, {});
    await sendDueWebhooks(testApp.dependencies);
    const types = received.map((delivery) => JSON.parse(delivery.body).type).sort();
    expect(types).toContain('payment.received');
    expect(types).toContain('subscriber.reactivated');
    const payment = received
      .map((delivery) => JSON.parse(delivery.body))
      .find((event) => event.type === 'payment.received');
    expect(payment.data).toMatchObject({
      subscriberId,
      amountCents: 150_000,
      currency: 'KES',
      method: 'cash',
    });

    const log = await testApp.ispA.request('GET', `/api/v1/webhooks/${endpointId}/deliveries`);
    const attempts = ((await log.json()) as { attempts: Array<{ deliveryId: string; eventId: string }> })
      .attempts;
    const paymentAttempt = attempts.find((attempt) => attempt.eventId === payment.id)!;
    received.length = 0;
    const again = await testApp.ispA.request(
      'POST',
      `/api/v1/webhooks/deliveries/${paymentAttempt.deliveryId}/redeliver`,
    );
    expect(await again.json()).toEqual({ deliveryId: paymentAttempt.deliveryId, outcome: 'delivered' });
    expect(received.map((delivery) => JSON.parse(delivery.body))).toEqual([payment]);
    expect(verified(received[0]!, secret).isValid).toBe(true);
  });

  it('reports a portal voucher sale, an invoice the billing run issued and its void, each once', async () => {
    const second = await testApp.ispA.request('POST', '/api/v1/webhooks', {
      url: `${receiverUrl}/money`,
      events: ['voucher.sold', 'invoice.created', 'invoice.voided'],
    });
    expect(second.status).toBe(201);
    const database = testApp.ispA.database;
    const now = testApp.clock.now();
    const plan = await testApp.ispA.request('POST', '/api/v1/plans', TEST_HOTSPOT_PLAN);
    const planId = ((await plan.json()) as { id: string }).id;
    const purchase = await createPendingPurchase(
      database,
      { planId, phone: '254712000001', macAddress: null, amount: cents(TEST_HOTSPOT_PLAN.priceCents) },
      now,
    );
    const paid = {
      receipt: 'SLK4HOOK01',
      amount: cents(TEST_HOTSPOT_PLAN.priceCents),
      phone: '254712000001',
    };
    await completePurchase(database, purchase, paid, now);
    // M-Pesa repeats its callback: nothing changes, so no second event.
    await completePurchase(database, await getPurchase(database, purchase.id), paid, now);
    await insertMonthlySubscriber(database, {
      id: 'sub_hooks',
      accountNumber: 'ACC-HOOK',
      priceCents: 150_000,
      createdAt: now,
    });
    await runTenantInvoices(database, testApp.ispA.tenantId, now);
    const invoiceId = (await database.get<{ id: string }>(
      "SELECT id FROM invoices WHERE subscriber_id = 'sub_hooks'",
    ))!.id;
    expect(
      (
        await testApp.ispA.request('POST', `/api/v1/invoices/${invoiceId}/void`, {
          reason: 'Issued in error',
        })
      ).status,
    ).toBe(200);

    received.length = 0;
    await sendDueWebhooks(testApp.dependencies);
    const events = received.map((delivery) => JSON.parse(delivery.body));
    // The run bills this test's other subscriber too: look at sub_hooks's invoice and the sale.
    const moneyEvents = events.filter(
      (event) => event.type === 'voucher.sold' || event.data.subscriberId === 'sub_hooks',
    );
    expect(moneyEvents.map((event) => event.type).sort()).toEqual([
      'invoice.created',
      'invoice.voided',
      'voucher.sold',
    ]);
    expect(moneyEvents.find((event) => event.type === 'voucher.sold').data).toMatchObject({
      planId,
      priceCents: TEST_HOTSPOT_PLAN.priceCents,
      channel: 'portal',
      phone: '254712000001',
    });
    expect(moneyEvents.find((event) => event.type === 'invoice.created').data).toMatchObject({
      invoiceId,
      subscriberId: 'sub_hooks',
      amountCents: 150_000,
      currency: 'KES',
    });
    // The first endpoint heard the portal's M-Pesa payment once (it listens to payment.received).
    expect(
      events.filter(
        (event) => event.type === 'payment.received' && event.data.providerReference === 'SLK4HOOK01',
      ),
    ).toHaveLength(1);
    await testApp.ispA.request('DELETE', `/api/v1/webhooks/${((await second.json()) as { id: string }).id}`);
  });

  it('keeps ISP B out of ISP A’s webhooks, and ISP B’s events away from ISP A’s receiver', async () => {
    const isp = testApp.ispB;
    expect(
      ((await (await isp.request('GET', '/api/v1/webhooks')).json()) as { items: unknown[] }).items,
    ).toEqual([]);
    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/${endpointId}`],
      ['PATCH', `/api/v1/webhooks/${endpointId}`],
      ['DELETE', `/api/v1/webhooks/${endpointId}`],
      ['GET', `/api/v1/webhooks/${endpointId}/deliveries`],
    ] as const) {
      const response = await isp.request(method, path, method === 'PATCH' ? { isActive: false } : undefined);
      expect(response.status).toBe(404);
    }
    const log = await testApp.ispA.request('GET', `/api/v1/webhooks/${endpointId}/deliveries`);
    const deliveryId = ((await log.json()) as { attempts: Array<{ deliveryId: string }> }).attempts[0]!
      .deliveryId;
    expect((await isp.request('POST', `/api/v1/webhooks/deliveries/${deliveryId}/redeliver`)).status).toBe(
      404,
    );

    received.length = 0;
    const other = await subscriberOf(isp, 'otieno');
    await isp.request('POST', `/api/v1/subscribers/${other}/suspend`);
    await sendDueWebhooks(testApp.dependencies);
    expect(received).toEqual([]);
  });

  it('shows the endpoint and its delivery log in the ISP console', async () => {
    const page = await testApp.ispA.openConsole();
    const list = await page('/isp/webhooks');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain(receiverUrl);
    const detail = await (await page(`/isp/webhooks/${endpointId}`)).text();
    expect(detail).toContain('subscriber.suspended');
    expect(detail).toContain('HTTP 500');
    expect(detail).toContain('Send again');
  });

  it('reports a router gone silent (nas.down) from the NAS monitor', async () => {
    const endpoint = await testApp.ispA.request('POST', '/api/v1/webhooks', {
      url: `${receiverUrl}/network`,
      events: ['nas.down', 'nas.up'],
    });
    expect(endpoint.status).toBe(201);
    const nas = await testApp.ispA.request('POST', '/api/v1/nas', {
      name: 'Kibera hill',
      ipAddress: '10.40.0.1',
    });
    const nasId = ((await nas.json()) as { id: string }).id;
    silentNasId = nasId;
    // Without SNMP a router is judged on accounting: silent past the default threshold, it is down.
    testApp.clock.advance(11 * 60_000);
    expect(await runNasMonitoring(testApp.dependencies)).toMatchObject({ raised: 1 });
    received.length = 0;
    await sendDueWebhooks(testApp.dependencies);
    expect(received.map((delivery) => JSON.parse(delivery.body))).toMatchObject([
      {
        type: 'nas.down',
        tenantId: testApp.ispA.tenantId,
        data: { nasId, name: 'Kibera hill', ipAddress: '10.40.0.1' },
      },
    ]);
  });

  it('reports the router heard again (nas.up) once its accounting arrives', async () => {
    const nasId = silentNasId;
    // An Interim-Update from the router, as the AAA server logs it, old enough for the monitor to read.
    const heardAt = testApp.clock.now() - METERING_SETTLE_MS - 1_000;
    const row = insertOf(tenantSchema.accountingLog, {
      receivedAt: heardAt,
      nasId,
      statusType: 3,
      acctSessionId: 'acct-kibera',
      username: 'client',
      inputOctets: 0,
      outputOctets: 0,
      sessionTimeSeconds: 60,
    });
    await testApp.ispA.database.run(row.sql, row.params);
    expect(await runNasMonitoring(testApp.dependencies)).toMatchObject({ cleared: 1 });
    received.length = 0;
    await sendDueWebhooks(testApp.dependencies);
    const events = received.map((delivery) => JSON.parse(delivery.body));
    expect(events).toMatchObject([
      {
        type: 'nas.up',
        tenantId: testApp.ispA.tenantId,
        data: { nasId, name: 'Kibera hill', ipAddress: '10.40.0.1' },
      },
    ]);
    expect(received[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    // Heard again on the next run: still up, nothing new to report.
    expect(await runNasMonitoring(testApp.dependencies)).toMatchObject({ raised: 0, cleared: 0 });
    received.length = 0;
    await sendDueWebhooks(testApp.dependencies);
    expect(received).toEqual([]);
  });

  it('reports a paybill payment M-Pesa confirmed by C2B (payment.received), signed', async () => {
    const subscriber = await subscriberOf(testApp.ispA, 'wanjiru');
    const accountNumber = (
      (await (await testApp.ispA.request('GET', `/api/v1/subscribers/${subscriber}`)).json()) as {
        accountNumber: string;
      }
    ).accountNumber;
    // Daraja posts its callbacks over HTTP: a loopback server hands them to the in-process app.
    const callbacks = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const answer = await testApp.app.request(request.url ?? '/', {
          method: request.method ?? 'POST',
          headers: { 'content-type': String(request.headers['content-type'] ?? 'application/json') },
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => callbacks.listen(0, '127.0.0.1', resolve));
    const shortcode = '600111';
    const daraja = await startDarajaSimulator({
      port: 0,
      apps: [{ consumerKey: 'hooks-key', consumerSecret: 'hooks-secret' }],
      shortcodes: [{ shortcode, passkey: 'hooks-passkey' }],
      callbackDelayMs: 0,
    });
    try {
      const origin = `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}`;
      const urls = callbackUrls(testApp.dependencies, testApp.ispA.tenantId);
      const onBridge = (url: string) => `${origin}${new URL(url).pathname}`;
      const token = (await (
        await fetch(`${daraja.baseUrl}/oauth/v1/generate?grant_type=client_credentials`, {
          headers: { authorization: `Basic ${Buffer.from('hooks-key:hooks-secret').toString('base64')}` },
        })
      ).json()) as { access_token: string };
      const registered = await fetch(`${daraja.baseUrl}/mpesa/c2b/v2/registerurl`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          ShortCode: shortcode,
          ResponseType: 'Completed',
          ConfirmationURL: onBridge(urls.c2bConfirmation),
          ValidationURL: onBridge(urls.c2bValidation),
        }),
      });
      expect(registered.status).toBe(200);

      const payment = await daraja.payC2b({
        shortcode,
        msisdn: '254712000222',
        amount: '1500.00',
        billRefNumber: accountNumber,
      });
      expect(payment.outcome).toBe('confirmed');
      await daraja.settled();
      received.length = 0;
      await sendDueWebhooks(testApp.dependencies);
      const paid = received.filter((delivery) => JSON.parse(delivery.body).type === 'payment.received');
      expect(paid).toHaveLength(1);
      expect(verified(paid[0]!, secret).isValid).toBe(true);
      expect(JSON.parse(paid[0]!.body)).toMatchObject({
        tenantId: testApp.ispA.tenantId,
        data: {
          subscriberId: subscriber,
          amountCents: 150_000,
          currency: 'KES',
          method: 'mpesa',
          providerReference: payment.transId,
        },
      });
    } finally {
      await daraja.stop();
      await new Promise<void>((resolve) => callbacks.close(() => resolve()));
    }
  });

  it('forgets finished deliveries, their attempts and events after 30 days', async () => {
    const countOf = async (table: string) =>
      (await testApp.ispA.database.get<{ count: number }>(`SELECT COUNT(*) AS count FROM ${table}`))?.count;
    expect(await countOf('webhook_attempts')).toBeGreaterThan(0);
    testApp.clock.advance(WEBHOOK_LOG_RETENTION_MS + 60_000);
    await sendDueWebhooks(testApp.dependencies);
    for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_events'])
      expect(await countOf(table), table).toBe(0);
  });
});
