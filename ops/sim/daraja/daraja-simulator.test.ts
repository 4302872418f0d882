// The real Daraja client against the simulator over HTTP on loopback, with a local server receiving the callbacks.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  C2B_VALIDATION_ACCEPTED,
  C2bRejectionCode,
  c2bValidationRejected,
  DarajaClient,
  DarajaError,
  parseC2bRequest,
  parseStkCallback,
  parseTransactionStatusResult,
  readC2bRequest,
  readResultParameters,
  readStkCallback,
  STK_CALLBACK_ACCEPTED,
  type StkPushInput,
} from '@kiunga/control-api/integrations/mpesa';
import { systemClock } from '@kiunga/schemas';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DarajaSimulator, startDarajaSimulator } from './daraja-simulator';

const SHORTCODE = '174379';
const PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';
const APP = { consumerKey: 'test-key', consumerSecret: 'test-secret' };
/** An older app, subscribed to C2B v1 only. */
const V1_APP = { consumerKey: 'v1-key', consumerSecret: 'v1-secret', c2bApiVersions: ['v1'] as const };
const TILL = '600700';
/** How long a test waits for a callback before it fails. */
const CALLBACK_WAIT_MS = 5_000;

interface Received {
  readonly path: string;
  readonly body: unknown;
}

/** Our side of the wire: records every callback and answers as Kiunga's routes will. */
class CallbackReceiver {
  readonly received: Received[] = [];
  private server: Server | undefined;
  baseUrl = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        const path = request.url ?? '/';
        this.received.push({ path, body });
        let answer: unknown = STK_CALLBACK_ACCEPTED;
        if (path.startsWith('/c2b/validation')) {
          const parsed = parseC2bRequest(body);
          answer =
            parsed.ok && parsed.value.BillRefNumber.startsWith('ACC')
              ? C2B_VALIDATION_ACCEPTED
              : c2bValidationRejected(C2bRejectionCode.InvalidAccountNumber);
        }
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((item) => item.path === path);
  }

  /** Resolves when `count` callbacks arrived on `path`; fails after CALLBACK_WAIT_MS. */
  async waitFor(path: string, count = 1): Promise<Received[]> {
    const deadline = Date.now() + CALLBACK_WAIT_MS;
    while (this.on(path).length < count) {
      if (Date.now() > deadline)
        throw new Error(`expected ${count} callback(s) on ${path}, got ${this.on(path).length}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.on(path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let simulator: DarajaSimulator;
const receiver = new CallbackReceiver();
let sequence = 0;

function newClient(overrides: { consumerKey?: string; consumerSecret?: string } = {}): DarajaClient {
  return new DarajaClient({
    baseUrl: simulator.baseUrl,
    ...APP,
    ...overrides,
    clock: systemClock,
    timeoutMs: 5_000,
  });
}

function pushFor(phone: string): StkPushInput & { path: string } {
  sequence += 1;
  const path = `/stk/${sequence}`;
  return {
    path,
    shortcode: SHORTCODE,
    passkey: PASSKEY,
    amount: 50,
    phone,
    callbackUrl: `${receiver.baseUrl}${path}`,
    accountReference: 'HOTSPOT',
    description: 'Wi-Fi 1 day',
    transactionType: 'CustomerPayBillOnline',
  };
}

async function rejection(promise: Promise<unknown>): Promise<DarajaError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DarajaError)) throw new Error(`expected a DarajaError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  await receiver.start();
  simulator = await startDarajaSimulator({
    port: 0,
    apps: [APP, V1_APP],
    shortcodes: [
      { shortcode: SHORTCODE, passkey: PASSKEY },
      { shortcode: '600638', passkey: 'c2b-passkey' },
      { shortcode: TILL, passkey: 'till-passkey', kind: 'till' },
    ],
    callbackDelayMs: 20,
  });
});

afterEach(async () => {
  await simulator.settled();
  simulator.setDuplicateCallbacks(0);
  simulator.setScenario('success');
});

afterAll(async () => {
  await simulator.stop();
  await receiver.stop();
});

describe('OAuth', () => {
  it('issues one token and the client reuses it', async () => {
    const before = simulator.state().tokensIssued;
    const client = newClient();
    await client.stkPush(pushFor('254708374149'));
    await client.stkPush(pushFor('254708374149'));
    expect(simulator.state().tokensIssued - before).toBe(1);
  });

  it('renews a token the server no longer accepts, once', async () => {
    const client = newClient();
    await client.stkPush(pushFor('254708374149'));
    const before = simulator.state().tokensIssued;
    simulator.revokeTokens();
    const answer = await client.stkPush(pushFor('254708374149'));
    expect(answer.ResponseCode).toBe('0');
    expect(simulator.state().tokensIssued - before).toBe(1);
  });

  it('refuses wrong consumer credentials', async () => {
    const error = await rejection(newClient({ consumerSecret: 'wrong' }).stkPush(pushFor('254708374149')));
    expect(error).toMatchObject({ kind: 'authentication', httpStatus: 400, errorCode: '400.008.01' });
  });
});

describe('STK push', () => {
  it('pays: the callback carries amount, receipt, date and phone, and the query agrees', async () => {
    const client = newClient();
    const push = pushFor('254712345678');
    const answer = await client.stkPush(push);
    expect(answer).toMatchObject({
      ResponseCode: '0',
      CustomerMessage: 'Success. Request accepted for processing',
    });
    const [callback] = await receiver.waitFor(push.path);
    const parsed = parseStkCallback(callback?.body);
    if (!parsed.ok) throw new Error(parsed.issues);
    expect(parsed.value.Body.stkCallback.CheckoutRequestID).toBe(answer.CheckoutRequestID);
    const reading = readStkCallback(parsed.value.Body.stkCallback);
    if (reading.kind !== 'paid') throw new Error(`expected paid, got ${reading.kind}`);
    expect(reading.payment).toMatchObject({ amount: 5000, phoneNumber: '254712345678' });
    expect(reading.payment.mpesaReceiptNumber).toMatch(/^[A-Z][A-Z0-9]{9}$/);
    expect(Math.abs(reading.payment.transactionDateMs - Date.now())).toBeLessThan(60_000);
    const query = await client.stkQuery({
      shortcode: SHORTCODE,
      passkey: PASSKEY,
      checkoutRequestId: answer.CheckoutRequestID,
    });
    expect(query).toMatchObject({ ResultCode: 0, CheckoutRequestID: answer.CheckoutRequestID });
  });

  it.each([
    ['254700000001', 1032, 'cancelled'],
    ['254700000009', 1031, 'cancelled'],
    ['254700000002', 1037, 'timeout'],
    ['254700000003', 1, 'insufficient_funds'],
    ['254700000004', 2001, 'wrong_pin'],
  ] as const)('magic number %s fails with ResultCode %d (%s)', async (phone, resultCode, outcome) => {
    const client = newClient();
    const push = pushFor(phone);
    const answer = await client.stkPush(push);
    const [callback] = await receiver.waitFor(push.path);
    const parsed = parseStkCallback(callback?.body);
    if (!parsed.ok) throw new Error(parsed.issues);
    expect(parsed.value.Body.stkCallback.CallbackMetadata).toBeUndefined();
    expect(readStkCallback(parsed.value.Body.stkCallback)).toEqual({ kind: 'failed', outcome, resultCode });
    const query = await client.stkQuery({
      shortcode: SHORTCODE,
      passkey: PASSKEY,
      checkoutRequestId: answer.CheckoutRequestID,
    });
    expect(query.ResultCode).toBe(resultCode);
  });

  it('takes a scenario for any number from POST /__sim/scenario', async () => {
    const phone = '254799000111';
    const control = await fetch(`${simulator.baseUrl}/__sim/scenario`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone, scenario: 'wrong_pin' }),
    });
    expect(control.status).toBe(200);
    const push = pushFor(phone);
    await newClient().stkPush(push);
    const [callback] = await receiver.waitFor(push.path);
    expect(callback?.body).toMatchObject({ Body: { stkCallback: { ResultCode: 2001 } } });
  });

  it('sends duplicate callbacks identical to the first', async () => {
    simulator.setDuplicateCallbacks(2);
    const push = pushFor('254708374149');
    await newClient().stkPush(push);
    const callbacks = await receiver.waitFor(push.path, 3);
    await simulator.settled();
    expect(receiver.on(push.path)).toHaveLength(3);
    expect(callbacks[1]?.body).toEqual(callbacks[0]?.body);
    expect(callbacks[2]?.body).toEqual(callbacks[0]?.body);
  });

  it('answers a query before the customer has answered with "being processed"', async () => {
    const client = newClient();
    const push = pushFor('254700000008');
    const answer = await client.stkPush(push);
    const error = await rejection(
      client.stkQuery({
        shortcode: SHORTCODE,
        passkey: PASSKEY,
        checkoutRequestId: answer.CheckoutRequestID,
      }),
    );
    expect(error.isTransactionInProgress).toBe(true);
    await simulator.settled();
    expect(receiver.on(push.path)).toHaveLength(0);
  });

  it('refuses a wrong passkey and an unknown shortcode like Daraja', async () => {
    const client = newClient();
    const wrongPasskey = await rejection(client.stkPush({ ...pushFor('254708374149'), passkey: 'nope' }));
    expect(wrongPasskey).toMatchObject({ kind: 'http', httpStatus: 500, errorMessage: 'Wrong credentials' });
    expect(wrongPasskey.isTransactionInProgress).toBe(false);
    const unknown = await rejection(client.stkPush({ ...pushFor('254708374149'), shortcode: '999999' }));
    expect(unknown).toMatchObject({ httpStatus: 400, errorCode: '400.002.02' });
  });
});

