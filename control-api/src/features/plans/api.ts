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
import { recordAudit } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requireFeature } from '../../kernel/middleware/require-feature';
import { requirePermission } from '../../kernel/middleware/require-permission';
import { registerApiOperations } from '../../kernel/openapi';
import { pageQuerySchema } from '../../kernel/pagination';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { parseJsonBody, parseQuery } from '../../kernel/validation';
import { changeSubjectRate } from '../sessions/service';
import {
  createPlan,
  deletePlan,
  getPlan,
  listPlans,
  subscriberIdsOnPlan,
  toPlanOutput,
  updatePlan,
} from './service';

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

  routes.get('/', requirePermission('plans.read'), async (context) => {
    const { limit, cursor, isActive, ...filter } = parseQuery(context, listQuerySchema);
    const database = tenantDatabaseOf(context, dependencies);
    const isActiveFilter = isActive === undefined ? undefined : isActive === 'true';
    return context.json(
      await listPlans(database, { ...filter, isActive: isActiveFilter }, { limit, cursor }),
    );
  });

  routes.post('/', requirePermission('plans.write'), async (context) => {
    const input = await parseJsonBody(context, createPlanInputSchema);
    await assertKindFeature(dependencies, context, input.kind);
    const plan = await createPlan(tenantDatabaseOf(context, dependencies), input, clock.now());
    await recordAudit(dependencies, context, { action: 'plan.create', target: plan.id, detail: input });
    return context.json(plan, 201);
  });

  routes.get('/:id', requirePermission('plans.read'), async (context) =>
    context.json(
      toPlanOutput(await getPlan(tenantDatabaseOf(context, dependencies), context.req.param('id'))),
    ),
  );

  routes.patch('/:id', requirePermission('plans.write'), async (context) => {
    const input = await parseJsonBody(context, updatePlanInputSchema);
    const tenantId = tenantIdOf(context);
    const database = tenantDatabaseOf(context, dependencies);
    const planId = context.req.param('id');
    await assertKindFeature(dependencies, context, input.kind ?? (await getPlan(database, planId)).kind);
    const { plan, previous, isRateChanged } = await updatePlan(database, planId, input, clock.now());
    await recordAudit(dependencies, context, {
      action: 'plan.update',
      target: plan.id,
      detail: { before: previous, input },
    });
    if (!isRateChanged || plan.kind === 'hotspot') return context.json(plan);
    const rateChange = await changeSubjectRate(
      dependencies.aaa,
      tenantId,
      await subscriberIdsOnPlan(database, plan.id),
      plan.rateLimit,
    );
    return context.json({ ...plan, rateChange });
  });

  routes.delete('/:id', requirePermission('plans.write'), async (context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const plan = toPlanOutput(await getPlan(database, context.req.param('id')));
    await deletePlan(database, plan.id);
    await recordAudit(dependencies, context, {
      action: 'plan.delete',
      target: plan.id,
      detail: { name: plan.name },
    });
    return context.json(plan);
  });

  return routes;
}
