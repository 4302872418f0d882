// Plans of one ISP: hotspot packages and monthly PPPoE/static service, with their edit rules.
import {
  assignmentsOf,
  type CreatePlanInput,
  columnsOf,
  formatMikrotikRateLimit,
  insertOf,
  KiungaError,
  newId,
  type PlanOutput,
  planTermProblems,
  rowOf,
  rowsOf,
  type SqlDatabase,
  tenantSchema,
  type UpdatePlanInput,
} from '@kiunga/schemas';
import type { Auditor } from '../../kernel/audit';
import {
  afterCursor,
  containsAnyOf,
  createdPageOf,
  equals,
  newestFirst,
  type PageRequest,
  whereAll,
} from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';
import { type CoaReport, changeSubjectRate, type SessionEffects } from '../sessions/service';
import { fairUseProblems } from '../usage/plan-fields';

const { plans } = tenantSchema;

export type PlanRow = typeof plans.$inferSelect;

export interface PlanFilter {
  kind?: 'hotspot' | 'pppoe' | 'static' | undefined;
  isActive?: boolean | undefined;
  q?: string | undefined;
}

export function planRateLimit(plan: PlanRow): string {
  return formatMikrotikRateLimit({
    upKbps: plan.rateUpKbps,
    downKbps: plan.rateDownKbps,
    burstUpKbps: plan.burstUpKbps,
    burstDownKbps: plan.burstDownKbps,
    burstThresholdUpKbps: plan.burstThresholdUpKbps,
    burstThresholdDownKbps: plan.burstThresholdDownKbps,
    burstTimeSeconds: plan.burstTimeSeconds,
  });
}

export function toPlanOutput(plan: PlanRow): PlanOutput {
  return { ...plan, kind: plan.kind as PlanOutput['kind'], rateLimit: planRateLimit(plan) };
}

