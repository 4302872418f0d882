// The outboxes' shared claim → settle steps on a real database (SQLite, or PostgreSQL with
// KIUNGA_TEST_DATABASE=postgres), through both outboxes that use them: a due row is claimed by one sender
// only, a retry waits for its backoff, a settle leaves a row no longer 'sending' alone, and a claim whose
// lease ran out is settled as an interrupted attempt.
import {
  createSecretBox,
  generateMasterKey,
  insertOf,
  type SqlDatabase,
  tenantSchema,
} from '@kiunga/schemas';
import { openTestDatabases, stopTestDatabaseServer, type TestDatabases } from '@kiunga/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimEmail, dueEmailIds, MAIL_OUTBOX, queueEmail } from '../features/email/outbox';
import { claimNotification, dueNotificationIds, SMS_OUTBOX } from '../features/notifications/outbox';
import { recoverExpiredOutboxClaims, settleOutboxAttempt, settleOutboxRow } from './outbox-claims';
import { RETRY_BACKOFF_MS } from './send-policy';

const START_MS = 1_800_000_000_000;
const LEASE_MS = 60_000;

let opened: TestDatabases;
let tenant: SqlDatabase;
const secretBox = createSecretBox(generateMasterKey());

beforeAll(async () => {
  opened = await openTestDatabases();
  tenant = await opened.createTenantDatabase('ten_outboxclaims');
});

afterAll(async () => {
  await opened?.close();
  await stopTestDatabaseServer();
});

async function queueNotification(dedupeKey: string, channel: string): Promise<number> {
  const insert = insertOf(tenantSchema.notifications, {
    dedupeKey,
    channel,
    kind: 'payment_reminder',
    subscriberId: 'sub_one',
    recipient: '254712345678',
    body: 'Your internet expires tomorrow.',
    status: 'pending',
    createdAt: START_MS,
  });
  await tenant.run(insert.sql, insert.params);
  const id = await tenant.get<{ id: number }>('SELECT id FROM notifications WHERE dedupe_key = ?', [
    dedupeKey,
  ]);
  return Number(id?.id);
}

const statusOf = async (database: SqlDatabase, table: string, id: string | number) =>
  database.get<{ status: string; attempts: number; nextAttemptAt: number | null }>(
    `SELECT status, attempts, next_attempt_at AS "nextAttemptAt" FROM ${table} WHERE id = ?`,
    [id],
  );

describe('outbox claim → settle', () => {
  it('lets one of two senders claim an SMS, and the SMS sender never sees another channel', async () => {
    const sms = await queueNotification('claims:sms', 'sms');
    await queueNotification('claims:email', 'email');
    expect((await dueNotificationIds(tenant, START_MS, 10)).map(Number)).toEqual([sms]);
    const [first, second] = await Promise.all([
      claimNotification(tenant, sms, START_MS, LEASE_MS),
      claimNotification(tenant, sms, START_MS, LEASE_MS),
    ]);
    const winners = [first, second].filter((claim) => claim !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({ body: 'Your internet expires tomorrow.', attempts: 1 });
    expect(await dueNotificationIds(tenant, START_MS, 10)).toEqual([]);

    const decision = await settleOutboxAttempt(
      tenant,
      SMS_OUTBOX,
      { id: sms, attempts: 1 },
      { kind: 'retryable', reason: 'gateway busy' },
      START_MS,
    );
    expect(decision).toEqual({
      status: 'pending',
      lastError: 'gateway busy',
      nextAttemptAt: START_MS + 60_000,
    });
    expect(await statusOf(tenant, 'notifications', sms)).toMatchObject({ status: 'pending', attempts: 1 });
    // Not due before its backoff; then claimed again, attempt 2.
    expect(await claimNotification(tenant, sms, START_MS + 1_000, LEASE_MS)).toBeNull();
    const again = await claimNotification(tenant, sms, START_MS + (RETRY_BACKOFF_MS[0] ?? 0), LEASE_MS);
    expect(again?.attempts).toBe(2);
    await settleOutboxAttempt(
      tenant,
      SMS_OUTBOX,
      { id: sms, attempts: 2 },
      { kind: 'sent', providerMessageId: 'ATXid_1' },
      START_MS + 61_000,
    );
    expect(await statusOf(tenant, 'notifications', sms)).toMatchObject({
      status: 'sent',
      nextAttemptAt: null,
    });
    // A late settle of the same row (a sender whose lease had run out) changes nothing.
    await settleOutboxRow(tenant, SMS_OUTBOX, sms, { status: 'failed', lastError: 'late' });
    expect(await statusOf(tenant, 'notifications', sms)).toMatchObject({ status: 'sent' });
  });

  it('claims a mail once, opens its sealed body, and settles a claim whose lease ran out as interrupted', async () => {
    const platform = opened.databases.platform;
    const id = await queueEmail(
      platform,
      secretBox,
      'password_reset',
      { to: 'owner@example.test', subject: 'Reset', text: 'Your link' },
      START_MS,
    );
    expect(await dueEmailIds(platform, START_MS, 10)).toEqual([id]);
    const claimed = await claimEmail(platform, secretBox, id, START_MS, LEASE_MS);
    expect(claimed).toMatchObject({
      id,
      attempts: 1,
      message: { to: 'owner@example.test', text: 'Your link' },
    });
    expect(await claimEmail(platform, secretBox, id, START_MS, LEASE_MS)).toBeNull();

    expect(await recoverExpiredOutboxClaims(platform, MAIL_OUTBOX, START_MS + LEASE_MS - 1, 10)).toBe(0);
    expect(await recoverExpiredOutboxClaims(platform, MAIL_OUTBOX, START_MS + LEASE_MS + 1, 10)).toBe(1);
    const row = await platform.get<{ status: string; lastError: string; nextAttemptAt: number }>(
      `SELECT status, last_error AS "lastError", next_attempt_at AS "nextAttemptAt" FROM mail_outbox WHERE id = ?`,
      [id],
    );
    expect(row).toMatchObject({ status: 'pending', lastError: 'sending was interrupted' });
    expect(Number(row?.nextAttemptAt)).toBe(START_MS + LEASE_MS + 1 + (RETRY_BACKOFF_MS[0] ?? 0));
  });
});
