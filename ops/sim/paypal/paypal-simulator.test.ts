// The real PayPal client against the simulator over HTTP: token, order, approval, capture, idempotency.
import {
  approveUrlOf,
  completedCaptureOf,
  ORDER_ALREADY_CAPTURED_ISSUE,
  ORDER_NOT_APPROVED_ISSUE,
  PayPalClient,
  PayPalError,
} from '@kiunga/control-api/integrations/paypal';
import { systemClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PayPalSimulator, startPayPalSimulator } from './paypal-simulator';

describe('PayPal simulator with the real client', () => {
  let simulator: PayPalSimulator;
  let client: PayPalClient;
  beforeAll(async () => {
    simulator = await startPayPalSimulator({
      port: 0,
      clients: [{ clientId: 'id', clientSecret: 'secret' }],
    });
    client = new PayPalClient({
      baseUrl: simulator.baseUrl,
      clientId: 'id',
      clientSecret: 'secret',
      clock: systemClock,
      timeoutMs: 5_000,
    });
  });
  afterAll(async () => simulator?.stop());

  const orderInput = (requestId: string) => ({
    requestId,
    currencyCode: 'USD',
    amountMinor: 388,
    referenceId: 'KIU-TEST',
    customId: 'ten_abc',
    description: 'Kiunga',
    returnUrl: 'http://127.0.0.1:1/return',
    cancelUrl: 'http://127.0.0.1:1/cancel',
  });

  it('creates an order, refuses capture before approval, captures once after', async () => {
    const order = await client.createOrder(orderInput('req-1'));
    expect(order.status).toBe('PAYER_ACTION_REQUIRED');
    expect(order.purchase_units?.[0]?.amount).toEqual({ currency_code: 'USD', value: '3.88' });
    const approveUrl = approveUrlOf(order);
    expect(approveUrl).toContain(`/checkoutnow?token=${order.id}`);
    const early = await client.captureOrder(order.id, 'cap-1').catch((error: unknown) => error);
    expect(early).toBeInstanceOf(PayPalError);
    expect((early as PayPalError).httpStatus).toBe(422);
    expect((early as PayPalError).issue).toBe(ORDER_NOT_APPROVED_ISSUE);

    const redirect = await fetch(approveUrl!, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toMatch(new RegExp(`/return\\?token=${order.id}&PayerID=`));

    const captured = await client.captureOrder(order.id, 'cap-2');
    expect(captured.status).toBe('COMPLETED');
    const capture = completedCaptureOf(captured);
    expect(capture?.amount).toEqual({ currency_code: 'USD', value: '3.88' });
    expect(capture?.custom_id).toBe('ten_abc');
    // The same request id replays the same capture; a new one is told the order is already captured.
    expect(completedCaptureOf(await client.captureOrder(order.id, 'cap-2'))?.id).toBe(capture?.id);
    const again = await client.captureOrder(order.id, 'cap-3').catch((error: unknown) => error);
    expect((again as PayPalError).issue).toBe(ORDER_ALREADY_CAPTURED_ISSUE);
    expect(completedCaptureOf(await client.getOrder(order.id))?.id).toBe(capture?.id);
  });

  it('answers the same order for the same PayPal-Request-Id and refuses KES', async () => {
    const first = await client.createOrder(orderInput('req-same'));
    const second = await client.createOrder(orderInput('req-same'));
    expect(second.id).toBe(first.id);
    const kes = await client
      .createOrder({ ...orderInput('req-kes'), currencyCode: 'KES' })
      .catch((error: unknown) => error);
    expect((kes as PayPalError).issue).toBe('CURRENCY_NOT_SUPPORTED');
  });

  it('refuses wrong client credentials', async () => {
    const wrong = new PayPalClient({
      baseUrl: simulator.baseUrl,
      clientId: 'id',
      clientSecret: 'nope',
      clock: systemClock,
      timeoutMs: 5_000,
    });
    const failure = await wrong.createOrder(orderInput('req-x')).catch((error: unknown) => error);
    expect((failure as PayPalError).kind).toBe('authentication');
    expect((failure as PayPalError).errorName).toBe('invalid_client');
  });
});
