// Webhook delivery against a receiver on loopback (allowed as private, as the demo and tests run): it
// checks the signature, answers 500 then 200, and the retry schedule brings the second attempt.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@kiunga/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookEvent, deliveryBody, newWebhookSecret } from '../core/events';
import { decideAfterDeliveryAttempt } from '../core/retry-schedule';
import { SIGNATURE_HEADER, type SignatureCheck, verifySignature } from '../core/signature';
import { attemptResultOf, checkedAddresses, deliverWebhook, RESPONSE_EXCERPT_CHARS_MAX } from './deliver';

const demo = { isPrivateAllowed: true };
const strict = { isPrivateAllowed: false };
const servers: Server[] = [];

interface Received {
  readonly path: string;
  readonly body: string;
  readonly check: SignatureCheck;
  readonly contentType: string | undefined;
}

async function receiver(
  secret: string,
  clock: ManualClock,
  answer: (index: number, response: ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = request.headers[SIGNATURE_HEADER.toLowerCase()];
      const check = verifySignature({
        body,
        header: Array.isArray(header) ? header[0] : header,
        secrets: secret,
        nowSeconds: Math.floor(clock.now() / 1000),
      });
      received.push({ path: request.url ?? '', body, check, contentType: request.headers['content-type'] });
      if (!check.isValid) {
        response.writeHead(400);
        response.end('bad signature');
        return;
      }
      answer(received.length - 1, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/kiunga`, received };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A receiver with its own secret and clock, answering with `answer`, and a delivery of `{}` to it. */
async function deliverTo(
  answer: (index: number, response: ServerResponse) => void,
  overrides: { timeoutMs?: number } = {},
) {
  const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
  const secret = newWebhookSecret();
  const target = await receiver(secret, clock, answer);
  const outcome = await deliverWebhook({
    url: target.url,
    body: '{}',
    secrets: secret,
    clock,
    policy: demo,
    ...overrides,
  });
  return { outcome, target };
}

function paymentEvent(createdAt: number) {
  return createWebhookEvent({
    type: 'payment.received',
    tenantId: 'ten_1',
    createdAt,
    data: {
      paymentId: 'pay_1',
      subscriberId: 'sub_1',
      amountCents: 150_000,
      currency: 'KES',
      method: 'mpesa',
      providerReference: 'SJ12ABCDEF',
      receivedAt: createdAt,
    },
  });
}

describe('deliverWebhook', () => {
  it('is retried after a 500 and delivered on the next attempt, signed each time', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
    const secret = newWebhookSecret();
    const target = await receiver(secret, clock, (index, response) => {
      response.writeHead(index === 0 ? 500 : 200, { 'Content-Type': 'application/json' });
      response.end(index === 0 ? '{"error":"database down"}' : '{"received":true}');
    });
    const event = paymentEvent(clock.now());
    const body = deliveryBody(event);
    const firstAttemptAt = clock.now();

    const first = await deliverWebhook({ url: target.url, body, secrets: secret, clock, policy: demo });
    expect(first).toMatchObject({
      kind: 'failed',
      httpStatus: 500,
      responseExcerpt: '{"error":"database down"}',
    });
    const decision = decideAfterDeliveryAttempt(attemptResultOf(first), {
      attempts: 1,
      firstAttemptAt,
      now: clock.now(),
    });
    expect(decision.status).toBe('pending');
    if (decision.status !== 'pending') return;

    clock.set(decision.nextAttemptAt);
    const second = await deliverWebhook({ url: target.url, body, secrets: secret, clock, policy: demo });
    expect(second).toMatchObject({
      kind: 'delivered',
      httpStatus: 200,
      responseExcerpt: '{"received":true}',
    });
    expect(
      decideAfterDeliveryAttempt(attemptResultOf(second), { attempts: 2, firstAttemptAt, now: clock.now() }),
    ).toEqual({
      status: 'delivered',
      deliveredAt: clock.now(),
    });

    expect(target.received).toHaveLength(2);
    for (const delivery of target.received) {
      expect(delivery.check.isValid).toBe(true);
      expect(delivery.path).toBe('/hooks/kiunga');
      expect(delivery.contentType).toBe('application/json');
      expect(JSON.parse(delivery.body)).toEqual({
        id: event.id,
        type: 'payment.received',
        createdAt: event.createdAt,
        tenantId: 'ten_1',
        data: event.data,
      });
    }
    // Each attempt is signed at its own time: the retry's timestamp is the later one.
    const [firstCheck, secondCheck] = target.received.map((delivery) => delivery.check);
    expect(
      firstCheck?.isValid &&
        secondCheck?.isValid &&
        secondCheck.timestampSeconds - firstCheck.timestampSeconds,
    ).toBe(60);
  });

  it('is refused by a receiver checking another secret', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
    const target = await receiver('whsec_receiver', clock, (_index, response) => response.end());
    const outcome = await deliverWebhook({
      url: target.url,
      body: deliveryBody(paymentEvent(clock.now())),
      secrets: 'whsec_someone_else',
      clock,
      policy: demo,
    });
    expect(outcome).toMatchObject({ kind: 'failed', httpStatus: 400 });
    expect(target.received[0]?.check).toEqual({ isValid: false, reason: 'mismatch' });
  });

  it('never follows a redirect', async () => {
    const { outcome, target } = await deliverTo((_index, response) => {
      response.writeHead(307, { Location: 'http://169.254.169.254/latest/meta-data' });
      response.end();
    });
    expect(outcome).toMatchObject({ kind: 'failed', httpStatus: 307 });
    expect(target.received).toHaveLength(1);
  });

  it('reads only the start of a huge answer', async () => {
    const { outcome } = await deliverTo((_index, response) => {
      response.writeHead(200);
      response.end('x'.repeat(5 * 1024 * 1024));
    });
    expect(outcome.kind).toBe('delivered');
    expect(outcome.kind === 'delivered' && outcome.responseExcerpt.length).toBe(RESPONSE_EXCERPT_CHARS_MAX);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const { outcome } = await deliverTo(
      () => {
        // Never answers.
      },
      { timeoutMs: 200 },
    );
    expect(outcome).toMatchObject({ kind: 'failed', httpStatus: null, error: 'no answer in time' });
    expect(attemptResultOf(outcome).kind).toBe('retryable');
  });
});

describe('the SSRF guard at delivery', () => {
  it('refuses loopback without the operator allowing it, and sends nothing', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
    const secret = newWebhookSecret();
    const target = await receiver(secret, clock, (_index, response) => response.end());
    const httpsUrl = target.url.replace('http:', 'https:');
    const outcome = await deliverWebhook({
      url: httpsUrl,
      body: '{}',
      secrets: secret,
      clock,
      policy: strict,
    });
    expect(outcome).toEqual({ kind: 'refused', reason: '127.0.0.1 is a loopback address' });
    expect(attemptResultOf(outcome).kind).toBe('permanent');
    expect(target.received).toHaveLength(0);
  });

  it('refuses a name that resolves to a private address, checked in the socket lookup itself', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
    const secret = newWebhookSecret();
    const target = await receiver(secret, clock, (_index, response) => response.end());
    const port = new URL(target.url).port;
    const resolveHost = async () => ['127.0.0.1'];
    const outcome = await deliverWebhook({
      url: `https://hooks.isp.example:${port}/hooks/kiunga`,
      body: '{}',
      secrets: secret,
      clock,
      policy: strict,
      resolveHost,
    });
    expect(outcome).toEqual({ kind: 'refused', reason: 'hooks.isp.example resolves to a loopback address' });
    expect(target.received).toHaveLength(0);
    // The same name allowed (demo): the socket connects to exactly the address the guard saw.
    const allowed = await deliverWebhook({
      url: `http://hooks.isp.example:${port}/hooks/kiunga`,
      body: '{}',
      secrets: secret,
      clock,
      policy: demo,
      resolveHost,
    });
    expect(allowed.kind).toBe('delivered');
  });

  it('refuses a name with one public and one private address', async () => {
    const refusal = await checkedAddresses('mixed.isp.example', strict, async () => [
      '41.90.64.10',
      '10.0.0.5',
    ]).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refusal).toBe('mixed.isp.example resolves to a private (RFC 1918) address');
    expect(await checkedAddresses('public.isp.example', strict, async () => ['41.90.64.10'])).toEqual([
      '41.90.64.10',
    ]);
  });
});
