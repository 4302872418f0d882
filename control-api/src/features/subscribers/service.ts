// PPPoE/static subscribers of one ISP: accounts the AAA server authenticates by username.
import { randomInt } from 'node:crypto';
import {
  assignmentsOf,
  type CreateSubscriberInput,
  columnsOf,
  insertOf,
  KiungaError,
  type ListSubscribersFilter,
  newId,
  type SecretBox,
  type SqlDatabase,
  type SubscriberOutput,
  tenantSchema,
  type UpdateSubscriberInput,
} from '@kiunga/schemas';
import { recordPlanChange } from '../../billing/store';
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
import { getPlan, type PlanRow } from '../plans/service';

const { subscribers } = tenantSchema;

/** Generated passwords: 12 characters of the look-alike-free alphabet (~59 bits). */
const GENERATED_PASSWORD_LENGTH = 12;
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Account numbers are typed on a phone as the M-Pesa account reference: digits only, 7 long. */
const ACCOUNT_NUMBER_DIGITS = 7;
const ACCOUNT_NUMBER_DRAWS_MAX = 20;

type SubscriberRow = typeof subscribers.$inferSelect;

export function toSubscriberOutput(row: SubscriberRow): SubscriberOutput {
  const { passwordSealed: _sealed, ...rest } = row;
  return {
    ...rest,
    kind: row.kind as SubscriberOutput['kind'],
    status: row.status as SubscriberOutput['status'],
  };
}

export function generateSubscriberPassword(): string {
  let password = '';
  for (let index = 0; index < GENERATED_PASSWORD_LENGTH; index += 1)
    password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return password;
}

