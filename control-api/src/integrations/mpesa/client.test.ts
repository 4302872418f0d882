import { ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { DarajaClient, TOKEN_EXPIRY_MARGIN_MS } from './client';
import { DarajaError } from './errors';
import { DarajaPath, type StkPushInput } from './requests';
import { stkPassword } from './timestamp';

interface Recorded {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Responder = (request: Recorded) => { status: number; body: unknown } | Promise<never>;

function fakeDaraja(responders: Record<string, Responder>) {
  const requests: Recorded[] = [];
  let tokenNumber = 0;
  const fetchFunction = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const recorded: Recorded = {
      url,
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(recorded);
    const path = new URL(url).pathname;
    if (path === '/oauth/v1/generate') {
      tokenNumber += 1;
      return Response.json({ access_token: `token-${tokenNumber}`, expires_in: '3599' });
    }
    const responder = responders[path];
    if (responder === undefined) return new Response('not found', { status: 404 });
    const answer = await responder(recorded);
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  }) as typeof fetch;
  return { fetchFunction, requests, tokensIssued: () => tokenNumber };
}

const accepted = {
  MerchantRequestID: '29115-34620561-1',
  CheckoutRequestID: 'ws_CO_191220191020363925',
  ResponseCode: '0',
  ResponseDescription: 'Success. Request accepted for processing',
  CustomerMessage: 'Success. Request accepted for processing',
};

const push: StkPushInput = {
  shortcode: '174379',
  passkey: 'passkey',
  amount: 50,
  phone: '254708374149',
  callbackUrl: 'https://kiunga.example/callbacks/mm/abc/stk',
  accountReference: 'KIUNGA',
  description: 'Wi-Fi 1 hour',
  transactionType: 'CustomerPayBillOnline',
};

function clientFor(fake: ReturnType<typeof fakeDaraja>, clock = new ManualClock(Date.UTC(2026, 0, 1, 9))) {
  const client = new DarajaClient({
    baseUrl: 'https://daraja.test/',
    consumerKey: 'key',
    consumerSecret: 'secret',
    fetch: fake.fetchFunction,
    clock,
    timeoutMs: 2_000,
  });
  return { client, clock };
}

async function rejection(promise: Promise<unknown>): Promise<DarajaError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof DarajaError)) throw new Error(`expected a DarajaError, got ${String(error)}`);
  return error;
}

