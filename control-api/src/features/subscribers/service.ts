// PPPoE/static subscribers of one ISP: accounts the AAA server authenticates by username. The rules
// (plans they may be on, generated passwords and account numbers, status changes) and what a change
// does beyond the table: billing's plan-change record, CoA to live sessions, the audit log.
import { randomInt } from 'node:crypto';
import {
  type CreateSubscriberInput,
  KiungaError,
  newId,
  type SecretBox,
  type SqlDatabase,
  type SubscriberOutput,
  type UpdateSubscriberInput,
} from '@kiunga/schemas';
import { recordPlanChange } from '../../billing/store';
import type { Auditor } from '../../kernel/audit';
import { getPlan, type PlanRow, planRateLimit } from '../plans/service';
import {
  type CoaReport,
  changeSubjectRate,
  disconnectSubjectSessions,
  type SessionEffects,
} from '../sessions/service';
import { recordSubscriberReactivated, recordSubscriberSuspended } from '../webhooks/emitters';
import {
  deleteSubscriberRow,
  getSubscriberRow,
  insertSubscriber,
  isAccountNumberTaken,
  type SubscriberRow,
  toSubscriberOutput,
  writeSubscriber,
  writeSubscriberPlan,
  writeSubscriberStatus,
} from './store';

export { listSubscribers } from './store';

/** Generated passwords: 12 characters of the look-alike-free alphabet (~59 bits). */
const GENERATED_PASSWORD_LENGTH = 12;
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Account numbers are typed on a phone as the M-Pesa account reference: digits only, 7 long. */
const ACCOUNT_NUMBER_DIGITS = 7;
const ACCOUNT_NUMBER_DRAWS_MAX = 20;

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

async function nextAccountNumber(database: SqlDatabase): Promise<string> {
  for (let draw = 0; draw < ACCOUNT_NUMBER_DRAWS_MAX; draw += 1) {
    const candidate = String(randomInt(10 ** (ACCOUNT_NUMBER_DIGITS - 1), 10 ** ACCOUNT_NUMBER_DIGITS));
    if (!(await isAccountNumberTaken(database, candidate))) return candidate;
  }
  throw new KiungaError('conflict', 'Could not find a free account number; give one explicitly.');
}

/** The new subscriber; `password` only when it was generated, shown this once. */
export type CreatedSubscriber = SubscriberOutput & { password?: string };

export async function createSubscriber(
  database: SqlDatabase,
  secretBox: SecretBox,
  input: CreateSubscriberInput,
  nowMs: number,
  audit: Auditor,
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
    cpeSerialNumber: input.cpeSerialNumber ?? null,
    email: input.email ?? null,
    // Set when the subscriber picks a language on the customer portal; until then the ISP's default.
    language: null,
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  await insertSubscriber(database, row);
  const { password: _password, ...auditable } = input;
  await audit({ action: 'subscriber.create', target: row.id, detail: auditable });
  return { ...toSubscriberOutput(row), ...(generatedPassword ? { password: generatedPassword } : {}) };
}

export async function getSubscriber(database: SqlDatabase, subscriberId: string): Promise<SubscriberOutput> {
  return toSubscriberOutput(await getSubscriberRow(database, subscriberId));
}

export async function updateSubscriber(
  database: SqlDatabase,
  secretBox: SecretBox,
  subscriberId: string,
  input: UpdateSubscriberInput,
  nowMs: number,
  audit: Auditor,
): Promise<SubscriberOutput> {
  // One transaction: the row written back is the row read (a suspension in between is not undone).
  const subscriber = await database.transaction(async (transaction) => {
    const current = await getSubscriberRow(transaction, subscriberId);
    const { password, ...fields } = input;
    const next: SubscriberRow = {
      ...current,
      ...fields,
      ...(password === undefined ? {} : { passwordSealed: secretBox.seal(password) }),
      updatedAt: nowMs,
    };
    assertStaticIp(next.kind, next.staticIp);
    await writeSubscriber(transaction, next);
    return toSubscriberOutput(next);
  });
  const { password, ...auditable } = input;
  await audit({
    action: 'subscriber.update',
    target: subscriber.id,
    detail: { ...auditable, ...(password === undefined ? {} : { passwordChanged: true }) },
  });
  return subscriber;
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
    await writeSubscriberPlan(transaction, next);
    // Billing: credit the old plan's unused days and charge the new plan's on the next invoice.
    await recordPlanChange(
      transaction,
      { subscriberId, oldPlanId: current.planId, newPlanId: plan.id },
      nowMs,
    );
    return { subscriber: toSubscriberOutput(next), plan };
  });
}

