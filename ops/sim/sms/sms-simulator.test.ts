// The real SMS gateway client against the simulator over HTTP on loopback.
import { SmsClient, SmsGatewayError } from '@kiunga/control-api/integrations/sms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmsSimulator, startSmsSimulator } from './sms-simulator';

const ACCOUNT = { username: 'kiunga-test', apiKey: 'test-api-key', senderIds: ['KIUNGA'] };
const SUBSCRIBER = '+254712345678';

let simulator: SmsSimulator;

beforeAll(async () => {
  simulator = await startSmsSimulator({ port: 0, accounts: [ACCOUNT] });
});

afterAll(async () => {
  await simulator?.stop();
});

beforeEach(() => simulator.reset());

function client(apiKey = ACCOUNT.apiKey): SmsClient {
  return new SmsClient({
    baseUrl: `${simulator.baseUrl}/`,
    username: ACCOUNT.username,
    apiKey,
    timeoutMs: 5_000,
  });
}

async function rejection(promise: Promise<unknown>): Promise<SmsGatewayError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof SmsGatewayError))
    throw new Error(`expected an SmsGatewayError, got ${String(error)}`);
  return error;
}

describe('SmsClient against the SMS gateway simulator', () => {
  it('delivers a message and returns the gateway message id', async () => {
    const result = await client().send({
      to: [SUBSCRIBER],
      message: 'Reminder: invoice due',
      from: 'KIUNGA',
    });
    expect(result.summary).toMatch(/^Sent to 1\/1 Total Cost: KES 0\.8000$/);
    expect(result.recipients).toEqual([
      {
        number: SUBSCRIBER,
        outcome: 'sent',
        statusCode: 101,
        status: 'Success',
        messageId: expect.stringMatching(/^ATXid_/),
        cost: 'KES 0.8000',
      },
    ]);
    expect(simulator.delivered()).toEqual([
      expect.objectContaining({
        to: SUBSCRIBER,
        from: 'KIUNGA',
        username: ACCOUNT.username,
        message: 'Reminder: invoice due',
        messageId: result.recipients[0]?.messageId,
      }),
    ]);
  });

  it('answers each number on its own: an invalid number fails for good, the other is sent', async () => {
    const result = await client().send({ to: ['+254700000403', SUBSCRIBER], message: 'Hello' });
    expect(result.recipients.map((recipient) => [recipient.number, recipient.outcome])).toEqual([
      ['+254700000403', 'failed'],
      [SUBSCRIBER, 'sent'],
    ]);
    expect(result.recipients[0]).toMatchObject({
      statusCode: 403,
      status: 'InvalidPhoneNumber',
      messageId: null,
    });
    expect(simulator.delivered().map((message) => message.to)).toEqual([SUBSCRIBER]);
  });

  it('marks a blacklisted number failed and a low balance or gateway error retryable', async () => {
    simulator.setBehaviour(SUBSCRIBER, 'gateway_error', 1);
    const result = await client().send({
      to: ['+254700000406', '+254700000405', SUBSCRIBER],
      message: 'Hello',
    });
    expect(result.recipients.map((recipient) => recipient.outcome)).toEqual([
      'failed',
      'retryable',
      'retryable',
    ]);
    // The behaviour was for one request only: the next one is delivered.
    const again = await client().send({ to: [SUBSCRIBER], message: 'Hello' });
    expect(again.recipients[0]?.outcome).toBe('sent');
  });

  it('turns an HTTP 500 into a retryable error', async () => {
    simulator.setBehaviour(SUBSCRIBER, 'server_error', 1);
    const error = await rejection(client().send({ to: [SUBSCRIBER], message: 'Hello' }));
    expect(error).toMatchObject({ kind: 'http', httpStatus: 500 });
    expect(error.isRetryable).toBe(true);
    expect(simulator.messages()).toEqual([]);
  });

  it('refuses a wrong API key with a non-retryable authentication error', async () => {
    const error = await rejection(client('wrong-key').send({ to: [SUBSCRIBER], message: 'Hello' }));
    expect(error).toMatchObject({
      kind: 'authentication',
      httpStatus: 401,
      gatewayMessage: 'The supplied authentication is invalid',
    });
    expect(error.isRetryable).toBe(false);
    expect(simulator.messages()).toEqual([]);
  });

  it('fails every number when the sender id is not registered', async () => {
    const result = await client().send({ to: [SUBSCRIBER], message: 'Hello', from: 'OTHER' });
    expect(result.recipients[0]).toMatchObject({
      outcome: 'failed',
      statusCode: null,
      status: 'InvalidSenderId',
    });
  });

  it('refuses bad input before anything is sent', async () => {
    const requestsBefore = simulator.requestCount();
    for (const input of [
      { to: ['0712345678'], message: 'Hello' },
      { to: [SUBSCRIBER], message: '' },
      { to: [SUBSCRIBER], message: 'x'.repeat(919) },
      { to: [], message: 'Hello' },
    ]) {
      expect((await rejection(client().send(input))).kind).toBe('invalid_request');
    }
    expect(simulator.requestCount()).toBe(requestsBefore);
  });

  it('fails with a network error when nobody listens', async () => {
    const stopped = await startSmsSimulator({ port: 0, accounts: [ACCOUNT] });
    await stopped.stop();
    const offline = new SmsClient({ baseUrl: stopped.baseUrl, ...ACCOUNT, timeoutMs: 2_000 });
    const error = await rejection(offline.send({ to: [SUBSCRIBER], message: 'Hello' }));
    expect(error.kind).toBe('network');
    expect(error.isRetryable).toBe(true);
  });
});