describe('C2B', () => {
  const validationPath = '/c2b/validation/tenant-1';
  const confirmationPath = '/c2b/confirmation/tenant-1';

  beforeAll(async () => {
    const answer = await newClient().registerC2bUrls({
      shortcode: '600638',
      apiVersion: 'v2',
      responseType: 'Completed',
      confirmationUrl: `${receiver.baseUrl}${confirmationPath}`,
      validationUrl: `${receiver.baseUrl}${validationPath}`,
    });
    expect(answer.ResponseCode).toBe('0');
  });

  it('stores the registration', () => {
    expect(simulator.state().c2bRegistrations).toEqual([
      expect.objectContaining({
        shortcode: '600638',
        apiVersion: 'v2',
        confirmationUrl: `${receiver.baseUrl}${confirmationPath}`,
      }),
    ]);
  });

  it('answers an app registering on a C2B version it lacks with 401 "no apiproduct match found"', async () => {
    const urls = {
      shortcode: '600638',
      responseType: 'Completed' as const,
      confirmationUrl: `${receiver.baseUrl}/c2b/confirmation/other`,
      validationUrl: `${receiver.baseUrl}/c2b/validation/other`,
    };
    const tokensBefore = simulator.state().tokensIssued;
    const v1OnV2 = await rejection(newClient(V1_APP).registerC2bUrls({ ...urls, apiVersion: 'v2' }));
    expect(v1OnV2).toMatchObject({
      kind: 'product_not_subscribed',
      httpStatus: 401,
      errorCode: '401.003.01',
      errorMessage: 'Error Occurred - Invalid Access Token - Invalid API call as no apiproduct match found',
    });
    // A product mismatch is not a stale token: no second token was fetched to retry with.
    expect(simulator.state().tokensIssued - tokensBefore).toBe(1);
    const v2OnV1 = await rejection(newClient().registerC2bUrls({ ...urls, apiVersion: 'v1' }));
    expect(v2OnV1.kind).toBe('product_not_subscribed');
    expect(simulator.state().c2bRegistrations).toHaveLength(1);
  });

  it('a payment calls validation, then confirmation', async () => {
    const before = receiver.received.length;
    const response = await fetch(`${simulator.baseUrl}/__sim/c2b/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        shortcode: '600638',
        msisdn: '254712345678',
        amount: '1500.50',
        billRefNumber: 'ACC1001',
      }),
    });
    expect(response.status).toBe(200);
    const record = (await response.json()) as { outcome: string; transId: string };
    expect(record.outcome).toBe('confirmed');
    const arrived = receiver.received.slice(before);
    expect(arrived.map((item) => item.path)).toEqual([validationPath, confirmationPath]);
    const confirmation = parseC2bRequest(arrived[1]?.body);
    if (!confirmation.ok) throw new Error(confirmation.issues);
    expect(readC2bRequest(confirmation.value)).toMatchObject({
      transId: record.transId,
      transactionType: 'Pay Bill',
      amount: 150_050,
      billRefNumber: 'ACC1001',
      businessShortCode: '600638',
      // C2B v2 masks the payer's number.
      msisdn: '2547 ***** 678',
    });
  });

  it('a till payment carries no account number; a v1 registration hashes the number', async () => {
    const tillValidation = '/c2b/validation/till';
    const tillConfirmation = '/c2b/confirmation/till';
    await newClient(V1_APP).registerC2bUrls({
      shortcode: TILL,
      apiVersion: 'v1',
      responseType: 'Completed',
      confirmationUrl: `${receiver.baseUrl}${tillConfirmation}`,
      validationUrl: `${receiver.baseUrl}${tillValidation}`,
    });
    await expect(
      simulator.payC2b({ shortcode: TILL, msisdn: '254712345678', amount: 20, billRefNumber: 'ACC1' }),
    ).rejects.toThrow(/no account number/);
    const record = await simulator.payC2b({ shortcode: TILL, msisdn: '254712345678', amount: 20 });
    // The test receiver refuses references not starting with ACC, as a paybill would: a till's empty one too.
    expect(record.outcome).toBe('rejected');
    const [validation] = receiver.on(tillValidation);
    const parsed = parseC2bRequest(validation?.body);
    if (!parsed.ok) throw new Error(parsed.issues);
    expect(readC2bRequest(parsed.value)).toMatchObject({
      transactionType: 'Buy Goods',
      billRefNumber: '',
      msisdn: createHash('sha256').update('254712345678').digest('hex'),
    });
  });

  it('a rejected validation gets no confirmation', async () => {
    const before = receiver.received.length;
    const record = await simulator.payC2b({
      shortcode: '600638',
      msisdn: '254712345678',
      amount: 10,
      billRefNumber: 'NOPE',
    });
    expect(record.outcome).toBe('rejected');
    expect(record.validation?.responseBody).toEqual({ ResultCode: 'C2B00012', ResultDesc: 'Rejected' });
    expect(receiver.received.slice(before).map((item) => item.path)).toEqual([validationPath]);
  });
});

describe('transaction status', () => {
  it('acknowledges, then posts the result of a known receipt to the ResultURL', async () => {
    const payment = await simulator.payC2b({
      shortcode: '600638',
      msisdn: '254712345678',
      amount: 75,
      billRefNumber: 'ACC7',
    });
    const answer = await newClient().transactionStatus({
      initiator: 'testapi',
      securityCredential: 'c2VjcmV0',
      transactionId: payment.transId,
      partyA: '600638',
      identifierType: 4,
      resultUrl: `${receiver.baseUrl}/status/result`,
      queueTimeOutUrl: `${receiver.baseUrl}/status/timeout`,
      remarks: 'reconcile',
    });
    expect(answer.ResponseCode).toBe('0');
    const [result] = await receiver.waitFor('/status/result');
    const parsed = parseTransactionStatusResult(result?.body);
    if (!parsed.ok) throw new Error(parsed.issues);
    expect(parsed.value.Result).toMatchObject({
      ResultCode: 0,
      OriginatorConversationID: answer.OriginatorConversationID,
    });
    const parameters = readResultParameters(parsed.value);
    expect(parameters.get('ReceiptNo')).toBe(payment.transId);
    expect(parameters.get('Amount')).toBe(75);
    expect(parameters.get('TransactionStatus')).toBe('Completed');
  });
});

describe('wire checks a client cannot see through the typed client', () => {
  async function bearer(): Promise<string> {
    return `Bearer ${await newClient().accessToken()}`;
  }

  function utcTimestamp(epochMs: number): string {
    return new Date(epochMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  }

  const NAIROBI_OFFSET_MS = 3 * 3_600_000;

  /** An STK push as bytes on the wire, past the typed client's own checks. */
  async function rawStkPush(fields: { timestamp?: string; callbackUrl?: string }): Promise<Response> {
    const timestamp = fields.timestamp ?? utcTimestamp(Date.now() + NAIROBI_OFFSET_MS);
    return fetch(`${simulator.baseUrl}/mpesa/stkpush/v1/processrequest`, {
      method: 'POST',
      headers: { Authorization: await bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        BusinessShortCode: SHORTCODE,
        Password: Buffer.from(SHORTCODE + PASSKEY + timestamp).toString('base64'),
        Timestamp: timestamp,
        TransactionType: 'CustomerPayBillOnline',
        Amount: 1,
        PartyA: '254708374149',
        PartyB: SHORTCODE,
        PhoneNumber: '254708374149',
        CallBackURL: fields.callbackUrl ?? `${receiver.baseUrl}/stk/raw`,
        AccountReference: 'HOTSPOT',
        TransactionDesc: 'Wi-Fi',
      }),
    });
  }

  it('refuses a Timestamp written in UTC instead of Nairobi time', async () => {
    const response = await rawStkPush({ timestamp: utcTimestamp(Date.now()) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid Timestamp',
    });
  });

  it('answers 401 "Invalid Access Token" without a bearer token', async () => {
    const response = await fetch(`${simulator.baseUrl}/mpesa/stkpushquery/v1/query`, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      errorCode: '404.001.03',
      errorMessage: 'Invalid Access Token',
    });
  });

  it('refuses an unknown scenario name', async () => {
    const response = await fetch(`${simulator.baseUrl}/__sim/scenario`, {
      method: 'POST',
      body: JSON.stringify({ scenario: 'maybe' }),
    });
    expect(response.status).toBe(400);
  });

  it('shows its state, callback deliveries included', async () => {
    const push = pushFor('254708374149');
    const answer = await newClient().stkPush(push);
    await receiver.waitFor(push.path);
    await simulator.settled();
    const state = (await (await fetch(`${simulator.baseUrl}/__sim/state`)).json()) as ReturnType<
      DarajaSimulator['state']
    >;
    const transaction = state.stkTransactions.find(
      (item) => item.checkoutRequestId === answer.CheckoutRequestID,
    );
    expect(transaction).toMatchObject({
      status: 'completed',
      resultCode: 0,
      scenario: 'success',
      amount: 50,
    });
    expect(transaction?.deliveries).toEqual([
      expect.objectContaining({
        copy: 1,
        status: 200,
        responseBody: { ResultCode: 0, ResultDesc: 'Accepted' },
      }),
    ]);
  });

  const stkPushWithCallback = (callbackUrl: string) => rawStkPush({ callbackUrl });
  it.each([
    ['plain http to a public host', 'http://isp.example.co.ke/callbacks/stk'],
    ['"mpesa" in the path', 'https://isp.example.co.ke/mpesa/stk'],
    ['"QUERY" in capitals', 'https://isp.example.co.ke/callbacks/QUERY/stk'],
    ['"Exe" inside a token', 'https://isp.example.co.ke/callbacks/aExeb/stk'],
    ['"sql" on loopback', `http://127.0.0.1:1/callbacks/sql/stk`],
  ])('refuses a CallBackURL with %s, as Daraja does', async (_name, url) => {
    const response = await stkPushWithCallback(url);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid CallBackURL',
    });
  });

  it('takes https anywhere and plain http only on loopback', async () => {
    expect((await stkPushWithCallback('https://isp.example.co.ke/callbacks/mm/ab/stk')).status).toBe(200);
    expect((await stkPushWithCallback(`${receiver.baseUrl}/stk/loopback`)).status).toBe(200);
  });

  it('refuses C2B URLs with a filtered word or plain http to a public host', async () => {
    for (const confirmationUrl of [
      `${receiver.baseUrl}/M-PESA/confirmation`,
      'http://isp.example.co.ke/callbacks/confirmation',
    ]) {
      const response = await fetch(`${simulator.baseUrl}/mpesa/c2b/v2/registerurl`, {
        method: 'POST',
        headers: { Authorization: await bearer(), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          ShortCode: '600638',
          ResponseType: 'Completed',
          ConfirmationURL: confirmationUrl,
          ValidationURL: `${receiver.baseUrl}/c2b/validation/x`,
        }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ errorMessage: 'Bad Request - Invalid ConfirmationURL' });
    }
  });
});
