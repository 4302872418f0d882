// The accounting sync's rows in a tenant's shard: the vendor connection (tokens sealed), OAuth states
// of connects in progress, the sync log (a SyncLog over SQL with MemorySyncLog's meaning), and the
// ledger facts of a period read from invoices, payments and ledger transfers.
import { createHash } from 'node:crypto';
import { cents, type SecretBox, type SqlDatabase, type SqlValue } from '@kiunga/schemas';
import { paymentAllocations } from '../../billing/core/allocations';
import { accountStanding } from '../../billing/core/standing';
import { VOID_REFERENCE } from '../../billing/core/transfers';
import type { TokenSet, TokenStore } from '../../integrations/accounting-common';
import { LedgerAccount, loadAccountTransfers, type Transfer } from '../../ledger/ledger';
import type {
  AccountingVendor,
  LedgerCustomer,
  LedgerInvoice,
  LedgerPayment,
  LedgerPeriodFacts,
  LedgerRefund,
  LedgerVoid,
  SyncLog,
  SyncLogEntry,
  SyncOperationKind,
  SyncStatus,
} from './core';

export type ConnectionStatus = 'connected' | 'reconnect_needed';

export interface ConnectionRow {
  vendor: AccountingVendor;
  status: ConnectionStatus;
  externalId: string;
  tokensSealed: string;
  settings: string;
  syncFrom: number;
  connectedAt: number;
  runClaimedAt: number | null;
  lastRunAt: number | null;
  lastRunReport: string | null;
  updatedAt: number;
}

const connectionColumns = `vendor, status, external_id AS "externalId", tokens_sealed AS "tokensSealed", settings,
  sync_from AS "syncFrom", connected_at AS "connectedAt", run_claimed_at AS "runClaimedAt",
  last_run_at AS "lastRunAt", last_run_report AS "lastRunReport", updated_at AS "updatedAt"`;

export function readConnection(
  database: SqlDatabase,
  vendor: AccountingVendor,
): Promise<ConnectionRow | undefined> {
  return database.get<ConnectionRow>(
    `SELECT ${connectionColumns} FROM accounting_connections WHERE vendor = ?`,
    [vendor],
  );
}

export function listConnections(database: SqlDatabase): Promise<ConnectionRow[]> {
  return database.all<ConnectionRow>(
    `SELECT ${connectionColumns} FROM accounting_connections ORDER BY vendor`,
  );
}

export async function saveConnection(
  database: SqlDatabase,
  secretBox: SecretBox,
  input: {
    vendor: AccountingVendor;
    externalId: string;
    tokens: TokenSet;
    settings: unknown;
    syncFrom: number;
    nowMs: number;
  },
): Promise<void> {
  await database.run(
    `INSERT INTO accounting_connections (vendor, status, external_id, tokens_sealed, settings, sync_from, connected_at, updated_at)
     VALUES (?, 'connected', ?, ?, ?, ?, ?, ?)
     ON CONFLICT (vendor) DO UPDATE SET status = 'connected', external_id = excluded.external_id,
       tokens_sealed = excluded.tokens_sealed, settings = excluded.settings, sync_from = excluded.sync_from,
       connected_at = excluded.connected_at, updated_at = excluded.updated_at`,
    [
      input.vendor,
      input.externalId,
      secretBox.seal(JSON.stringify(input.tokens)),
      JSON.stringify(input.settings),
      input.syncFrom,
      input.nowMs,
      input.nowMs,
    ],
  );
}

export async function markReconnectNeeded(database: SqlDatabase, vendor: AccountingVendor, nowMs: number) {
  await database.run(
    `UPDATE accounting_connections SET status = 'reconnect_needed', updated_at = ? WHERE vendor = ?`,
    [nowMs, vendor],
  );
}

export async function deleteConnection(database: SqlDatabase, vendor: AccountingVendor): Promise<boolean> {
  const result = await database.run('DELETE FROM accounting_connections WHERE vendor = ?', [vendor]);
  return result.changes > 0;
}

/**
 * Takes the connection for one run unless another run (on any node) holds it and is younger than
 * `staleBeforeMs`: one conditional update, so two nodes never run the same vendor at once.
 */
export async function claimRun(
  database: SqlDatabase,
  vendor: AccountingVendor,
  nowMs: number,
  staleBeforeMs: number,
): Promise<boolean> {
  const result = await database.run(
    `UPDATE accounting_connections SET run_claimed_at = ?
      WHERE vendor = ? AND status = 'connected' AND (run_claimed_at IS NULL OR run_claimed_at < ?)`,
    [nowMs, vendor, staleBeforeMs],
  );
  return result.changes > 0;
}

