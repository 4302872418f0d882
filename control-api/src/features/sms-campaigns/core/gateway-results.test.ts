// The SMS client's outcomes read as sent / not sent / unknown, including a real refused connection.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SmsClient } from '../../../integrations/sms/client';
import { SmsGatewayError } from '../../../integrations/sms/errors';
import { requestResultOfAnswer, requestResultOfError } from './gateway-results';

/** A loopback port nobody listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('requestResultOfError', () => {
  it('reads a refused connection as not sent, so the messages may be retried', async () => {
    const client = new SmsClient({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      username: 'isp',
      apiKey: 'k',
      timeoutMs: 5_000,
    });
    const error = await client
      .send({ to: ['+254712000001'], message: 'Hi' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmsGatewayError);
    expect(requestResultOfError(error)).toMatchObject({ kind: 'not_sent', isRetryable: true });
  });

  it('reads a timeout, an unreadable success and a dropped connection as unknown', () => {
    expect(requestResultOfError(new SmsGatewayError('timeout', 'no answer'))).toMatchObject({
      kind: 'outcome_unknown',
    });
    expect(requestResultOfError(new SmsGatewayError('invalid_response', 'not SMSMessageData'))).toMatchObject(
      {
        kind: 'outcome_unknown',
      },
    );
    const reset = new SmsGatewayError('network', 'connection failed', {
      cause: Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      }),
    });
    expect(requestResultOfError(reset)).toMatchObject({ kind: 'outcome_unknown' });
  });

  it('reads HTTP answers by status, credentials apart, and rethrows anything else', () => {
    expect(requestResultOfError(new SmsGatewayError('http', '503', { httpStatus: 503 }))).toMatchObject({
      kind: 'not_sent',
      isRetryable: true,
    });
    expect(requestResultOfError(new SmsGatewayError('http', '400', { httpStatus: 400 }))).toMatchObject({
      kind: 'not_sent',
      isRetryable: false,
    });
    expect(
      requestResultOfError(new SmsGatewayError('authentication', '401', { httpStatus: 401 })),
    ).toMatchObject({
      kind: 'credentials_refused',
    });
    expect(() => requestResultOfError(new RangeError('bug'))).toThrow(RangeError);
  });

  it('passes each number’s answer through in order', () => {
    expect(
      requestResultOfAnswer({
        summary: 'Sent to 1/1',
        recipients: [
          {
            number: '+254712000001',
            outcome: 'sent',
            statusCode: 101,
            status: 'Success',
            messageId: 'ATXid_1',
            cost: 'KES 0.8000',
          },
        ],
      }),
    ).toEqual({
      kind: 'answered',
      recipients: [{ outcome: 'sent', statusCode: 101, status: 'Success', providerMessageId: 'ATXid_1' }],
    });
  });
});
