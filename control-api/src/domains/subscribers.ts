// PPPoE/static subscribers of one ISP: accounts the AAA server authenticates by username.
import { randomInt } from 'node:crypto';
import {
  type CreateSubscriberInput,
  KiungaError,
  type ListSubscribersFilter,
  newId,
  type SecretBox,
  type SubscriberOutput,
  type TenantShard,
  tenantSchema,
  type UpdateSubscriberInput,
} from '@kiunga/schemas';
import { and, eq, like, or, type SQL } from 'drizzle-orm';
import { recordPlanChange } from '../billing/store';
import type { Page } from '../pagination';
import {
  afterCursor,
  containsPattern,
  createdPageOf,
  isUniqueViolation,
  newestFirst,
  type PageRequest,
} from './listing';
import { getPlan, type PlanRow } from './plans';

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

function subscriberPlan(shard: TenantShard, planId: string): PlanRow {
  const plan = getPlan(shard, planId);
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
  const text = String((error as Error).message);
  if (text.includes('account_number'))
    return new KiungaError('conflict', 'Another subscriber already has this account number.');
  return new KiungaError('conflict', 'Another subscriber already has this username.');
}

function nextAccountNumber(shard: TenantShard): string {
  for (let draw = 0; draw < ACCOUNT_NUMBER_DRAWS_MAX; draw += 1) {
    const candidate = String(randomInt(10 ** (ACCOUNT_NUMBER_DIGITS - 1), 10 ** ACCOUNT_NUMBER_DIGITS));
    const taken = shard.orm
      .select({ id: subscribers.id })
      .from(subscribers)
      .where(eq(subscribers.accountNumber, candidate))
      .get();
    if (!taken) return candidate;
  }
  throw new KiungaError('conflict', 'Could not find a free account number; give one explicitly.');
}

export interface CreatedSubscriber {
  subscriber: SubscriberOutput;
  /** Present only when the password was generated: shown once. */
  generatedPassword: string | null;
}

