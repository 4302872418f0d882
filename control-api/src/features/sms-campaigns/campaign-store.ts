// CampaignStore over SQL, with the semantics of the core's InMemoryCampaignStore (the reference): a claim
// is a compare-and-set committed before it returns, a settlement applies each event only if the message
// still has the status the event starts from, and writes the run, in one transaction. One extra guard for
// a shared database: the run is written only if its status is still the one this store last read, so an
// ISP's pause or cancel made meanwhile through the API is never overwritten by a sender.
import type { SqlDatabase } from '@kiunga/schemas';
import {
  applyMessageEvent,
  type CampaignMessage,
  type CampaignRun,
  type CampaignStatus,
  type CampaignStore,
  canApply,
  type MessageEvent,
  type MessageStatus,
  type PauseReason,
  type QueueSnapshot,
} from './core/index';

/** Placeholders per IN list: far under both databases' limits, a gateway request's numbers fit in one. */
const IN_LIST_CHUNK = 500;

interface RunRow {
  status: CampaignStatus;
  ratePerSecond: number;
  nextBatchAt: number;
  consecutiveGatewayFailures: number;
  pauseReason: PauseReason | null;
}

interface MessageRow {
  id: string;
  recipient: string;
  body: string;
  parts: number;
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: number | null;
  claimedAt: number | null;
  providerMessageId: string | null;
  lastError: string | null;
}

export const MESSAGE_COLUMNS = `id, recipient, body, parts, status, attempts, next_attempt_at AS "nextAttemptAt",
  claimed_at AS "claimedAt", provider_message_id AS "providerMessageId", last_error AS "lastError"`;

export function messageOfRow(row: MessageRow): CampaignMessage {
  return {
    id: row.id,
    to: row.recipient,
    text: row.body,
    parts: row.parts,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAtMs: row.nextAttemptAt,
    claimedAtMs: row.claimedAt,
    providerMessageId: row.providerMessageId,
    lastError: row.lastError,
  };
}

export function runOfRow(row: RunRow): CampaignRun {
  return {
    status: row.status,
    ratePerSecond: row.ratePerSecond,
    nextBatchAtMs: row.nextBatchAt,
    consecutiveGatewayFailures: row.consecutiveGatewayFailures,
    pauseReason: row.pauseReason,
  };
}

export async function readCampaignRun(
  database: SqlDatabase,
  campaignId: string,
): Promise<CampaignRun | null> {
  const row = await database.get<RunRow>(
    `SELECT status, rate_per_second AS "ratePerSecond", next_batch_at AS "nextBatchAt",
       consecutive_gateway_failures AS "consecutiveGatewayFailures", pause_reason AS "pauseReason"
       FROM sms_campaigns WHERE id = ?`,
    [campaignId],
  );
  return row === undefined ? null : runOfRow(row);
}

/** Writes the run if the stored status is still `expectedStatus`; true when it did. */
export async function writeCampaignRun(
  database: SqlDatabase,
  campaignId: string,
  run: CampaignRun,
  expectedStatus: CampaignStatus,
  nowMs: number,
): Promise<boolean> {
  const { changes } = await database.run(
    `UPDATE sms_campaigns SET status = ?, rate_per_second = ?, next_batch_at = ?,
       consecutive_gateway_failures = ?, pause_reason = ?, updated_at = ? WHERE id = ? AND status = ?`,
    [
      run.status,
      run.ratePerSecond,
      run.nextBatchAtMs,
      run.consecutiveGatewayFailures,
      run.pauseReason,
      nowMs,
      campaignId,
      expectedStatus,
    ],
  );
  return changes > 0;
}

function chunksOf<Item>(items: readonly Item[]): Item[][] {
  const chunks: Item[][] = [];
  for (let start = 0; start < items.length; start += IN_LIST_CHUNK)
    chunks.push(items.slice(start, start + IN_LIST_CHUNK));
  return chunks;
}

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

