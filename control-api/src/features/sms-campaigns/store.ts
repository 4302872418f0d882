// SQL of SMS to clients besides the sender's CampaignStore: a segment's recipients (one WHERE with the
// meaning of the core's matchesSegment), templates, campaigns and their progress, messages, delivery
// reports kept raw, opt-outs and subscriber tags.
import type { SqlDatabase } from '@kiunga/schemas';
import { equals, whereAll } from '../../kernel/listing';
import { decodeCursor, decodeTimeCursor, type Page, pageOf, timeCursorKey } from '../../kernel/pagination';
import { MESSAGE_COLUMNS, messageOfRow } from './campaign-store';
import {
  type CampaignMessage,
  type CampaignRecipient,
  MESSAGE_STATUSES,
  type MessageStatus,
  type Segment,
  type SegmentFacts,
} from './core/index';

const DAY_MS = 86_400_000;

/** A subscriber as the segment and the template see it. */
export type RecipientRow = CampaignRecipient & SegmentFacts;

interface Condition {
  sql: string;
  params: (string | number)[];
}

const inList = (column: string, values: readonly (string | number)[]): Condition => ({
  sql: `${column} IN (${values.map(() => '?').join(', ')})`,
  params: [...values],
});

/** The NAS of the subscriber's latest session (sessions of a subscriber name it as their subject). */
const LAST_NAS_SQL = `(SELECT x.nas_id FROM sessions x WHERE x.subject_kind = 'subscriber' AND x.subject_id = s.id
  ORDER BY x.started_at DESC, x.id DESC LIMIT 1)`;

/** What each subscriber owes: its ledger account's debits less its credits (ledger/accounts.ts). */
const AMOUNT_DUE_JOIN = `LEFT JOIN (SELECT account, SUM(delta) AS due FROM (
    SELECT debit_account AS account, amount_cents AS delta FROM ledger_entries WHERE debit_account LIKE 'subscriber:%'
    UNION ALL
    SELECT credit_account AS account, -amount_cents AS delta FROM ledger_entries WHERE credit_account LIKE 'subscriber:%'
  ) moves GROUP BY account) owed ON owed.account = 'subscriber:' || s.id`;

/** The segment as conditions on `s` (subscribers) and `owed`; matchesSegment is their meaning. */
export function segmentConditions(segment: Segment, nowMs: number): Condition[] {
  if (segment.kind === 'all') return [];
  if (segment.kind === 'subscriber') return [{ sql: 's.id = ?', params: [segment.subscriberId] }];
  const { filters } = segment;
  const conditions: Condition[] = [];
  if (filters.planIds) conditions.push(inList('s.plan_id', filters.planIds));
  if (filters.statuses) conditions.push(inList('s.status', filters.statuses));
  if (filters.nasIds) conditions.push(inList(LAST_NAS_SQL, filters.nasIds));
  if (filters.tags) {
    const tags = inList('t.tag', filters.tags);
    conditions.push({
      sql: `EXISTS (SELECT 1 FROM subscriber_tags t WHERE t.subscriber_id = s.id AND ${tags.sql})`,
      params: tags.params,
    });
  }
  if (filters.expiresWithinDays !== undefined) {
    conditions.push({
      sql: 's.expires_at IS NOT NULL AND s.expires_at >= ? AND s.expires_at < ?',
      params: [nowMs, nowMs + filters.expiresWithinDays * DAY_MS],
    });
  }
  if (filters.owesMoreThanCents !== undefined)
    conditions.push({ sql: 'COALESCE(owed.due, 0) > ?', params: [filters.owesMoreThanCents] });
  return conditions;
}

interface RawRecipient {
  subscriberId: string;
  name: string;
  phone: string | null;
  planId: string;
  planName: string;
  status: SegmentFacts['status'];
  expiresAt: number | null;
  accountNumber: string;
  amountDueCents: number | string | null;
  lastNasId: string | null;
}

/** Every subscriber in the segment, oldest first, with what its message and the segment need. */
export async function segmentRecipients(
  database: SqlDatabase,
  segment: Segment,
  nowMs: number,
): Promise<RecipientRow[]> {
  const conditions = segmentConditions(segment, nowMs);
  const where =
    conditions.length === 0 ? '' : ` WHERE ${conditions.map((each) => `(${each.sql})`).join(' AND ')}`;
  const rows = await database.all<RawRecipient>(
    `SELECT s.id AS "subscriberId", s.full_name AS name, s.phone, s.plan_id AS "planId", p.name AS "planName",
       s.status, s.expires_at AS "expiresAt", s.account_number AS "accountNumber",
       COALESCE(owed.due, 0) AS "amountDueCents", ${LAST_NAS_SQL} AS "lastNasId"
       FROM subscribers s JOIN plans p ON p.id = s.plan_id ${AMOUNT_DUE_JOIN}${where}
       ORDER BY s.created_at, s.id`,
    conditions.flatMap((each) => each.params),
  );
  const tagsOf = await tagsBySubscriber(database);
  return rows.map((row) => {
    const amountDueCents = Number(row.amountDueCents ?? 0);
    return {
      recipientId: row.subscriberId,
      subscriberId: row.subscriberId,
      phone: row.phone,
      name: row.name,
      planName: row.planName,
      planId: row.planId,
      status: row.status,
      expiresAtMs: row.expiresAt,
      amountDueCents,
      accountNumber: row.accountNumber,
      lastNasId: row.lastNasId,
      tags: tagsOf.get(row.subscriberId) ?? [],
    };
  });
}