export async function listPlans(
  database: SqlDatabase,
  filter: PlanFilter,
  page: PageRequest,
): Promise<Page<PlanOutput>> {
  const where = whereAll([
    equals('kind', filter.kind || undefined),
    equals('is_active', filter.isActive === undefined ? undefined : Number(filter.isActive)),
    filter.q ? containsAnyOf(['name'], filter.q) : undefined,
    afterCursor(page.cursor),
  ]);
  const rows = await database.all(
    `SELECT ${columnsOf(plans)} FROM plans${where.sql} ORDER BY ${newestFirst()} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rowsOf(plans, rows), page.limit, toPlanOutput);
}

export async function findPlan(database: SqlDatabase, planId: string): Promise<PlanRow | undefined> {
  const row = await database.get(`SELECT ${columnsOf(plans)} FROM plans WHERE id = ?`, [planId]);
  return row === undefined ? undefined : rowOf(plans, row);
}

export async function getPlan(database: SqlDatabase, planId: string): Promise<PlanRow> {
  const plan = await findPlan(database, planId);
  if (!plan) throw new KiungaError('not_found', 'No such plan.');
  return plan;
}

function assertPlanTerms(plan: PlanRow): void {
  const problems = [
    ...planTermProblems(plan as Parameters<typeof planTermProblems>[0]),
    ...fairUseProblems(plan),
  ];
  if (problems.length > 0) {
    const summary = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw new KiungaError('validation_failed', `The plan is not valid: ${summary}`, 400, problems);
  }
}

export async function createPlan(
  database: SqlDatabase,
  input: CreatePlanInput,
  nowMs: number,
  audit: Auditor,
): Promise<PlanOutput> {
  const isHotspot = input.kind === 'hotspot';
  const plan: PlanRow = {
    id: newId('plan'),
    name: input.name,
    kind: input.kind,
    priceCents: input.priceCents,
    validitySeconds: input.validitySeconds ?? null,
    billingCycleMonths: input.billingCycleMonths ?? (isHotspot ? null : 1),
    rateUpKbps: input.rateUpKbps,
    rateDownKbps: input.rateDownKbps,
    burstUpKbps: input.burstUpKbps ?? null,
    burstDownKbps: input.burstDownKbps ?? null,
    burstThresholdUpKbps: input.burstThresholdUpKbps ?? null,
    burstThresholdDownKbps: input.burstThresholdDownKbps ?? null,
    burstTimeSeconds: input.burstTimeSeconds ?? null,
    deviceLimit: input.deviceLimit,
    dataCapBytes: input.dataCapBytes ?? null,
    ipPool: input.ipPool ?? null,
    fupThresholdBytes: input.fupThresholdBytes ?? null,
    fupRateUpKbps: input.fupRateUpKbps ?? null,
    fupRateDownKbps: input.fupRateDownKbps ?? null,
    includedBytes: input.includedBytes ?? null,
    pricePerGigabyteCents: input.pricePerGigabyteCents ?? null,
    isActive: input.isActive,
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  assertPlanTerms(plan);
  const insert = insertOf(plans, plan);
  await database.run(insert.sql, insert.params);
  await audit({ action: 'plan.create', target: plan.id, detail: input });
  return toPlanOutput(plan);
}

/** How many vouchers and subscribers were sold on this plan (a used plan keeps its kind). */
export async function planUsage(
  database: SqlDatabase,
  planId: string,
): Promise<{ vouchers: number; subscribers: number }> {
  const usage = await database.get<{ vouchers: number; subscribers: number }>(
    `SELECT (SELECT count(*) FROM vouchers WHERE plan_id = ?) AS vouchers,
            (SELECT count(*) FROM subscribers WHERE plan_id = ?) AS subscribers`,
    [planId, planId],
  );
  return { vouchers: usage?.vouchers ?? 0, subscribers: usage?.subscribers ?? 0 };
}

interface PlanUpdateResult {
  plan: PlanOutput;
  previous: PlanOutput;
  isRateChanged: boolean;
}

/**
 * Vouchers already sold keep the terms copied onto them; subscribers follow the plan, and a rate
 * change reaches their live sessions by CoA (reported as rateChange; hotspot plans have none).
 */
export async function updatePlan(
  database: SqlDatabase,
  planId: string,
  input: UpdatePlanInput,
  nowMs: number,
  effects: SessionEffects,
): Promise<PlanOutput & { rateChange?: CoaReport }> {
  const { plan, previous, isRateChanged } = await writePlanUpdate(database, planId, input, nowMs);
  await effects.audit({ action: 'plan.update', target: plan.id, detail: { before: previous, input } });
  if (!isRateChanged || plan.kind === 'hotspot') return plan;
  const rateChange = await changeSubjectRate(
    effects.aaa,
    effects.tenantId,
    await subscriberIdsOnPlan(database, plan.id),
    plan.rateLimit,
  );
  return { ...plan, rateChange };
}

async function writePlanUpdate(
  database: SqlDatabase,
  planId: string,
  input: UpdatePlanInput,
  nowMs: number,
): Promise<PlanUpdateResult> {
  // One transaction: the kind check and the write see the same vouchers and subscribers.
  return database.transaction(async (transaction) => {
    const current = await getPlan(transaction, planId);
    const next: PlanRow = { ...current, ...input, updatedAt: nowMs };
    if (next.kind !== current.kind) {
      const usage = await planUsage(transaction, planId);
      if (usage.vouchers + usage.subscribers > 0)
        throw new KiungaError(
          'conflict',
          'This plan has vouchers or subscribers, so its kind cannot change. Create a new plan instead.',
        );
    }
    assertPlanTerms(next);
    const { id: _id, ...changed } = next;
    const assignments = assignmentsOf(plans, changed);
    await transaction.run(`UPDATE plans SET ${assignments.sql} WHERE id = ?`, [
      ...assignments.params,
      planId,
    ]);
    const previous = toPlanOutput(current);
    const plan = toPlanOutput(next);
    return { plan, previous, isRateChanged: plan.rateLimit !== previous.rateLimit };
  });
}

/** Deletes a plan nothing was sold on (a used one is archived instead); answers what was deleted. */
export async function deletePlan(database: SqlDatabase, planId: string, audit: Auditor): Promise<PlanOutput> {
  const plan = await database.transaction(async (transaction) => {
    const current = await getPlan(transaction, planId);
    const usage = await planUsage(transaction, planId);
    if (usage.vouchers + usage.subscribers > 0)
      throw new KiungaError(
        'conflict',
        `This plan has ${usage.vouchers} voucher(s) and ${usage.subscribers} subscriber(s); archive it instead (PATCH isActive=false).`,
      );
    await transaction.run('DELETE FROM plans WHERE id = ?', [planId]);
    return toPlanOutput(current);
  });
  await audit({ action: 'plan.delete', target: plan.id, detail: { name: plan.name } });
  return plan;
}

async function subscriberIdsOnPlan(database: SqlDatabase, planId: string): Promise<Set<string>> {
  return new Set(await database.column<string>('SELECT id FROM subscribers WHERE plan_id = ?', [planId]));
}