describe('DarajaClient', () => {
  it('sends the documented STK push body with Basic-then-Bearer auth', async () => {
    const fake = fakeDaraja({ [DarajaPath.stkPush]: () => ({ status: 200, body: accepted }) });
    const { client } = clientFor(fake);
    expect(await client.stkPush(push)).toEqual(accepted);
    const [oauth, stk] = fake.requests;
    expect(oauth?.url).toBe(`https://daraja.test${DarajaPath.oauth}`);
    expect(oauth?.headers['Authorization']).toBe(`Basic ${Buffer.from('key:secret').toString('base64')}`);
    expect(stk?.headers['Authorization']).toBe('Bearer token-1');
    expect(stk?.body).toEqual({
      BusinessShortCode: 174379,
      Password: stkPassword('174379', 'passkey', '20260101120000'),
      Timestamp: '20260101120000',
      TransactionType: 'CustomerPayBillOnline',
      Amount: 50,
      PartyA: 254708374149,
      PartyB: 174379,
      PhoneNumber: 254708374149,
      CallBackURL: 'https://kiunga.example/callbacks/mm/abc/stk',
      AccountReference: 'KIUNGA',
      TransactionDesc: 'Wi-Fi 1 hour',
    });
  });

  it('caches the token until its expiry minus the margin', async () => {
    const fake = fakeDaraja({ [DarajaPath.stkPush]: () => ({ status: 200, body: accepted }) });
    const { client, clock } = clientFor(fake);
    await Promise.all([client.stkPush(push), client.stkPush(push)]);
    await client.stkPush(push);
    expect(fake.tokensIssued()).toBe(1);
    clock.advance(3599 * 1000 - TOKEN_EXPIRY_MARGIN_MS - 1);
    await client.stkPush(push);
    expect(fake.tokensIssued()).toBe(1);
    clock.advance(1);
    await client.stkPush(push);
    expect(fake.tokensIssued()).toBe(2);
  });

  it('renews a refused token once and resends', async () => {
    const fake = fakeDaraja({
      [DarajaPath.stkPush]: (request) =>
        request.headers['Authorization'] === 'Bearer token-1'
          ? { status: 401, body: { errorCode: '404.001.03', errorMessage: 'Invalid Access Token' } }
          : { status: 200, body: accepted },
    });
    const { client } = clientFor(fake);
    expect(await client.stkPush(push)).toEqual(accepted);
    expect(fake.tokensIssued()).toBe(2);
  });

  it('gives up when the fresh token is refused too', async () => {
    const fake = fakeDaraja({
      [DarajaPath.stkPush]: () => ({
        status: 404,
        body: { errorCode: '404.001.03', errorMessage: 'Invalid Access Token' },
      }),
    });
    const { client } = clientFor(fake);
    const error = await rejection(client.stkPush(push));
    expect(error.kind).toBe('authentication');
    expect(error.errorCode).toBe('404.001.03');
    expect(fake.tokensIssued()).toBe(2);
  });

  it("carries Daraja's errorCode and errorMessage", async () => {
    const fake = fakeDaraja({
      [DarajaPath.stkQuery]: () => ({
        status: 500,
        body: {
          requestId: 'r-1',
          errorCode: '500.001.1001',
          errorMessage: 'The transaction is being processed',
        },
      }),
    });
    const { client } = clientFor(fake);
    const error = await rejection(
      client.stkQuery({ shortcode: '174379', passkey: 'p', checkoutRequestId: 'ws_CO_1' }),
    );
    expect(error).toMatchObject({
      kind: 'http',
      httpStatus: 500,
      errorCode: '500.001.1001',
      requestId: 'r-1',
    });
    expect(error.isTransactionInProgress).toBe(true);
    expect(error.isRetryable).toBe(true);
  });

  it('refuses an answer that is not the documented shape', async () => {
    const fake = fakeDaraja({ [DarajaPath.stkPush]: () => ({ status: 200, body: { ok: true } }) });
    const { client } = clientFor(fake);
    expect((await rejection(client.stkPush(push))).kind).toBe('invalid_response');
  });

  it('treats a ResponseCode other than "0" as not accepted', async () => {
    const fake = fakeDaraja({
      [DarajaPath.c2bRegisterUrlV2]: () => ({
        status: 200,
        body: {
          OriginatorCoversationID: '1',
          ResponseCode: '1',
          ResponseDescription: 'Short code already registered',
        },
      }),
    });
    const { client } = clientFor(fake);
    const error = await rejection(
      client.registerC2bUrls({
        shortcode: '600638',
        apiVersion: 'v2',
        responseType: 'Completed',
        confirmationUrl: 'https://kiunga.example/c',
        validationUrl: 'https://kiunga.example/v',
      }),
    );
    expect(error).toMatchObject({
      kind: 'rejected',
      errorCode: '1',
      errorMessage: 'Short code already registered',
    });
  });

  it('times out a call that does not answer', async () => {
    const fake = fakeDaraja({ [DarajaPath.stkPush]: () => new Promise<never>(() => {}) });
    const hanging = (async (input: string | URL | Request, init?: RequestInit) => {
      if (String(input).includes('/oauth/')) return fake.fetchFunction(input, init);
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }) as typeof fetch;
    const client = new DarajaClient({
      baseUrl: 'https://daraja.test',
      consumerKey: 'key',
      consumerSecret: 'secret',
      fetch: hanging,
      clock: new ManualClock(),
      timeoutMs: 50,
    });
    const error = await rejection(client.stkPush(push));
    expect(error.kind).toBe('timeout');
    expect(error.isRetryable).toBe(true);
  });

  it.each<[string, Partial<StkPushInput>]>([
    ['amount 0', { amount: 0 }],
    ['amount in cents', { amount: 10.5 }],
    ['amount above the M-Pesa limit', { amount: 250_001 }],
    ['local phone format', { phone: '0708374149' }],
    ['relative callback URL', { callbackUrl: '/callbacks/stk' }],
    ['13-character account reference', { accountReference: 'ABCDEFGHIJKLM' }],
    ['14-character description', { description: 'ABCDEFGHIJKLMN' }],
    ['empty description', { description: '' }],
  ])('refuses %s before sending anything', async (_name, change) => {
    const fake = fakeDaraja({});
    const { client } = clientFor(fake);
    expect((await rejection(client.stkPush({ ...push, ...change }))).kind).toBe('invalid_request');
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['plain http', 'http://kiunga.example/callbacks/mm/abc/stk', /https/],
    ['a loopback host', 'https://127.0.0.1:8080/callbacks/mm/abc/stk', /cannot reach/],
    ['"mpesa" in the path', 'https://kiunga.example/mpesa/stk', /"mpesa"/],
    ['"Query" in the host', 'https://Query.example/callbacks/stk', /"query"/],
    ['"EXE" in the path', 'https://kiunga.example/callbacks/EXE/stk', /"exe"/],
    ['"M-Pesa" in the path', 'https://kiunga.example/M-Pesa/stk', /"m-pesa"/],
  ])(
    'refuses a CallBackURL with %s before sending anything to the real Daraja',
    async (_name, url, message) => {
      const fake = fakeDaraja({ [DarajaPath.stkPush]: () => ({ status: 200, body: accepted }) });
      const { client } = clientFor(fake);
      const error = await rejection(client.stkPush({ ...push, callbackUrl: url }));
      expect(error.kind).toBe('callback_url_refused');
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('/callbacks/');
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('lets plain http through to a simulator on loopback, but never a filtered word', async () => {
    const fake = fakeDaraja({ [DarajaPath.stkPush]: () => ({ status: 200, body: accepted }) });
    const client = new DarajaClient({
      baseUrl: 'http://127.0.0.1:8089',
      consumerKey: 'key',
      consumerSecret: 'secret',
      fetch: fake.fetchFunction,
      clock: new ManualClock(Date.UTC(2026, 0, 1, 9)),
      timeoutMs: 2_000,
    });
    expect(
      await client.stkPush({ ...push, callbackUrl: 'http://127.0.0.1:8080/callbacks/mm/a/stk' }),
    ).toEqual(accepted);
    const filtered = await rejection(
      client.stkPush({ ...push, callbackUrl: 'http://127.0.0.1:8080/callbacks/Sql/stk' }),
    );
    expect(filtered.kind).toBe('callback_url_refused');
  });

  it('registers C2B URLs on the version of the app: v2 by default path, v1 when asked', async () => {
    const registered = {
      OriginatorCoversationID: '6e86-45dd-91ac-fd5d4178ab523408729',
      ResponseCode: '0',
      ResponseDescription: 'Success',
    };
    const fake = fakeDaraja({
      [DarajaPath.c2bRegisterUrlV2]: () => ({ status: 200, body: registered }),
      [DarajaPath.c2bRegisterUrlV1]: () => ({ status: 200, body: registered }),
    });
    const { client } = clientFor(fake);
    const urls = {
      shortcode: '600638',
      responseType: 'Completed' as const,
      confirmationUrl: 'https://kiunga.example/c',
      validationUrl: 'https://kiunga.example/v',
    };
    await client.registerC2bUrls({ ...urls, apiVersion: 'v2' });
    await client.registerC2bUrls({ ...urls, apiVersion: 'v1' });
    expect(fake.requests.slice(1).map((request) => new URL(request.url).pathname)).toEqual([
      '/mpesa/c2b/v2/registerurl',
      '/mpesa/c2b/v1/registerurl',
    ]);
  });

  it('reports "no apiproduct match found" as the app lacking the product, without renewing the token', async () => {
    const fake = fakeDaraja({
      [DarajaPath.c2bRegisterUrlV1]: () => ({
        status: 401,
        body: {
          requestId: '9096-43a2-9c4e-15e6d7a8d8f656303542',
          errorCode: '401.003.01',
          errorMessage:
            'Error Occurred - Invalid Access Token - Invalid API call as no apiproduct match found',
        },
      }),
    });
    const { client } = clientFor(fake);
    const error = await rejection(
      client.registerC2bUrls({
        shortcode: '600638',
        apiVersion: 'v1',
        responseType: 'Completed',
        confirmationUrl: 'https://kiunga.example/c',
        validationUrl: 'https://kiunga.example/v',
      }),
    );
    expect(error).toMatchObject({ kind: 'product_not_subscribed', httpStatus: 401, errorCode: '401.003.01' });
    expect(error.isRetryable).toBe(false);
    expect(fake.tokensIssued()).toBe(1);
  });
});
