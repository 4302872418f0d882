// /api/v1/plans: hotspot packages and PPPoE/static service plans, with the edit rules of sold terms.
import {
  createPlanInputSchema,
  listPlansQuerySchema,
  pageResponseSchema,
  planOutputSchema,
  updatePlanInputSchema,
} from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../audit';
import type { ApiDependencies, AppEnv } from '../dependencies';
import {
  createPlan,
  deletePlan,
  getPlan,
  listPlans,
  subscriberIdsOnPlan,
  toPlanOutput,
  updatePlan,
} from '../domains/plans';
import { changeSubjectRate } from '../domains/sessions';
import { requireFeature } from '../middleware/require-feature';
import { requirePermission } from '../middleware/require-permission';
import { pageQuerySchema } from '../pagination';
import { tenantShardOf } from '../tenant-access';
import { parseJsonBody, parseQuery } from '../validation';
import { registerApiOperations } from './openapi';

const listQuerySchema = listPlansQuerySchema.extend(pageQuerySchema.shape);
const coaReportSchema = z.object({ sessions: z.number().int(), acknowledged: z.number().int() });

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/plans',
    summary: 'List plans (filter by kind, isActive, name)',
    tag: 'plans',
    permission: 'plans.read',
    query: listQuerySchema,
    response: pageResponseSchema(planOutputSchema),
  },
  {
    method: 'post',
    path: '/api/v1/plans',
    summary: 'Create a plan',
    tag: 'plans',
    permission: 'plans.write',
    body: createPlanInputSchema,
    response: planOutputSchema,
    responseStatus: 201,
  },
  {
    method: 'get',
    path: '/api/v1/plans/{id}',
    summary: 'Get a plan',
    tag: 'plans',
    permission: 'plans.read',
    response: planOutputSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/plans/{id}',
    summary: 'Edit a plan; sold vouchers keep their terms, live subscriber sessions get the new rate by CoA',
    tag: 'plans',
    permission: 'plans.write',
    body: updatePlanInputSchema,
    response: planOutputSchema.extend({ rateChange: coaReportSchema.optional() }),
  },
  {
    method: 'delete',
    path: '/api/v1/plans/{id}',
    summary: 'Delete an unused plan (a used one is archived with isActive=false)',
    tag: 'plans',
    permission: 'plans.write',
    response: planOutputSchema,
  },
]);

/** Hotspot plans need the hotspot feature, PPPoE/static plans the pppoe feature (Tier 1 has one). */
async function assertKindFeature(dependencies: ApiDependencies, context: Context<AppEnv>, kind: string) {
  await requireFeature(dependencies, kind === 'hotspot' ? 'hotspot' : 'pppoe')(context, async () => {});
}

export function planRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { clock } = dependencies;

  routes.get('/', requirePermission('plans.read'), (context) => {
    const { limit, cursor, isActive, ...filter } = parseQuery(context, listQuerySchema);
    const shard = tenantShardOf(context, dependencies);
    const isActiveFilter = isActive === undefined ? undefined : isActive === 'true';
    return context.json(listPlans(shard, { ...filter, isActive: isActiveFilter }, { limit, cursor }));
  });

  routes.post('/', requirePermission('plans.write'), async (context) => {
    const input = await parseJsonBody(context, createPlanInputSchema);
    await assertKindFeature(dependencies, context, input.kind);
    const plan = createPlan(tenantShardOf(context, dependencies), input, clock.now());
    recordAudit(dependencies, context, { action: 'plan.create', target: plan.id, detail: input });
    return context.json(plan, 201);
  });

  routes.get('/:id', requirePermission('plans.read'), (context) =>
    context.json(toPlanOutput(getPlan(tenantShardOf(context, dependencies), context.req.param('id')))),
  );

  routes.patch('/:id', requirePermission('plans.write'), async (context) => {
    const input = await parseJsonBody(context, updatePlanInputSchema);
    const shard = tenantShardOf(context, dependencies);
    const planId = context.req.param('id');
    await assertKindFeature(dependencies, context, input.kind ?? getPlan(shard, planId).kind);
    const { plan, previous, isRateChanged } = updatePlan(shard, planId, input, clock.now());
    recordAudit(dependencies, context, {
      action: 'plan.update',
      target: plan.id,
      detail: { before: previous, input },
    });
    if (!isRateChanged || plan.kind === 'hotspot') return context.json(plan);
    const rateChange = await changeSubjectRate(
      dependencies.aaa,
      shard.tenantId,
      subscriberIdsOnPlan(shard, plan.id),
      plan.rateLimit,
    );
    return context.json({ ...plan, rateChange });
  });

  routes.delete('/:id', requirePermission('plans.write'), (context) => {
    const shard = tenantShardOf(context, dependencies);
    const plan = toPlanOutput(getPlan(shard, context.req.param('id')));
    deletePlan(shard, plan.id);
    recordAudit(dependencies, context, {
      action: 'plan.delete',
      target: plan.id,
      detail: { name: plan.name },
    });
    return context.json(plan);
  });

  return routes;
}
