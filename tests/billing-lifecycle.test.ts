// Time travel through one PPPoE subscriber's billing, in-process with a clock the test moves:
// invoice → reminders (delivered by SMS to the SMS gateway simulator) → due → suspension (Disconnect-Request reaches the NAS simulator, RADIUS
// rejects) → M-Pesa C2B payment through the real callback route → reactivation (RADIUS accepts).
// Every job is run twice to show the second run changes nothing.
import { createHmac } from 'node:crypto';
import { type AaaServer, codec } from '@kiunga/aaa-server';
import {
  type ApiDependencies,
  type createApp,
  runBillingJobs,
  sendPendingNotifications,
} from '@kiunga/control-api';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import { type NasSimulator, startNasSimulator } from '@kiunga/ops/sim/nas';
import { type SmsSimulator, startSmsSimulator } from '@kiunga/ops/sim/sms';
import { type Databases, ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessKiunga, startInProcess } from './support/in-process';
import {
  clockStartEnvironment,
  type DemoJson,
  makeDataDir,
  removeDataDir,
  seedDemo,
} from './support/kiunga-process';
import { radclient } from './support/radclient';

/** A Nairobi wall-clock instant (UTC+3 all year). */
const eat = (month: number, day: number, hour = 10) => Date.UTC(2030, month - 1, day, hour - 3);
/** The demo is seeded on 14 June 2029, whatever today is: seven months before the test's clock starts. */
const SEEDED_AT_MS = Date.parse('2029-06-14T10:00:00+03:00');

let dataDir: string;
let kiunga: InProcessKiunga;
let demo: DemoJson;
let databases: Databases;
let aaa: AaaServer;
let nas: NasSimulator;
let sms: SmsSimulator;
let dependencies: ApiDependencies;
let app: ReturnType<typeof createApp>;
let token: string;
const clock = new ManualClock(eat(1, 10));
const tenant = () => demo.tenants[0]!;
const nasSecret = () => tenant().nas[0]!.secret;
const subscriberPassword = 'lifecycle-pass-1';
let subscriber: { id: string; username: string; accountNumber: string };

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir, undefined, clockStartEnvironment(SEEDED_AT_MS));
  nas = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret: nasSecret(), behaviour: 'ack' });
  // The demo seeds the ISP's SMS gateway account; the simulator knows it.
  const smsAccount = (demo.tenants[0] as { sms?: { username: string; apiKey: string } }).sms!;
  sms = await startSmsSimulator({ port: 0, accounts: [smsAccount] });
  const started = await startInProcess({
    dataDir,
    clock,
    extra: { smsBaseUrl: sms.baseUrl },
    prepare: async (platform) => {
      await platform.run('UPDATE nas_devices SET coa_port = ? WHERE ip_address = ?', [nas.port, '127.0.0.1']);
    },
  });
  kiunga = started;
  ({ databases, aaa, dependencies, app } = started);
  token = await login();
});

afterAll(async () => {
  await kiunga?.stop();
  await nas?.close();
  await sms?.stop();
  removeDataDir(dataDir);
});