export function createSubscriber(
  shard: TenantShard,
  secretBox: SecretBox,
  input: CreateSubscriberInput,
  nowMs: number,
): CreatedSubscriber {
  const plan = subscriberPlan(shard, input.planId);
  if (!plan.isActive) throw new KiungaError('conflict', 'This plan is archived; choose an active plan.');
  assertStaticIp(plan.kind, input.staticIp ?? null);
  const generatedPassword = input.password === undefined ? generateSubscriberPassword() : null;
  const row: SubscriberRow = {
    id: newId('subscriber'),
    username: input.username,
    passwordSealed: secretBox.seal(input.password ?? generatedPassword!),
    planId: plan.id,
    accountNumber: input.accountNumber ?? nextAccountNumber(shard),
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
  try {
    shard.orm.insert(subscribers).values(row).run();
  } catch (error) {
    throw conflictMessage(error);
  }
  return { subscriber: toSubscriberOutput(row), generatedPassword };
}

function getSubscriberRow(shard: TenantShard, subscriberId: string): SubscriberRow {
  const row = shard.orm.select().from(subscribers).where(eq(subscribers.id, subscriberId)).get();
  if (!row) throw new KiungaError('not_found', 'No such subscriber.');
  return row;
}

export function getSubscriber(shard: TenantShard, subscriberId: string): SubscriberOutput {
  return toSubscriberOutput(getSubscriberRow(shard, subscriberId));
}

export function listSubscribers(
  shard: TenantShard,
  filter: ListSubscribersFilter,
  page: PageRequest,
): Page<SubscriberOutput> {
  const pattern = filter.q ? containsPattern(filter.q) : null;
  const conditions: Array<SQL | undefined> = [
    pattern
      ? or(
          like(subscribers.username, pattern),
          like(subscribers.accountNumber, pattern),
          like(subscribers.fullName, pattern),
          like(subscribers.phone, pattern),
        )
      : undefined,
    filter.status ? eq(subscribers.status, filter.status) : undefined,
    filter.planId ? eq(subscribers.planId, filter.planId) : undefined,
    afterCursor(subscribers, page.cursor),
  ];
  const rows = shard.orm
    .select()
    .from(subscribers)
    .where(and(...conditions))
    .orderBy(...newestFirst(subscribers))
    .limit(page.limit + 1)
    .all();
  return createdPageOf(rows, page.limit, toSubscriberOutput);
}

export function updateSubscriber(
  shard: TenantShard,
  secretBox: SecretBox,
  subscriberId: string,
  input: UpdateSubscriberInput,
  nowMs: number,
): SubscriberOutput {
  const current = getSubscriberRow(shard, subscriberId);
  const { password, ...fields } = input;
  const next: SubscriberRow = {
    ...current,
    ...fields,
    ...(password === undefined ? {} : { passwordSealed: secretBox.seal(password) }),
    updatedAt: nowMs,
  };
  assertStaticIp(next.kind, next.staticIp);
  try {
    shard.orm.update(subscribers).set(next).where(eq(subscribers.id, subscriberId)).run();
  } catch (error) {
    throw conflictMessage(error);
  }
  return toSubscriberOutput(next);
}

/** Moves a subscriber to another PPPoE/static plan; returns the new plan for the caller's CoA. */
export function changeSubscriberPlan(
  shard: TenantShard,
  subscriberId: string,
  planId: string,
  nowMs: number,
): { subscriber: SubscriberOutput; plan: PlanRow } {
  const current = getSubscriberRow(shard, subscriberId);
  const plan = subscriberPlan(shard, planId);
  if (!plan.isActive) throw new KiungaError('conflict', 'This plan is archived; choose an active plan.');
  assertStaticIp(plan.kind, current.staticIp);
  const next: SubscriberRow = { ...current, planId: plan.id, kind: plan.kind, updatedAt: nowMs };
  shard.sqlite.transaction(() => {
    shard.orm
      .update(subscribers)
      .set({ planId: next.planId, kind: next.kind, updatedAt: nowMs })
      .where(eq(subscribers.id, subscriberId))
      .run();
    // Billing: credit the old plan's unused days and charge the new plan's on the next invoice.
    recordPlanChange(shard, { subscriberId, oldPlanId: current.planId, newPlanId: plan.id }, nowMs);
  })();
  return { subscriber: toSubscriberOutput(next), plan };
}

export function setSubscriberStatus(
  shard: TenantShard,
  subscriberId: string,
  status: 'active' | 'expired' | 'suspended',
  nowMs: number,
  expiresAt?: number | null,
): SubscriberOutput {
  const current = getSubscriberRow(shard, subscriberId);
  const next: SubscriberRow = {
    ...current,
    status,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    updatedAt: nowMs,
  };
  shard.orm
    .update(subscribers)
    .set({ status: next.status, expiresAt: next.expiresAt, updatedAt: nowMs })
    .where(eq(subscribers.id, subscriberId))
    .run();
  return toSubscriberOutput(next);
}

/** Back to service: active while paid up, otherwise expired (billing reactivates on payment). */
export function reactivateSubscriber(
  shard: TenantShard,
  subscriberId: string,
  nowMs: number,
  expiresAt?: number,
): SubscriberOutput {
  const current = getSubscriberRow(shard, subscriberId);
  const until = expiresAt ?? current.expiresAt;
  const status = until === null || until > nowMs ? 'active' : 'expired';
  return setSubscriberStatus(shard, subscriberId, status, nowMs, until);
}

export function deleteSubscriber(shard: TenantShard, subscriberId: string): SubscriberOutput {
  const current = getSubscriberRow(shard, subscriberId);
  shard.orm.delete(subscribers).where(eq(subscribers.id, subscriberId)).run();
  return toSubscriberOutput(current);
}