async function tagsBySubscriber(database: SqlDatabase): Promise<Map<string, string[]>> {
  const rows = await database.all<{ subscriberId: string; tag: string }>(
    'SELECT subscriber_id AS "subscriberId", tag FROM subscriber_tags ORDER BY subscriber_id, tag',
  );
  const tags = new Map<string, string[]>();
  for (const row of rows) {
    const list = tags.get(row.subscriberId);
    if (list === undefined) tags.set(row.subscriberId, [row.tag]);
    else list.push(row.tag);
  }
  return tags;
}

export async function subscriberTags(database: SqlDatabase, subscriberId: string): Promise<string[]> {
  return database.column<string>('SELECT tag FROM subscriber_tags WHERE subscriber_id = ? ORDER BY tag', [
    subscriberId,
  ]);
}

export async function replaceSubscriberTags(
  database: SqlDatabase,
  subscriberId: string,
  tags: readonly string[],
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.run('DELETE FROM subscriber_tags WHERE subscriber_id = ?', [subscriberId]);
    for (const tag of new Set(tags))
      await transaction.run('INSERT INTO subscriber_tags (subscriber_id, tag) VALUES (?, ?)', [
        subscriberId,
        tag,
      ]);
  });
}

// Opt-outs: numbers normalised (`2547…`).

export async function optedOutPhones(database: SqlDatabase): Promise<Set<string>> {
  return new Set(await database.column<string>('SELECT phone FROM sms_opt_outs'));
}

export async function isOptedOut(database: SqlDatabase, phone: string): Promise<boolean> {
  return (await database.get('SELECT phone FROM sms_opt_outs WHERE phone = ?', [phone])) !== undefined;
}

/** True when the number was not opted out before. */
export async function recordOptOut(
  database: SqlDatabase,
  phone: string,
  source: 'keyword' | 'gateway' | 'isp',
  nowMs: number,
): Promise<boolean> {
  const { changes } = await database.run(
    'INSERT INTO sms_opt_outs (phone, source, created_at) VALUES (?, ?, ?) ON CONFLICT (phone) DO NOTHING',
    [phone, source, nowMs],
  );
  return changes > 0;
}

export function listOptOuts(
  database: SqlDatabase,
  limit: number,
): Promise<{ phone: string; source: string; createdAt: number }[]> {
  return database.all(
    `SELECT phone, source, created_at AS "createdAt" FROM sms_opt_outs ORDER BY created_at DESC, phone LIMIT ?`,
    [limit],
  );
}

export async function isSubscriber(database: SqlDatabase, subscriberId: string): Promise<boolean> {
  return (await database.get('SELECT id FROM subscribers WHERE id = ?', [subscriberId])) !== undefined;
}

export async function removeOptOut(database: SqlDatabase, phone: string): Promise<boolean> {
  return (await database.run('DELETE FROM sms_opt_outs WHERE phone = ?', [phone])).changes > 0;
}

// Templates.

export interface TemplateRow {
  id: string;
  name: string;
  body: string;
  createdAt: number;
  updatedAt: number;
}

const TEMPLATE_COLUMNS = 'id, name, body, created_at AS "createdAt", updated_at AS "updatedAt"';

