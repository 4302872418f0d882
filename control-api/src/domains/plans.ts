// Plans of one ISP: hotspot packages and monthly PPPoE/static service, with their edit rules.
import {
  type CreatePlanInput,
  formatMikrotikRateLimit,
  KiungaError,
  newId,
  type PlanOutput,
  planTermProblems,
  type TenantShard,
  tenantSchema,
  type UpdatePlanInput,
} from '@kiunga/schemas';
import { and, eq, like, type SQL, sql } from 'drizzle-orm';
import type { Page } from '../pagination';
import { afterCursor, containsPattern, createdPageOf, newestFirst, type PageRequest } from './listing';

const { plans, subscribers, vouchers } = tenantSchema;

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

export function listPlans(shard: TenantShard, filter: PlanFilter, page: PageRequest): Page<PlanOutput> {
  const conditions: Array<SQL | undefined> = [
    filter.kind ? eq(plans.kind, filter.kind) : undefined,
    filter.isActive === undefined ? undefined : eq(plans.isActive, filter.isActive),
    filter.q ? like(plans.name, containsPattern(filter.q)) : undefined,
    afterCursor(plans, page.cursor),
  ];
  const rows = shard.orm
    .select()
    .from(plans)
    .where(and(...conditions))
    .orderBy(...newestFirst(plans))
    .limit(page.limit + 1)
    .all();
  return createdPageOf(rows, page.limit, toPlanOutput);
}

export function findPlan(shard: TenantShard, planId: string): PlanRow | undefined {
  return shard.orm.select().from(plans).where(eq(plans.id, planId)).get();
}

export function getPlan(shard: TenantShard, planId: string): PlanRow {
  const plan = findPlan(shard, planId);
  if (!plan) throw new KiungaError('not_found', 'No such plan.');
  return plan;
}

function assertPlanTerms(plan: PlanRow): void {
  const problems = planTermProblems(plan as Parameters<typeof planTermProblems>[0]);
  if (problems.length > 0) {
    const summary = problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
    throw new KiungaError('validation_failed', `The plan is not valid: ${summary}`, 400, problems);
  }
}

export function createPlan(shard: TenantShard, input: CreatePlanInput, nowMs: number): PlanOutput {
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
    isActive: input.isActive,
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  assertPlanTerms(plan);
  shard.orm.insert(plans).values(plan).run();
  return toPlanOutput(plan);
}

/** How many vouchers and subscribers were sold on this plan (a used plan keeps its kind). */
export function planUsage(shard: TenantShard, planId: string): { vouchers: number; subscribers: number } {
  const count = (table: typeof vouchers | typeof subscribers) =>
    shard.orm.select({ count: sql<number>`count(*)` }).from(table).where(eq(table.planId, planId)).get()
      ?.count ?? 0;
  return { vouchers: count(vouchers), subscribers: count(subscribers) };
}

export interface PlanUpdateResult {
  plan: PlanOutput;
  previous: PlanOutput;
  isRateChanged: boolean;
}

/**
 * Vouchers already sold keep the terms copied onto them; subscribers follow the plan (their rate
 * change reaches live sessions through CoA, which the caller sends).
 */
export function updatePlan(
  shard: TenantShard,
  planId: string,
  input: UpdatePlanInput,
  nowMs: number,
): PlanUpdateResult {
  const current = getPlan(shard, planId);
  const next: PlanRow = { ...current, ...input, updatedAt: nowMs };
  if (next.kind !== current.kind) {
    const usage = planUsage(shard, planId);
    if (usage.vouchers + usage.subscribers > 0)
      throw new KiungaError(
        'conflict',
        'This plan has vouchers or subscribers, so its kind cannot change. Create a new plan instead.',
      );
  }
  assertPlanTerms(next);
  shard.orm.update(plans).set(next).where(eq(plans.id, planId)).run();
  const previous = toPlanOutput(current);
  const plan = toPlanOutput(next);
  return { plan, previous, isRateChanged: plan.rateLimit !== previous.rateLimit };
}

export function deletePlan(shard: TenantShard, planId: string): void {
  getPlan(shard, planId);
  const usage = planUsage(shard, planId);
  if (usage.vouchers + usage.subscribers > 0)
    throw new KiungaError(
      'conflict',
      `This plan has ${usage.vouchers} voucher(s) and ${usage.subscribers} subscriber(s); archive it instead (PATCH isActive=false).`,
    );
  shard.orm.delete(plans).where(eq(plans.id, planId)).run();
}

export function subscriberIdsOnPlan(shard: TenantShard, planId: string): Set<string> {
  const rows = shard.orm
    .select({ id: subscribers.id })
    .from(subscribers)
    .where(eq(subscribers.planId, planId))
    .all();
  return new Set(rows.map((row) => row.id));
}