async function login(): Promise<string> {
  const response = await app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(tenant().owner),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

// biome-ignore lint/suspicious/noExplicitAny: the test reads JSON loosely and asserts on it.
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const auth = () =>
  radclient({
    server: `127.0.0.1:${aaa.authPort}`,
    command: 'auth',
    secret: nasSecret(),
    attributes: { 'User-Name': subscriber.username, 'User-Password': subscriberPassword },
  });

const acct = (attributes: Record<string, string>) =>
  radclient({
    server: `127.0.0.1:${aaa.acctPort}`,
    command: 'acct',
    secret: nasSecret(),
    attributes: {
      'User-Name': subscriber.username,
      'Acct-Session-Id': 'bill0001',
      'Framed-IP-Address': '10.9.0.42',
      'Calling-Station-Id': '02:00:00:00:42:01',
      ...attributes,
    },
  });

function tenantRows(sql: string, ...parameters: Array<string | number>): Promise<unknown[]> {
  return databases.forTenant(tenant().id).all(sql, parameters);
}

async function subscriberRow() {
  const [row] = await tenantRows(
    'SELECT status, expires_at AS "expiresAt" FROM subscribers WHERE id = ?',
    subscriber.id,
  );
  return row as { status: string; expiresAt: number | null };
}

/** Runs the billing jobs twice: the second run must find nothing left to do. */
async function runJobsTwice() {
  const first = await runBillingJobs(dependencies);
  const ledgerCount = await tenantRows('SELECT COUNT(*) AS count FROM ledger_entries');
  const second = await runBillingJobs(dependencies);
  expect(second).toMatchObject({
    invoices: 0,
    reminders: 0,
    suspensions: 0,
    reactivations: 0,
    failedTenants: [],
  });
  expect(await tenantRows('SELECT COUNT(*) AS count FROM ledger_entries')).toEqual(ledgerCount);
  return first;
}

const notificationsOf = async () =>
  (await tenantRows('SELECT kind FROM notifications WHERE subscriber_id = ? ORDER BY id', subscriber.id)).map(
    (row) => (row as { kind: string }).kind,
  );

describe('a subscriber through invoice, reminders, suspension, payment and reactivation', () => {
  const plan = () => tenant().plans.find((candidate) => candidate.kind === 'pppoe')!;

  it('invoices the first cycle prorated from signup and sets RADIUS expiry from billing', async () => {
    // The demo's subscribers signed up seven months before this clock: one run catches up on their
    // eight cycles (at most a year per run); after that a run issues nothing.
    let catchUpRuns = 0;
    while ((await runBillingJobs(dependencies)).invoices > 0) catchUpRuns++;
    expect(catchUpRuns).toBe(1);
    const created = await api('POST', '/api/v1/subscribers', {
      username: 'billing-lifecycle',
      password: subscriberPassword,
      planId: plan().id,
      fullName: 'Achieng Lifecycle',
      phone: '254712345678',
    });
    expect(created.status).toBe(201);
    subscriber = created.body;
    const run = await runJobsTwice();
    expect(run.invoices).toBe(1);
    const invoices = await api('GET', `/api/v1/invoices?subscriberId=${subscriber.id}`);
    expect(invoices.body.items).toHaveLength(1);
    const invoice = invoices.body.items[0];
    // January 2030 has 31 days; service starts on the 10th: 22 days, cumulative-floor rounding in
    // whole shillings (the default): Ksh 1,500 less the first 9 days' share floored to Ksh 435.
    const priceShillings = plan().priceCents / 100;
    expect(invoice.totalCents).toBe((priceShillings - Math.floor((priceShillings * 9) / 31)) * 100);
    expect(invoice.totalCents).toBe(106_500);
    expect(invoice).toMatchObject({ cycleKey: '2030-01-01', status: 'open', dueAt: eat(1, 17, 0) });
    // Service ends at the first suspension step: due (17th) + 3 days of grace.
    expect(await subscriberRow()).toEqual({ status: 'active', expiresAt: eat(1, 20, 0) });
    const accepted = await auth();
    expect(accepted.code).toBe('Access-Accept');
    expect(Number(accepted.attributes['Session-Timeout'])).toBe((eat(1, 20, 0) - clock.now()) / 1000);
    const started = await acct({ 'Acct-Status-Type': 'Start' });
    expect(started.code).toBe('Accounting-Response');
  });

  it('reminds three days before the due date and on it, once each', async () => {
    clock.set(eat(1, 13));
    expect((await runJobsTwice()).reminders).toBe(0);
    clock.set(eat(1, 14));
    await runJobsTwice();
    expect(await notificationsOf()).toEqual(['payment_reminder']);
    clock.set(eat(1, 17));
    await runJobsTwice();
    expect(await notificationsOf()).toEqual(['payment_reminder', 'payment_reminder']);
    const outbox = await tenantRows(
      'SELECT recipient, body, status FROM notifications WHERE subscriber_id = ?',
      subscriber.id,
    );
    expect(outbox[1]).toMatchObject({ recipient: '254712345678', status: 'pending' });
    expect((outbox[1] as { body: string }).body).toContain(subscriber.accountNumber);
    expect((await subscriberRow()).status).toBe('active');
    // The sender job delivers the outbox (the demo's own subscribers' messages first: oldest first).
    for (let run = 0; run < 20 && (await sendPendingNotifications(dependencies)).sent > 0; run++);
    const texts = sms
      .delivered()
      .filter((text) => text.to === '+254712345678' && text.message.includes(subscriber.accountNumber));
    expect(texts.map((text) => text.message.slice(0, 9))).toEqual(['Reminder:', 'Reminder:']);
    expect(
      await tenantRows(
        `SELECT status FROM notifications WHERE subscriber_id = ? AND status != 'sent'`,
        subscriber.id,
      ),
    ).toEqual([]);
  });

  it('suspends after the grace days, sends a Disconnect-Request to the live session, and RADIUS rejects', async () => {
    clock.set(eat(1, 20));
    const sentBefore = nas.received.length;
    const run = await runJobsTwice();
    expect(run.suspensions).toBeGreaterThanOrEqual(1);
    expect((await subscriberRow()).status).toBe('suspended');
    const disconnects = nas.received
      .slice(sentBefore)
      .filter(
        (request) =>
          request.code === PacketCode.DisconnectRequest &&
          codec.getString(request.packet, Attribute.AcctSessionId) === 'bill0001',
      );
    expect(disconnects).toHaveLength(1);
    // The router ends the session it was told to end and reports it, as RouterOS does.
    const stopped = await acct({ 'Acct-Status-Type': 'Stop', 'Acct-Terminate-Cause': 'Admin-Reset' });
    expect(stopped.code).toBe('Accounting-Response');
    const rejected = await auth();
    expect(rejected.code).toBe('Access-Reject');
    expect(rejected.attributes['Reply-Message']).toMatch(/suspended/);
    expect((await notificationsOf()).at(-1)).toBe('suspension');
  });

  it('reactivates as soon as an M-Pesa C2B payment covers what is overdue; RADIUS accepts again', async () => {
    clock.set(eat(1, 22));
    token = await login();
    const [invoice] = (await api('GET', `/api/v1/invoices?subscriberId=${subscriber.id}`)).body.items;
    const partial = invoice.totalCents - 100;
    expect(await confirmC2b('BIL0000001', partial)).toBe(200);
    await waitFor(
      async () =>
        (await tenantRows('SELECT 1 AS found FROM payments WHERE provider_transaction_id = ?', 'BIL0000001'))
          .length === 1,
    );
    await settled();
    expect((await subscriberRow()).status).toBe('suspended'); // one shilling short: still overdue
    expect((await api('GET', `/api/v1/invoices/${invoice.id}`)).body).toMatchObject({
      status: 'partially_paid',
      outstandingCents: 100,
    });
    expect(await confirmC2b('BIL0000002', 100 + 50_000)).toBe(200); // the rest, and Ksh 500 ahead
    await waitFor(async () => (await subscriberRow()).status === 'active');
    // Paid through January: service runs to February's suspension step (1st + 7 + 3 days).
    expect((await subscriberRow()).expiresAt).toBe(eat(2, 11, 0));
    const accepted = await auth();
    expect(accepted.attributes['Reply-Message'] ?? '').toBe('');
    expect(accepted.code).toBe('Access-Accept');
    expect((await notificationsOf()).at(-1)).toBe('reactivation');
    const statement = await api('GET', `/api/v1/subscribers/${subscriber.id}/statement`);
    expect(statement.body).toMatchObject({
      balanceCents: -50_000,
      creditBalanceCents: 50_000,
      outstandingCents: 0,
    });
    // A replayed callback changes nothing.
    expect(await confirmC2b('BIL0000002', 100 + 50_000)).toBe(200);
    await settled();
    expect((await api('GET', `/api/v1/subscribers/${subscriber.id}/statement`)).body.balanceCents).toBe(
      -50_000,
    );
    expect((await runJobsTwice()).reactivations).toBe(0);
  });

  it('bills February whole, takes the credit balance towards it, and numbers invoices in sequence', async () => {
    clock.set(eat(2, 1));
    token = await login();
    await runJobsTwice();
    const invoices = (await api('GET', `/api/v1/invoices?subscriberId=${subscriber.id}`)).body.items;
    expect(invoices).toHaveLength(2);
    const [february, january] = invoices;
    expect(february).toMatchObject({
      cycleKey: '2030-02-01',
      totalCents: plan().priceCents,
      status: 'partially_paid',
    });
    expect(january.number).toMatch(/^INV-2030-\d{6}$/);
    expect(february.number > january.number).toBe(true);
    const detail = (await api('GET', `/api/v1/invoices/${february.id}`)).body;
    expect(detail.paidCents).toBe(50_000);
    const html = await app.request(`/api/v1/invoices/${february.id}.html`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain(february.number);
    const pdf = await app.request(`/api/v1/invoices/${february.id}.pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });
});

async function confirmC2b(transId: string, amountCents: number): Promise<number> {
  const callbackToken = createHmac('sha256', dependencies.tokenKey)
    .update(`mpesa-callback:${tenant().id}`)
    .digest('base64url')
    .slice(0, 32);
  const response = await app.request(`/callbacks/mm/${tenant().id}/${callbackToken}/c2b/confirmation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      TransactionType: 'Pay Bill',
      TransID: transId,
      TransTime: '20300122100000',
      TransAmount: (amountCents / 100).toFixed(2),
      BusinessShortCode: '600000',
      BillRefNumber: subscriber.accountNumber,
      InvoiceNumber: '',
      OrgAccountBalance: '',
      ThirdPartyTransID: '',
      MSISDN: '254712345678',
      FirstName: 'Achieng',
    }),
  });
  return response.status;
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await condition()) return;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error('condition never held');
}

/** The payment hook runs after the callback answers; give it a moment to finish. */
async function settled(): Promise<void> {
  await new Promise((done) => setTimeout(done, 200));
}
