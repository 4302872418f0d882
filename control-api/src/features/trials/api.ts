// PPPoE trials (issue 13): POST/GET /api/v1/subscribers/<id>/trial {days} and GET/PUT
// /api/v1/settings/trials {endAction: bill | expire}.
import { z } from 'zod';
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf } from '../../kernel/tenant-access';
import {
  readTrialSettings,
  saveTrialSettings,
  startTrial,
  startTrialSchema,
  trialView,
  trialViewSchema,
} from './service';
import { trialSettingsSchema } from './store';

const subscriberTrials = routeGroup({ basePath: '/api/v1/subscribers', tag: 'subscribers' });
const subscriberParams = z.object({ id: z.string().min(1).max(64) });

subscriberTrials.declare({
  method: 'post',
  path: '/:id/trial',
  summary: 'Put a subscriber that was never invoiced on trial for N days: no invoice until it ends',
  permission: 'subscribers.write',
  feature: 'pppoe',
  params: subscriberParams,
  body: startTrialSchema,
  response: trialViewSchema,
  responseStatus: 201,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await startTrial(
        tenantDatabaseOf(context, dependencies),
        params.id,
        body.days,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

subscriberTrials.declare({
  method: 'get',
  path: '/:id/trial',
  summary: "A subscriber's trial: when it ends, whether it still runs, and what happens then",
  permission: 'subscribers.read',
  feature: 'pppoe',
  params: subscriberParams,
  response: trialViewSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await trialView(tenantDatabaseOf(context, dependencies), params.id, dependencies.clock.now())),
});

const trialSettings = routeGroup({ basePath: '/api/v1/settings/trials', tag: 'settings' });

trialSettings.declare({
  method: 'get',
  path: '/',
  summary: 'What happens when a PPPoE trial ends (bill by default)',
  permission: 'signed-in',
  response: trialSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readTrialSettings(tenantDatabaseOf(context, dependencies))),
});

trialSettings.declare({
  method: 'put',
  path: '/',
  summary: 'At the end of a PPPoE trial: bill from then on (bill) or end the service (expire)',
  permission: 'settings.write',
  feature: 'pppoe',
  body: trialSettingsSchema,
  response: trialSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await saveTrialSettings(
        tenantDatabaseOf(context, dependencies),
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

export const subscriberTrialRoutes = (dependencies: ApiDependencies) => subscriberTrials.mount(dependencies);
export const trialSettingsRoutes = (dependencies: ApiDependencies) => trialSettings.mount(dependencies);
