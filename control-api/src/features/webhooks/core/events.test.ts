import { describe, expect, it } from 'vitest';
import {
  createWebhookEvent,
  deliveryBody,
  newEndpointId,
  newWebhookSecret,
  subscribedEventsSchema,
  WEBHOOK_EVENT_TYPES,
} from './events';

const createdAt = Date.UTC(2030, 0, 14, 7);

describe('the event catalogue', () => {
  it('holds at least the events issue 14 names', () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual(
      expect.arrayContaining([
        'payment.received',
        'invoice.created',
        'invoice.voided',
        'subscriber.suspended',
        'subscriber.reactivated',
        'voucher.sold',
        'nas.down',
        'nas.up',
      ]),
    );
  });

  it('parses a subscription list: known events, each once', () => {
    expect(subscribedEventsSchema.parse(['nas.down', 'nas.up'])).toEqual(['nas.down', 'nas.up']);
    expect(subscribedEventsSchema.safeParse(['nas.exploded']).success).toBe(false);
    expect(subscribedEventsSchema.safeParse(['nas.up', 'nas.up']).success).toBe(false);
    expect(subscribedEventsSchema.safeParse([]).success).toBe(false);
  });
});

describe('deliveryBody', () => {
  it('is {id, type, createdAt, tenantId, data} in that order', () => {
    const event = createWebhookEvent({
      type: 'subscriber.suspended',
      tenantId: 'ten_1',
      createdAt,
      id: 'evt_fixed',
      data: { subscriberId: 'sub_1', username: 'acc-1001', reason: 'unpaid', suspendedAt: createdAt },
    });
    expect(deliveryBody(event)).toBe(
      `{"id":"evt_fixed","type":"subscriber.suspended","createdAt":${createdAt},"tenantId":"ten_1","data":{"subscriberId":"sub_1","username":"acc-1001","reason":"unpaid","suspendedAt":${createdAt}}}`,
    );
  });

  it('refuses data that does not fit the event, such as a fractional amount', () => {
    expect(() =>
      createWebhookEvent({
        type: 'voucher.sold',
        tenantId: 'ten_1',
        createdAt,
        data: {
          voucherId: 'vch_1',
          planId: 'pln_1',
          code: 'ABCD1234',
          priceCents: 10.5,
          currency: 'KES',
          channel: 'portal',
          phone: null,
          soldAt: createdAt,
        },
      }),
    ).toThrow();
  });

  it('gives fresh prefixed ids and 256-bit secrets', () => {
    expect(newEndpointId()).toMatch(/^whk_[A-Za-z0-9_-]{16}$/);
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
    const event = createWebhookEvent({
      type: 'nas.down',
      tenantId: 'ten_1',
      createdAt,
      data: { nasId: 'nas_1', name: 'Tower A', ipAddress: '10.0.0.1', since: createdAt },
    });
    expect(event.id).toMatch(/^evt_/);
  });
});