export async function finishRun(
  database: SqlDatabase,
  vendor: AccountingVendor,
  report: unknown,
  nowMs: number,
): Promise<void> {
  await database.run(
    `UPDATE accounting_connections SET run_claimed_at = NULL, last_run_at = ?, last_run_report = ?, updated_at = ?
      WHERE vendor = ?`,
    [nowMs, JSON.stringify(report), nowMs, vendor],
  );
}

/** The connection's tokens: every refresh is saved (sealed) before the new access token is used. */
export function connectionTokenStore(
  database: SqlDatabase,
  secretBox: SecretBox,
  vendor: AccountingVendor,
  clock: { now(): number },
): TokenStore {
  return {
    async load() {
      const row = await readConnection(database, vendor);
      if (!row) throw new Error(`no ${vendor} connection`);
      return JSON.parse(secretBox.open(row.tokensSealed)) as TokenSet;
    },
    async save(tokens) {
      await database.run(
        'UPDATE accounting_connections SET tokens_sealed = ?, updated_at = ? WHERE vendor = ?',
        [secretBox.seal(JSON.stringify(tokens)), clock.now(), vendor],
      );
    },
  };
}

export function stateDigestOf(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

export async function saveOauthState(
  database: SqlDatabase,
  input: { state: string; vendor: AccountingVendor; request: unknown; expiresAtMs: number; nowMs: number },
): Promise<void> {
  await database.run('DELETE FROM accounting_oauth_states WHERE expires_at < ?', [input.nowMs]);
  await database.run(
    'INSERT INTO accounting_oauth_states (state_digest, vendor, request, expires_at) VALUES (?, ?, ?, ?)',
    [stateDigestOf(input.state), input.vendor, JSON.stringify(input.request), input.expiresAtMs],
  );
}

/** Spends a state: found, unexpired and of this vendor → its request, deleted in the same statement's transaction. */
export function takeOauthState(
  database: SqlDatabase,
  state: string,
  vendor: AccountingVendor,
  nowMs: number,
): Promise<unknown | null> {
  return database.transaction(async (transaction) => {
    const digest = stateDigestOf(state);
    const row = await transaction.get<{ vendor: string; request: string; expiresAt: number }>(
      'SELECT vendor, request, expires_at AS "expiresAt" FROM accounting_oauth_states WHERE state_digest = ?',
      [digest],
    );
    if (!row) return null;
    await transaction.run('DELETE FROM accounting_oauth_states WHERE state_digest = ?', [digest]);
    if (row.vendor !== vendor || row.expiresAt < nowMs) return null;
    return JSON.parse(row.request) as unknown;
  });
}

interface SyncLogRow {
  key: string;
  kind: string;
  status: string;
  vendorRecordId: string | null;
  attempts: number;
  generation: number;
  nextAttemptAt: number | null;
  errorFailure: string | null;
  errorMessage: string | null;
  errorVendorCode: string | null;
  updatedAt: number;
}

const syncLogColumns = `key, kind, status, vendor_record_id AS "vendorRecordId", attempts, generation,
  next_attempt_at AS "nextAttemptAt", error_failure AS "errorFailure", error_message AS "errorMessage",
  error_vendor_code AS "errorVendorCode", updated_at AS "updatedAt"`;

function entryOf(row: SyncLogRow): SyncLogEntry {
  return {
    key: row.key,
    kind: row.kind as SyncOperationKind,
    status: row.status as SyncStatus,
    vendorId: row.vendorRecordId,
    attempts: row.attempts,
    generation: row.generation,
    nextAttemptAtMs: row.nextAttemptAt,
    error:
      row.errorFailure === null
        ? null
        : {
            failure: row.errorFailure as NonNullable<SyncLogEntry['error']>['failure'],
            message: row.errorMessage ?? '',
            vendorCode: row.errorVendorCode,
          },
    updatedAtMs: row.updatedAt,
  };
}

/** The sync log of one vendor in the shard: what MemorySyncLog is in memory. */
export function sqlSyncLog(database: SqlDatabase, vendor: AccountingVendor): SyncLog {
  return {
    async read(key) {
      const row = await database.get<SyncLogRow>(
        `SELECT ${syncLogColumns} FROM accounting_sync_log WHERE vendor = ? AND key = ?`,
        [vendor, key],
      );
      return row ? entryOf(row) : undefined;
    },
    async write(entry) {
      await database.run(
        `INSERT INTO accounting_sync_log (vendor, key, kind, status, vendor_record_id, attempts, generation,
           next_attempt_at, error_failure, error_message, error_vendor_code, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (vendor, key) DO UPDATE SET kind = excluded.kind, status = excluded.status,
           vendor_record_id = excluded.vendor_record_id, attempts = excluded.attempts,
           generation = excluded.generation, next_attempt_at = excluded.next_attempt_at,
           error_failure = excluded.error_failure, error_message = excluded.error_message,
           error_vendor_code = excluded.error_vendor_code, updated_at = excluded.updated_at`,
        [
          vendor,
          entry.key,
          entry.kind,
          entry.status,
          entry.vendorId,
          entry.attempts,
          entry.generation,
          entry.nextAttemptAtMs,
          entry.error?.failure ?? null,
          entry.error?.message ?? null,
          entry.error?.vendorCode ?? null,
          entry.updatedAtMs,
        ],
      );
    },
  };
}

export interface SyncLogPage {
  items: SyncLogEntry[];
  nextCursor: string | null;
}

/** Newest first; `status` narrows to ok/failed/retry/blocked; the cursor is the last row's (updatedAt, key). */
export async function listSyncLog(
  database: SqlDatabase,
  vendor: AccountingVendor,
  filter: { status?: SyncStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<SyncLogPage> {
  const conditions = ['vendor = ?'];
  const parameters: SqlValue[] = [vendor];
  if (filter.status) {
    conditions.push('status = ?');
    parameters.push(filter.status);
  }
  if (filter.cursor) {
    const [updatedAt, key] = decodeCursor(filter.cursor);
    conditions.push('(updated_at < ? OR (updated_at = ? AND key < ?))');
    parameters.push(updatedAt, updatedAt, key);
  }
  const rows = await database.all<SyncLogRow>(
    `SELECT ${syncLogColumns} FROM accounting_sync_log WHERE ${conditions.join(' AND ')}
      ORDER BY updated_at DESC, key DESC LIMIT ?`,
    [...parameters, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map(entryOf),
    nextCursor: rows.length > filter.limit && last ? encodeCursor(last.updatedAt, last.key) : null,
  };
}

function encodeCursor(updatedAt: number, key: string): string {
  return Buffer.from(JSON.stringify([updatedAt, key])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {}
  return [Number.MAX_SAFE_INTEGER, ''];
}

interface InvoiceRow {
  id: string;
  number: string;
  subscriberId: string;
  issuedAt: number;
  dueAt: number;
  totalCents: number;
  lines: string;
}

interface SubscriberRow {
  id: string;
  accountNumber: string;
  fullName: string;
  phone: string | null;
}

/** The subscriber a receivable account belongs to (`subscriber:<id>`), or null. */
function subscriberOfAccount(account: string): string | null {
  const prefix = LedgerAccount.subscriber('');
  return account.startsWith(prefix) ? account.slice(prefix.length) : null;
}

/**
 * The ledger facts of [fromMs, toMs): invoices issued, subscriber payments received (with what they
 * settled, replayed from each subscriber's whole ledger), voids and refunds, and every subscriber
 * they name. Facts are read from what billing keeps; nothing is recomputed differently.
 */
export async function readLedgerFacts(
  database: SqlDatabase,
  tenantId: string,
  fromMs: number,
  toMs: number,
): Promise<LedgerPeriodFacts> {
  const invoiceRows = await database.all<InvoiceRow>(
    `SELECT id, number, subscriber_id AS "subscriberId", issued_at AS "issuedAt", due_at AS "dueAt",
            total_cents AS "totalCents", lines FROM invoices
      WHERE issued_at >= ? AND issued_at < ? ORDER BY issued_at, id`,
    [fromMs, toMs],
  );
  const movements = await database.all<Transfer & { kind: string }>(
    `SELECT transfer_id AS id, debit_account AS "debitAccount", credit_account AS "creditAccount",
            amount_cents AS amount, kind, COALESCE(reference, '') AS reference, invoice_id AS "invoiceId",
            created_at AS "atMs"
       FROM ledger_entries
      WHERE created_at >= ? AND created_at < ?
        AND (kind = 'payment' OR kind = 'refund' OR (kind = 'adjustment' AND reference = ?))
      ORDER BY id`,
    [fromMs, toMs, VOID_REFERENCE],
  );
  const subscriberIds = new Set(invoiceRows.map((row) => row.subscriberId));
  for (const movement of movements) {
    const subscriberId =
      subscriberOfAccount(movement.creditAccount) ?? subscriberOfAccount(movement.debitAccount);
    if (subscriberId) subscriberIds.add(subscriberId);
  }
  const ledgers = new Map<string, Transfer[]>();
  for (const subscriberId of subscriberIds) {
    ledgers.set(subscriberId, await loadAccountTransfers(database, LedgerAccount.subscriber(subscriberId)));
  }
  const payments: LedgerPayment[] = [];
  const voids: LedgerVoid[] = [];
  const refunds: LedgerRefund[] = [];
  const paymentRows = new Map(
    (
      await database.all<{ id: string; provider: string; providerTransactionId: string }>(
        `SELECT id, provider, provider_transaction_id AS "providerTransactionId" FROM payments
          WHERE received_at >= ? AND received_at < ? AND matched_kind = 'subscriber'`,
        [fromMs, toMs],
      )
    ).map((row) => [row.id, row]),
  );
  for (const movement of movements) {
    if (movement.kind === 'payment') {
      const subscriberId = subscriberOfAccount(movement.creditAccount);
      if (!subscriberId) continue;
      const ledger = ledgers.get(subscriberId) ?? [];
      const allocations =
        paymentAllocations(ledger, LedgerAccount.subscriber(subscriberId)).get(movement.id) ?? [];
      const paymentRow = paymentRows.get(movement.reference);
      payments.push({
        id: paymentRow?.id ?? movement.id,
        subscriberId,
        provider: paymentRow?.provider ?? 'manual',
        providerTransactionId: paymentRow?.providerTransactionId ?? movement.reference,
        amountCents: movement.amount,
        receivedAtMs: movement.atMs,
        allocations,
      });
    } else if (movement.kind === 'refund') {
      const subscriberId = subscriberOfAccount(movement.debitAccount);
      if (!subscriberId) continue;
      refunds.push({
        id: movement.id,
        subscriberId,
        amountCents: movement.amount,
        reference: movement.reference,
        atMs: movement.atMs,
      });
    } else if (movement.invoiceId !== null) {
      const subscriberId =
        subscriberOfAccount(movement.creditAccount) ?? subscriberOfAccount(movement.debitAccount);
      const ledger = subscriberId ? (ledgers.get(subscriberId) ?? []) : [];
      const before = ledger.slice(
        0,
        ledger.findIndex((entry) => entry.id === movement.id),
      );
      const standing = accountStanding(before, LedgerAccount.subscriber(subscriberId ?? '')).invoices.find(
        (invoice) => invoice.invoiceId === movement.invoiceId,
      );
      voids.push({
        invoiceId: movement.invoiceId,
        atMs: movement.atMs,
        paidCents: standing?.paidCents ?? cents(0),
      });
    }
  }
  const customers = await subscribersByIds(database, [...subscriberIds]);
  return {
    tenantId,
    periodStartMs: fromMs,
    periodEndMs: toMs,
    customers,
    invoices: invoiceRows.map(
      (row): LedgerInvoice => ({
        id: row.id,
        number: row.number,
        subscriberId: row.subscriberId,
        issuedAtMs: row.issuedAt,
        dueAtMs: row.dueAt,
        lines: (JSON.parse(row.lines) as Array<{ description: string; amountCents: number }>).map((line) => ({
          description: line.description,
          amountCents: cents(line.amountCents),
        })),
        totalCents: cents(row.totalCents),
      }),
    ),
    payments,
    voids,
    refunds,
  };
}

/** Subscribers by id, a bounded IN list at a time (SQLite's variable limit). */
async function subscribersByIds(database: SqlDatabase, ids: readonly string[]): Promise<LedgerCustomer[]> {
  const customers: LedgerCustomer[] = [];
  for (let start = 0; start < ids.length; start += SUBSCRIBER_IDS_PER_QUERY) {
    const chunk = ids.slice(start, start + SUBSCRIBER_IDS_PER_QUERY);
    const rows = await database.all<SubscriberRow>(
      `SELECT id, account_number AS "accountNumber", full_name AS "fullName", phone FROM subscribers
        WHERE id IN (${chunk.map(() => '?').join(', ')})`,
      chunk,
    );
    customers.push(...rows);
  }
  return customers.sort((left, right) => left.id.localeCompare(right.id));
}

/** SQLite allows 32,766 variables per statement since 3.32; 500 keeps each statement small. */
const SUBSCRIBER_IDS_PER_QUERY = 500;