/** Rows of these ids (in this campaign), by id. */
async function messagesById(
  database: SqlDatabase,
  campaignId: string,
  ids: readonly string[],
): Promise<Map<string, CampaignMessage>> {
  const found = new Map<string, CampaignMessage>();
  for (const chunk of chunksOf([...new Set(ids)])) {
    const rows = await database.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM sms_campaign_messages
        WHERE campaign_id = ? AND id IN (${placeholders(chunk.length)})`,
      [campaignId, ...chunk],
    );
    for (const row of rows) found.set(row.id, messageOfRow(row));
  }
  return found;
}

/**
 * Messages per UPDATE … FROM (VALUES …): 9 values each, 900 placeholders, under SQLite's default limit of
 * 32,766 and PostgreSQL's 65,535 with room; a sender's whole group of requests fits in one.
 */
const MESSAGES_PER_UPDATE = 100;

interface MessageChange {
  readonly next: CampaignMessage;
  /** The status the message had when read: the compare-and-set's condition. */
  readonly fromStatus: MessageStatus;
}

/**
 * Writes each message's new state if it still has its `fromStatus` (the compare-and-set), one statement per
 * MESSAGES_PER_UPDATE messages, not one per message; the ids it wrote. UPDATE … FROM (VALUES …): SQLite
 * since 3.33 (sqlite.org/lang_update.html §2.2 "UPDATE FROM") and PostgreSQL (UPDATE, "from_item"); a
 * VALUES list's columns are column1, column2, … in both, typed by CAST for PostgreSQL.
 */
async function writeMessages(
  database: SqlDatabase,
  changes: readonly MessageChange[],
  nowMs: number,
): Promise<Set<string>> {
  const written = new Set<string>();
  for (let start = 0; start < changes.length; start += MESSAGES_PER_UPDATE) {
    const chunk = changes.slice(start, start + MESSAGES_PER_UPDATE);
    const ids = await database.column<string>(
      `UPDATE sms_campaign_messages
          SET status = changed.column3, attempts = changed.column4, next_attempt_at = changed.column5,
              claimed_at = changed.column6, provider_message_id = changed.column7, last_error = changed.column8,
              updated_at = changed.column9
         FROM (VALUES ${chunk
           .map(
             () =>
               '(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), ' +
               'CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT))',
           )
           .join(', ')}) AS changed
        WHERE sms_campaign_messages.id = changed.column1 AND sms_campaign_messages.status = changed.column2
        RETURNING sms_campaign_messages.id`,
      chunk.flatMap(({ next, fromStatus }) => [
        next.id,
        fromStatus,
        next.status,
        next.attempts,
        next.nextAttemptAtMs,
        next.claimedAtMs,
        next.providerMessageId,
        next.lastError,
        nowMs,
      ]),
    );
    for (const id of ids) written.add(id);
  }
  return written;
}

/**
 * Applies events to messages of one campaign inside `transaction`, each only if the message can take it
 * from its current status; a message marked sent then takes the delivery reports that came before it.
 * The events are folded in memory and written in batches (writeMessages): a few statements per call.
 */
export async function applyMessageEvents(
  transaction: SqlDatabase,
  campaignId: string,
  events: readonly { messageId: string; event: MessageEvent }[],
  nowMs: number,
): Promise<number> {
  const read = await messagesById(
    transaction,
    campaignId,
    events.map((entry) => entry.messageId),
  );
  const current = new Map(read);
  let applied = 0;
  const appliedIds = new Set<string>();
  const acceptedIds = new Set<string>();
  for (const { messageId, event } of events) {
    const message = current.get(messageId);
    if (message === undefined || !canApply(message.status, event.type)) continue;
    current.set(messageId, applyMessageEvent(message, event));
    applied += 1;
    appliedIds.add(messageId);
    if (event.type === 'accepted') acceptedIds.add(messageId);
  }
  const changes = [...appliedIds].map((id) => ({ next: current.get(id)!, fromStatus: read.get(id)!.status }));
  const written = await writeMessages(transaction, changes, nowMs);
  // A message another writer moved meanwhile took none of its events here.
  for (const { messageId } of events) if (appliedIds.has(messageId) && !written.has(messageId)) applied -= 1;
  const nowSent = changes
    .map((change) => change.next)
    .filter(
      (message) =>
        written.has(message.id) && acceptedIds.has(message.id) && message.providerMessageId !== null,
    );
  if (nowSent.length > 0) await applyStoredReports(transaction, nowSent, nowMs);
  return applied;
}

/** Reports stored before the send answer was (a fast telco), applied in the order they came; one query. */
async function applyStoredReports(
  transaction: SqlDatabase,
  messages: readonly CampaignMessage[],
  nowMs: number,
): Promise<void> {
  const sent = new Map(messages.map((message) => [message.providerMessageId!, message]));
  const byProviderId = new Map(sent);
  for (const chunk of chunksOf([...byProviderId.keys()])) {
    const reports = await transaction.all<{
      providerMessageId: string;
      status: string;
      failureReason: string | null;
    }>(
      `SELECT provider_message_id AS "providerMessageId", status, failure_reason AS "failureReason"
         FROM sms_delivery_reports WHERE status IS NOT NULL AND provider_message_id IN (${placeholders(chunk.length)})
        ORDER BY id`,
      chunk,
    );
    for (const report of reports) {
      const state = byProviderId.get(report.providerMessageId)!;
      const event: MessageEvent = {
        type: 'delivery_report',
        status: report.status as Extract<MessageEvent, { type: 'delivery_report' }>['status'],
        failureReason: report.failureReason ?? undefined,
      };
      if (canApply(state.status, event.type))
        byProviderId.set(report.providerMessageId, applyMessageEvent(state, event));
    }
  }
  const changes = [...byProviderId.entries()]
    .filter(([providerId, next]) => next.status !== sent.get(providerId)!.status)
    .map(([providerId, next]) => ({ next, fromStatus: sent.get(providerId)!.status }));
  await writeMessages(transaction, changes, nowMs);
}

export class SqlCampaignStore implements CampaignStore {
  /** The status this store last read; the run is written only over it. */
  private lastReadStatus: CampaignStatus | null = null;

  constructor(
    private readonly database: SqlDatabase,
    private readonly campaignId: string,
    private readonly now: () => number,
  ) {}

  async readRun(): Promise<CampaignRun> {
    const run = await readCampaignRun(this.database, this.campaignId);
    if (run === null) throw new RangeError(`no campaign ${this.campaignId}`);
    this.lastReadStatus = run.status;
    return run;
  }

  async writeRun(run: CampaignRun): Promise<void> {
    await this.writeRunIn(this.database, run);
  }

  private async writeRunIn(database: SqlDatabase, run: CampaignRun): Promise<void> {
    const expected = this.lastReadStatus ?? (await readCampaignRun(database, this.campaignId))?.status;
    if (expected === undefined) throw new RangeError(`no campaign ${this.campaignId}`);
    if (await writeCampaignRun(database, this.campaignId, run, expected, this.now()))
      this.lastReadStatus = run.status;
  }

  async inFlight(): Promise<Pick<CampaignMessage, 'id' | 'status' | 'claimedAtMs'>[]> {
    const rows = await this.database.all<{ id: string; claimedAt: number | null }>(
      `SELECT id, claimed_at AS "claimedAt" FROM sms_campaign_messages
        WHERE campaign_id = ? AND status = 'sending' ORDER BY created_at, id`,
      [this.campaignId],
    );
    return rows.map((row) => ({ id: row.id, status: 'sending', claimedAtMs: row.claimedAt }));
  }

  async snapshot(batchSize: number, nowMs: number): Promise<QueueSnapshot> {
    const due = await this.database.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM sms_campaign_messages
        WHERE campaign_id = ? AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
        ORDER BY created_at, id LIMIT ?`,
      [this.campaignId, nowMs, batchSize],
    );
    const counts = await this.database.get<{
      queuedCount: number | null;
      sendingCount: number | null;
      earliestRetryAt: number | null;
    }>(
      `SELECT SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) AS "queuedCount",
         SUM(CASE WHEN status = 'sending' THEN 1 ELSE 0 END) AS "sendingCount",
         MIN(CASE WHEN status = 'queued' AND next_attempt_at > ? THEN next_attempt_at END) AS "earliestRetryAt"
         FROM sms_campaign_messages WHERE campaign_id = ? AND status IN ('queued', 'sending')`,
      [nowMs, this.campaignId],
    );
    return {
      due: due.map(messageOfRow),
      queuedCount: Number(counts?.queuedCount ?? 0),
      sendingCount: Number(counts?.sendingCount ?? 0),
      earliestRetryAtMs: counts?.earliestRetryAt ?? null,
    };
  }

  async claim(messageIds: readonly string[], atMs: number): Promise<string[]> {
    const claimed = new Set<string>();
    for (const chunk of chunksOf(messageIds)) {
      const ids = await this.database.column<string>(
        `UPDATE sms_campaign_messages SET status = 'sending', claimed_at = ?, updated_at = ?
          WHERE campaign_id = ? AND status = 'queued' AND id IN (${placeholders(chunk.length)}) RETURNING id`,
        [atMs, this.now(), this.campaignId, ...chunk],
      );
      for (const id of ids) claimed.add(id);
    }
    return messageIds.filter((id) => claimed.has(id));
  }

  async settle(
    run: CampaignRun | null,
    events: readonly { messageId: string; event: MessageEvent }[],
  ): Promise<void> {
    await this.database.transaction(async (transaction) => {
      await applyMessageEvents(transaction, this.campaignId, events, this.now());
      if (run !== null) await this.writeRunIn(transaction, run);
    });
  }

  /** One event outside the sender (a resend, a cancel, a report); true when it applied. */
  async apply(messageId: string, event: MessageEvent): Promise<boolean> {
    return (
      (await this.database.transaction((transaction) =>
        applyMessageEvents(transaction, this.campaignId, [{ messageId, event }], this.now()),
      )) > 0
    );
  }

  async message(messageId: string): Promise<CampaignMessage | undefined> {
    return (await messagesById(this.database, this.campaignId, [messageId])).get(messageId);
  }

  async all(): Promise<CampaignMessage[]> {
    const rows = await this.database.all<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM sms_campaign_messages WHERE campaign_id = ? ORDER BY created_at, id`,
      [this.campaignId],
    );
    return rows.map(messageOfRow);
  }
}

/** Rows of a campaign's messages per INSERT: 11 values each, far under both databases' parameter limits. */
const MESSAGES_PER_INSERT = 200;

export interface NewCampaign {
  readonly id: string;
  readonly name: string;
  readonly template: string;
  readonly segment: string;
  readonly run: CampaignRun;
  readonly partPriceCents: number;
  readonly skippedCount: number;
  readonly createdBy: string | null;
  readonly messages: readonly { id: string; recipientId: string; to: string; text: string; parts: number }[];
}

/** A campaign and its queued messages, in one transaction; messages keep the order given. */
export async function insertCampaign(
  database: SqlDatabase,
  campaign: NewCampaign,
  nowMs: number,
): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.run(
      `INSERT INTO sms_campaigns (id, name, template, segment, status, rate_per_second, next_batch_at,
         consecutive_gateway_failures, pause_reason, part_price_cents, recipient_count, skipped_count,
         created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        campaign.id,
        campaign.name,
        campaign.template,
        campaign.segment,
        campaign.run.status,
        campaign.run.ratePerSecond,
        campaign.run.nextBatchAtMs,
        campaign.run.consecutiveGatewayFailures,
        campaign.run.pauseReason,
        campaign.partPriceCents,
        campaign.messages.length + campaign.skippedCount,
        campaign.skippedCount,
        campaign.createdBy,
        nowMs,
        nowMs,
      ],
    );
    for (let start = 0; start < campaign.messages.length; start += MESSAGES_PER_INSERT) {
      const chunk = campaign.messages.slice(start, start + MESSAGES_PER_INSERT);
      await transaction.run(
        `INSERT INTO sms_campaign_messages (id, campaign_id, recipient_id, recipient, body, parts, status,
           attempts, created_at, updated_at) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)").join(', ')}`,
        chunk.flatMap((message) => [
          message.id,
          campaign.id,
          message.recipientId,
          message.to,
          message.text,
          message.parts,
          nowMs,
          nowMs,
        ]),
      );
    }
  });
}
