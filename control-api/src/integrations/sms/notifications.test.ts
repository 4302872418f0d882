// Africa's Talking SMS notifications read from their form bodies: incoming messages and bulk opt-outs.
import { describe, expect, it } from 'vitest';
import { bulkOptOutSchema, incomingMessageSchema, notificationFields } from './notifications';

describe('SMS notifications', () => {
  it('read an incoming message posted as a form', () => {
    const fields = notificationFields(
      'date=2026-02-10+09%3A15%3A02&from=%2B254712000001&to=22384&text=STOP&id=8f1a&linkId=&networkCode=63902',
    );
    expect(incomingMessageSchema.parse(fields)).toEqual({
      date: '2026-02-10 09:15:02',
      from: '+254712000001',
      to: '22384',
      text: 'STOP',
      id: '8f1a',
      linkId: '',
      networkCode: '63902',
    });
  });

  it('read a bulk SMS opt-out, and refuse one without a number', () => {
    expect(bulkOptOutSchema.parse(notificationFields('senderId=KIUNGA&phoneNumber=%2B254712000001'))).toEqual(
      {
        senderId: 'KIUNGA',
        phoneNumber: '+254712000001',
      },
    );
    expect(bulkOptOutSchema.safeParse(notificationFields('senderId=KIUNGA')).success).toBe(false);
  });

  it('refuse bodies that are not one notification', () => {
    expect(notificationFields(null)).toBeNull();
    expect(notificationFields(['a'])).toBeNull();
    expect(notificationFields(Array.from({ length: 31 }, (_, index) => `f${index}=1`).join('&'))).toBeNull();
  });
});
