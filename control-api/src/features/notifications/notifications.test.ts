// The notifications outbox API in-process: an ISP lists its messages to subscribers newest first,
// filtered by status or subscriber and paged; bad filters are refused; ISP B never sees A's messages.
import { insertOf, tenantSchema } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

/** A message as the billing jobs queue it (the outbox has no API to write). */
async function queueMessage(tenantId: string, subscriberId: string, status: string, createdAt: number) {
  const insert = insertOf(tenantSchema.notifications, {
    dedupeKey: `${subscriberId}:${createdAt}`,
    channel: 'sms',
    kind: 'payment_reminder',
    subscriberId,
    recipient: '254712345678',
    body: 'Your internet expires tomorrow.',
    status,
    createdAt,
  });
  await kiunga().dependencies.databases.forTenant(tenantId).run(insert.sql, insert.params);
}

describe('notifications API', () => {
  it('lists messages newest first, filtered and paged', async () => {
    const isp = await kiunga().createIsp('outbox-a');
    const now = kiunga().clock.now();
    await queueMessage(isp.tenantId, 'sub_one', 'sent', now - 2_000);
    await queueMessage(isp.tenantId, 'sub_two', 'pending', now - 1_000);
    await queueMessage(isp.tenantId, 'sub_one', 'failed', now);

    const first = await kiunga().request('GET', '/api/v1/notifications?limit=2', { token: isp.token });
    expect(first.body.items.map((item: { status: string }) => item.status)).toEqual(['failed', 'pending']);
    const rest = await kiunga().request(
      'GET',
      `/api/v1/notifications?limit=2&cursor=${first.body.nextCursor}`,
      {
        token: isp.token,
      },
    );
    expect(rest.body).toMatchObject({ items: [{ status: 'sent' }], nextCursor: null });
    const ofOne = await kiunga().request('GET', '/api/v1/notifications?subscriberId=sub_one&status=sent', {
      token: isp.token,
    });
    expect(ofOne.body.items).toHaveLength(1);
  });

  it('refuses an unknown status', async () => {
    const isp = await kiunga().createIsp('outbox-b');
    const answer = await kiunga().request('GET', '/api/v1/notifications?status=lost', { token: isp.token });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('validation_failed');
  });

  it("never shows one ISP another's messages", async () => {
    const first = await kiunga().createIsp('outbox-c');
    const second = await kiunga().createIsp('outbox-d');
    await queueMessage(first.tenantId, 'sub_private', 'sent', kiunga().clock.now());
    const answer = await kiunga().request('GET', '/api/v1/notifications', { token: second.token });
    expect(answer.body.items).toEqual([]);
  });
});