export function listTemplates(database: SqlDatabase): Promise<TemplateRow[]> {
  return database.all<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM sms_templates ORDER BY name, id`);
}

export function readTemplate(database: SqlDatabase, id: string): Promise<TemplateRow | undefined> {
  return database.get<TemplateRow>(`SELECT ${TEMPLATE_COLUMNS} FROM sms_templates WHERE id = ?`, [id]);
}

export async function insertTemplate(database: SqlDatabase, row: TemplateRow): Promise<void> {
  await database.run(
    'INSERT INTO sms_templates (id, name, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    [row.id, row.name, row.body, row.createdAt, row.updatedAt],
  );
}

export async function updateTemplate(
  database: SqlDatabase,
  id: string,
  values: { name: string; body: string },
  nowMs: number,
): Promise<boolean> {
  const { changes } = await database.run(
    'UPDATE sms_templates SET name = ?, body = ?, updated_at = ? WHERE id = ?',
    [values.name, values.body, nowMs, id],
  );
  return changes > 0;
}

export async function deleteTemplate(database: SqlDatabase, id: string): Promise<boolean> {
  return (await database.run('DELETE FROM sms_templates WHERE id = ?', [id])).changes > 0;
}

// Campaigns.

export interface CampaignRow {
  id: string;
  name: string;
  template: string;
  segment: string;
  status: string;
  ratePerSecond: number;
  pauseReason: string | null;
  partPriceCents: number;
  recipientCount: number;
  skippedCount: number;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

const CAMPAIGN_COLUMNS = `id, name, template, segment, status, rate_per_second AS "ratePerSecond",
  pause_reason AS "pauseReason", part_price_cents AS "partPriceCents", recipient_count AS "recipientCount",
  skipped_count AS "skippedCount", created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt"`;

export function readCampaign(database: SqlDatabase, id: string): Promise<CampaignRow | undefined> {
  return database.get<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM sms_campaigns WHERE id = ?`, [id]);
}

/** Newest first. */
export async function listCampaigns(
  database: SqlDatabase,
  filter: { limit: number; cursor?: string | undefined },
): Promise<Page<CampaignRow>> {
  const after = decodeTimeCursor(filter.cursor);
  const rows = await database.all<CampaignRow>(
    `SELECT ${CAMPAIGN_COLUMNS} FROM sms_campaigns${
      after === null ? '' : ' WHERE (created_at < ? OR (created_at = ? AND id < ?))'
    } ORDER BY created_at DESC, id DESC LIMIT ?`,
    [...(after === null ? [] : [after.atMs, after.atMs, after.id]), filter.limit + 1],
  );
  return pageOf(rows, filter.limit, (row) => timeCursorKey(row.createdAt, row.id));
}

/** Ids of campaigns the sender should work on. */
export function sendingCampaignIds(database: SqlDatabase): Promise<string[]> {
  return database.column<string>(
    `SELECT id FROM sms_campaigns WHERE status = 'sending' ORDER BY created_at, id`,
  );
}

export interface CampaignTotals {
  byStatus: Record<MessageStatus, number>;
  partCount: number;
}

export async function campaignTotals(database: SqlDatabase, campaignId: string): Promise<CampaignTotals> {
  const rows = await database.all<{ status: MessageStatus; count: number | string; parts: number | string }>(
    `SELECT status, COUNT(*) AS count, SUM(parts) AS parts FROM sms_campaign_messages
      WHERE campaign_id = ? GROUP BY status`,
    [campaignId],
  );
  const byStatus = Object.fromEntries(MESSAGE_STATUSES.map((status) => [status, 0])) as Record<
    MessageStatus,
    number
  >;
  let partCount = 0;
  for (const row of rows) {
    if ((MESSAGE_STATUSES as readonly string[]).includes(row.status))
      byStatus[row.status] = Number(row.count);
    partCount += Number(row.parts);
  }
  return { byStatus, partCount };
}

/** Queued messages of a cancelled campaign become cancelled; those in flight finish as they will. */
export async function cancelQueuedMessages(transaction: SqlDatabase, campaignId: string, nowMs: number) {
  await transaction.run(
    `UPDATE sms_campaign_messages SET status = 'cancelled', updated_at = ? WHERE campaign_id = ? AND status = 'queued'`,
    [nowMs, campaignId],
  );
}

export interface CampaignMessageRow extends CampaignMessage {
  recipientId: string;
  updatedAt: number;
}

/** A campaign's messages in queue order, optionally of one status. */
export async function listCampaignMessages(
  database: SqlDatabase,
  campaignId: string,
  filter: { limit: number; cursor?: string | undefined; status?: MessageStatus | undefined },
): Promise<Page<CampaignMessageRow>> {
  const after = decodeCursor(filter.cursor);
  const where = whereAll([
    equals('campaign_id', campaignId),
    equals('status', filter.status),
    after === null ? undefined : { sql: 'id > ?', params: [after] },
  ]);
  const rows = await database.all<
    Parameters<typeof messageOfRow>[0] & { recipientId: string; updatedAt: number }
  >(
    `SELECT ${MESSAGE_COLUMNS}, recipient_id AS "recipientId", updated_at AS "updatedAt"
       FROM sms_campaign_messages${where.sql} ORDER BY id LIMIT ?`,
    [...where.params, filter.limit + 1],
  );
  const messages = rows.map((row) => ({
    ...messageOfRow(row),
    recipientId: row.recipientId,
    updatedAt: row.updatedAt,
  }));
  return pageOf(messages, filter.limit, (row) => row.id);
}

/** The campaign a gateway message id belongs to. */
export async function campaignOfProviderMessage(
  database: SqlDatabase,
  providerMessageId: string,
): Promise<string | null> {
  const row = await database.get<{ campaignId: string }>(
    'SELECT campaign_id AS "campaignId" FROM sms_campaign_messages WHERE provider_message_id = ?',
    [providerMessageId],
  );
  return row?.campaignId ?? null;
}

/** Stores a delivery report as posted (readable or not). */
export async function storeDeliveryReport(
  database: SqlDatabase,
  report: {
    providerMessageId: string | null;
    status: string | null;
    failureReason: string | null;
    body: string;
  },
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO sms_delivery_reports (provider_message_id, status, failure_reason, body, received_at)
      VALUES (?, ?, ?, ?, ?)`,
    [report.providerMessageId, report.status, report.failureReason, report.body, nowMs],
  );
}