function addMonthsUtc(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

async function subscriberPlan(database: SqlDatabase, planId: string): Promise<PlanRow> {
  const plan = await getPlan(database, planId);
  if (plan.kind === 'hotspot')
    throw new KiungaError(
      'validation_failed',
      'Subscribers need a PPPoE or static plan, not a hotspot plan.',
    );
  return plan;
}

function assertStaticIp(kind: string, staticIp: string | null): void {
  if (kind === 'static' && !staticIp)
    throw new KiungaError('validation_failed', 'A static-IP subscriber needs staticIp.');
}

function conflictMessage(error: unknown): KiungaError | unknown {
  if (!isUniqueViolation(error)) return error;
  // SQLite names the column (subscribers.account_number), PostgreSQL the index (subscribers_account_unique).
  if (violatedUniqueText(error).includes('account'))
    return new KiungaError('conflict', 'Another subscriber already has this account number.');
  return new KiungaError('conflict', 'Another subscriber already has this username.');
}

async function nextAccountNumber(database: SqlDatabase): Promise<string> {
  for (let draw = 0; draw < ACCOUNT_NUMBER_DRAWS_MAX; draw += 1) {
    const candidate = String(randomInt(10 ** (ACCOUNT_NUMBER_DIGITS - 1), 10 ** ACCOUNT_NUMBER_DIGITS));
    const taken = await database.get('SELECT id FROM subscribers WHERE account_number = ?', [candidate]);
    if (!taken) return candidate;
  }
  throw new KiungaError('conflict', 'Could not find a free account number; give one explicitly.');
}

export interface CreatedSubscriber {
  subscriber: SubscriberOutput;
  /** Present only when the password was generated: shown once. */
  generatedPassword: string | null;
}

export async function createSubscriber(
  database: SqlDatabase,
  secretBox: SecretBox,
  input: CreateSubscriberInput,
  nowMs: number,
): Promise<CreatedSubscriber> {
  const plan = await subscriberPlan(database, input.planId);
  if (!plan.isActive) throw new KiungaError('conflict', 'This plan is archived; choose an active plan.');
  assertStaticIp(plan.kind, input.staticIp ?? null);
  const generatedPassword = input.password === undefined ? generateSubscriberPassword() : null;
  const row: SubscriberRow = {
    id: newId('subscriber'),
    username: input.username,
    passwordSealed: secretBox.seal(input.password ?? generatedPassword!),
    planId: plan.id,
    accountNumber: input.accountNumber ?? (await nextAccountNumber(database)),
    kind: plan.kind,
    status: 'active',
    expiresAt: input.expiresAt ?? addMonthsUtc(nowMs, plan.billingCycleMonths ?? 1),
    staticIp: input.staticIp ?? null,
    macAddress: input.macAddress ?? null,
    fullName: input.fullName,
    phone: input.phone ?? null,
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  const insert = insertOf(subscribers, row);
  try {
    await database.run(insert.sql, insert.params);
  } catch (error) {
    throw conflictMessage(error);
  }
  return { subscriber: toSubscriberOutput(row), generatedPassword };
}

async function getSubscriberRow(database: SqlDatabase, subscriberId: string): Promise<SubscriberRow> {
  const row = await database.get<SubscriberRow>(
    `SELECT ${columnsOf(subscribers)} FROM subscribers WHERE id = ?`,
    [subscriberId],
  );
  if (!row) throw new KiungaError('not_found', 'No such subscriber.');
  return row;
}

export async function getSubscriber(database: SqlDatabase, subscriberId: string): Promise<SubscriberOutput> {
  return toSubscriberOutput(await getSubscriberRow(database, subscriberId));
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

export async function updateSubscriber(
  database: SqlDatabase,
  secretBox: SecretBox,
  subscriberId: string,
  input: UpdateSubscriberInput,
  nowMs: number,
): Promise<SubscriberOutput> {
  // One transaction: the row written back is the row read (a suspension in between is not undone).
  return database.transaction(async (transaction) => {
    const current = await getSubscriberRow(transaction, subscriberId);
    const { password, ...fields } = input;
    const next: SubscriberRow = {
      ...current,
      ...fields,
      ...(password === undefined ? {} : { passwordSealed: secretBox.seal(password) }),
      updatedAt: nowMs,
    };
    assertStaticIp(next.kind, next.staticIp);
    const { id: _id, ...changed } = next;
    const assignments = assignmentsOf(subscribers, changed);
    try {
      await transaction.run(`UPDATE subscribers SET ${assignments.sql} WHERE id = ?`, [
        ...assignments.params,
        subscriberId,
      ]);
    } catch (error) {
      throw conflictMessage(error);
    }
    return toSubscriberOutput(next);
  });
}

/** Moves a subscriber to another PPPoE/static plan; returns the new plan for the caller's CoA. */
export async function changeSubscriberPlan(
  database: SqlDatabase,
  subscriberId: string,
  planId: string,
  nowMs: number,
): Promise<{ subscriber: SubscriberOutput; plan: PlanRow }> {
  return database.transaction(async (transaction) => {
    const current = await getSubscriberRow(transaction, subscriberId);
    const plan = await subscriberPlan(transaction, planId);
    if (!plan.isActive) throw new KiungaError('conflict', 'This plan is archived; choose an active plan.');
    assertStaticIp(plan.kind, current.staticIp);
    const next: SubscriberRow = { ...current, planId: plan.id, kind: plan.kind, updatedAt: nowMs };
    await transaction.run('UPDATE subscribers SET plan_id = ?, kind = ?, updated_at = ? WHERE id = ?', [
      next.planId,
      next.kind,
      nowMs,
      subscriberId,
    ]);
    // Billing: credit the old plan's unused days and charge the new plan's on the next invoice.
    await recordPlanChange(
      transaction,
      { subscriberId, oldPlanId: current.planId, newPlanId: plan.id },
      nowMs,
    );
    return { subscriber: toSubscriberOutput(next), plan };
  });
}

export async function setSubscriberStatus(
  database: SqlDatabase,
  subscriberId: string,
  status: 'active' | 'expired' | 'suspended',
  nowMs: number,
  expiresAt?: number | null,
): Promise<SubscriberOutput> {
  const current = await getSubscriberRow(database, subscriberId);
  const next: SubscriberRow = {
    ...current,
    status,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    updatedAt: nowMs,
  };
  await database.run('UPDATE subscribers SET status = ?, expires_at = ?, updated_at = ? WHERE id = ?', [
    next.status,
    next.expiresAt,
    nowMs,
    subscriberId,
  ]);
  return toSubscriberOutput(next);
}

/** Back to service: active while paid up, otherwise expired (billing reactivates on payment). */
export async function reactivateSubscriber(
  database: SqlDatabase,
  subscriberId: string,
  nowMs: number,
  expiresAt?: number,
): Promise<SubscriberOutput> {
  return database.transaction(async (transaction) => {
    const current = await getSubscriberRow(transaction, subscriberId);
    const until = expiresAt ?? current.expiresAt;
    const status = until === null || until > nowMs ? 'active' : 'expired';
    return setSubscriberStatus(transaction, subscriberId, status, nowMs, until);
  });
}

export async function deleteSubscriber(
  database: SqlDatabase,
  subscriberId: string,
): Promise<SubscriberOutput> {
  const current = await getSubscriberRow(database, subscriberId);
  await database.run('DELETE FROM subscribers WHERE id = ?', [subscriberId]);
  return toSubscriberOutput(current);
}
