// /api/v1/plans: hotspot packages and PPPoE/static service plans, with the edit rules of sold terms.
import {
  createPlanInputSchema,
  listPlansQuerySchema,
  pageResponseSchema,
  planOutputSchema,
  updatePlanInputSchema,
} from '@kiunga/schemas';
import type { Context } from 'hono';
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { requireFeature } from '../../kernel/middleware/require-feature';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { createPlan, deletePlan, getPlan, listPlans, toPlanOutput, updatePlan } from './service';

const listQuerySchema = listPlansQuerySchema.extend(pageQuerySchema.shape);
const coaReportSchema = z.object({ sessions: z.number().int(), acknowledged: z.number().int() });

/** Hotspot plans need the hotspot feature, PPPoE/static plans the pppoe feature (Tier 1 has one). */
async function assertKindFeature(dependencies: ApiDependencies, context: Context<AppEnv>, kind: string) {
  await requireFeature(dependencies, kind === 'hotspot' ? 'hotspot' : 'pppoe')(context, async () => {});
}

const plans = routeGroup({ basePath: '/api/v1/plans', tag: 'plans' });

plans.declare({
  method: 'get',
  path: '/',
  summary: 'List plans (filter by kind, isActive, name)',
  permission: 'plans.read',
  query: listQuerySchema,
  response: pageResponseSchema(planOutputSchema),
  handler: async ({ query, dependencies }, context) => {
    const { limit, cursor, isActive, ...filter } = query;
    const isActiveFilter = isActive === undefined ? undefined : isActive === 'true';
    return context.json(
      await listPlans(
        tenantDatabaseOf(context, dependencies),
        { ...filter, isActive: isActiveFilter },
        { limit, cursor },
      ),
    );
  },
});

plans.declare({
  method: 'post',
  path: '/',
  summary: 'Create a plan',
  permission: 'plans.write',
  body: createPlanInputSchema,
  response: planOutputSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) => {
    await assertKindFeature(dependencies, context, body.kind);
    return respond(
      await createPlan(
        tenantDatabaseOf(context, dependencies),
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    );
  },
});

plans.declare({
  method: 'get',
  path: '/:id',
  summary: 'Get a plan',
  permission: 'plans.read',
  params: idParamsSchema,
  response: planOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(toPlanOutput(await getPlan(tenantDatabaseOf(context, dependencies), params.id))),
});

plans.declare({
  method: 'patch',
  path: '/:id',
  summary: 'Edit a plan; sold vouchers keep their terms, live subscriber sessions get the new rate by CoA',
  permission: 'plans.write',
  params: idParamsSchema,
  body: updatePlanInputSchema,
  response: planOutputSchema.extend({ rateChange: coaReportSchema.optional() }),
  handler: async ({ params, body, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    await assertKindFeature(dependencies, context, body.kind ?? (await getPlan(database, params.id)).kind);
    return respond(
      await updatePlan(database, params.id, body, dependencies.clock.now(), {
        aaa: dependencies.aaa,
        tenantId: tenantIdOf(context),
        audit: auditorOf(dependencies, context),
      }),
    );
  },
});

plans.declare({
  method: 'delete',
  path: '/:id',
  summary: 'Delete an unused plan (a used one is archived with isActive=false)',
  permission: 'plans.write',
  params: idParamsSchema,
  response: planOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await deletePlan(tenantDatabaseOf(context, dependencies), params.id, auditorOf(dependencies, context)),
    ),
});

export const planRoutes = (dependencies: ApiDependencies) => plans.mount(dependencies);
