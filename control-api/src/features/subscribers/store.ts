// The subscribers table of one ISP's database: rows in and out, search, and unique-key conflicts.
import {
  assignmentsOf,
  columnsOf,
  insertOf,
  KiungaError,
  type ListSubscribersFilter,
  type SqlDatabase,
  type SubscriberOutput,
  tenantSchema,
} from '@kiunga/schemas';
import {
  afterCursor,
  containsAnyOf,
  createdPageOf,
  equals,
  isUniqueViolation,
  newestFirst,
  type PageRequest,
  violatedUniqueText,
  whereAll,
} from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';

const { subscribers } = tenantSchema;

export type SubscriberRow = typeof subscribers.$inferSelect;

export function toSubscriberOutput(row: SubscriberRow): SubscriberOutput {
  const { passwordSealed: _sealed, ...rest } = row;
  return {
    ...rest,
    kind: row.kind as SubscriberOutput['kind'],
    status: row.status as SubscriberOutput['status'],
  };
}

/** A unique username or account number already taken, said as a conflict; any other error as it is. */
function conflictMessage(error: unknown): KiungaError | unknown {
  if (!isUniqueViolation(error)) return error;
  // SQLite names the column (subscribers.account_number), PostgreSQL the index (subscribers_account_unique).
  if (violatedUniqueText(error).includes('account'))
    return new KiungaError('conflict', 'Another subscriber already has this account number.');
  return new KiungaError('conflict', 'Another subscriber already has this username.');
}

export async function isAccountNumberTaken(database: SqlDatabase, accountNumber: string): Promise<boolean> {
  return (
    (await database.get('SELECT id FROM subscribers WHERE account_number = ?', [accountNumber])) !== undefined
  );
}

export async function insertSubscriber(database: SqlDatabase, row: SubscriberRow): Promise<void> {
  const insert = insertOf(subscribers, row);
  try {
    await database.run(insert.sql, insert.params);
  } catch (error) {
    throw conflictMessage(error);
  }
}

export async function getSubscriberRow(database: SqlDatabase, subscriberId: string): Promise<SubscriberRow> {
  const row = await database.get<SubscriberRow>(
    `SELECT ${columnsOf(subscribers)} FROM subscribers WHERE id = ?`,
    [subscriberId],
  );
  if (!row) throw new KiungaError('not_found', 'No such subscriber.');
  return row;
}

export async function listSubscribers(
  database: SqlDatabase,
  filter: ListSubscribersFilter,
  page: PageRequest,
): Promise<Page<SubscriberOutput>> {
  const where = whereAll([
    filter.q ? containsAnyOf(['username', 'account_number', 'full_name', 'phone'], filter.q) : undefined,
    equals('status', filter.status || undefined),
    equals('plan_id', filter.planId || undefined),
    afterCursor(page.cursor),
  ]);
  const rows = await database.all<SubscriberRow>(
    `SELECT ${columnsOf(subscribers)} FROM subscribers${where.sql} ORDER BY ${newestFirst()} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rows, page.limit, toSubscriberOutput);
}

/** Writes every column of the row back (the id stays). */
export async function writeSubscriber(database: SqlDatabase, row: SubscriberRow): Promise<void> {
  const { id, ...changed } = row;
  const assignments = assignmentsOf(subscribers, changed);
  try {
    await database.run(`UPDATE subscribers SET ${assignments.sql} WHERE id = ?`, [...assignments.params, id]);
  } catch (error) {
    throw conflictMessage(error);
  }
}

export async function writeSubscriberPlan(database: SqlDatabase, row: SubscriberRow): Promise<void> {
  await database.run('UPDATE subscribers SET plan_id = ?, kind = ?, updated_at = ? WHERE id = ?', [
    row.planId,
    row.kind,
    row.updatedAt,
    row.id,
  ]);
}

export async function writeSubscriberStatus(database: SqlDatabase, row: SubscriberRow): Promise<void> {
  await database.run('UPDATE subscribers SET status = ?, expires_at = ?, updated_at = ? WHERE id = ?', [
    row.status,
    row.expiresAt,
    row.updatedAt,
    row.id,
  ]);
}

export async function deleteSubscriberRow(database: SqlDatabase, subscriberId: string): Promise<void> {
  await database.run('DELETE FROM subscribers WHERE id = ?', [subscriberId]);
}