/** Moves a subscriber to another plan; live sessions get the new plan's rate by CoA. */
export async function moveSubscriberToPlan(
  database: SqlDatabase,
  subscriberId: string,
  planId: string,
  nowMs: number,
  effects: SessionEffects,
): Promise<SubscriberOutput & { rateChange: CoaReport }> {
  const before = await getSubscriber(database, subscriberId);
  const { subscriber, plan } = await changeSubscriberPlan(database, before.id, planId, nowMs);
  const rateChange = await changeSubjectRate(
    effects.aaa,
    effects.tenantId,
    new Set([subscriber.id]),
    planRateLimit(plan),
  );
  await effects.audit({
    action: 'subscriber.change_plan',
    target: subscriber.id,
    detail: { from: before.planId, to: plan.id, rateChange },
  });
  return { ...subscriber, rateChange };
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
  await writeSubscriberStatus(database, next);
  return toSubscriberOutput(next);
}

/** Suspends a subscriber and disconnects their live sessions (the AAA server refuses them meanwhile). */
export async function suspendSubscriber(
  database: SqlDatabase,
  subscriberId: string,
  nowMs: number,
  effects: SessionEffects,
): Promise<SubscriberOutput & { disconnected: CoaReport }> {
  const subscriber = await database.transaction(async (transaction) => {
    await recordSubscriberSuspended(transaction, subscriberId, 'manual', nowMs);
    return setSubscriberStatus(transaction, subscriberId, 'suspended', nowMs);
  });
  const disconnected = await disconnectSubjectSessions(
    effects.aaa,
    effects.tenantId,
    'subscriber',
    new Set([subscriber.id]),
  );
  await effects.audit({ action: 'subscriber.suspend', target: subscriber.id, detail: { disconnected } });
  return { ...subscriber, disconnected };
}

/** Back to service: active while paid up, otherwise expired (billing reactivates on payment). */
export async function reactivateSubscriber(
  database: SqlDatabase,
  subscriberId: string,
  nowMs: number,
  input: { expiresAt?: number | undefined },
  audit: Auditor,
): Promise<SubscriberOutput> {
  const subscriber = await database.transaction(async (transaction) => {
    const current = await getSubscriberRow(transaction, subscriberId);
    const until = input.expiresAt ?? current.expiresAt;
    const status = until === null || until > nowMs ? 'active' : 'expired';
    if (current.status === 'suspended') await recordSubscriberReactivated(transaction, subscriberId, nowMs);
    return setSubscriberStatus(transaction, subscriberId, status, nowMs, until);
  });
  await audit({ action: 'subscriber.reactivate', target: subscriber.id, detail: input });
  return subscriber;
}

/** Disconnects a subscriber's live sessions, then deletes the account. */
export async function deleteSubscriber(
  database: SqlDatabase,
  subscriberId: string,
  effects: SessionEffects,
): Promise<SubscriberOutput & { disconnected: CoaReport }> {
  const current = await getSubscriberRow(database, subscriberId);
  const disconnected = await disconnectSubjectSessions(
    effects.aaa,
    effects.tenantId,
    'subscriber',
    new Set([current.id]),
  );
  await deleteSubscriberRow(database, current.id);
  const subscriber = toSubscriberOutput(current);
  await effects.audit({
    action: 'subscriber.delete',
    target: subscriber.id,
    detail: { username: subscriber.username, disconnected },
  });
  return { ...subscriber, disconnected };
}
