// /api/v1/billing/settings (cycle rule, due days, dunning steps, invoice prefix, whole shillings) and
// /api/v1/billing/subscribers/:id (one subscriber's cycle override and service start).
import { z } from 'zod';
import type { ApiDependencies } from '../kernel/dependencies';
import { routeGroup } from '../kernel/route';
import { tenantDatabaseOf } from '../kernel/tenant-access';
import { changeSubscriberTerms, updateBillingSettings } from './service';
import {
  billingSettingsSchema,
  cycleRuleSchema,
  readBillingSettings,
  updateBillingSettingsSchema,
} from './settings';
import { readSubscriberTerms } from './terms-store';

const termsSchema = z.object({
  subscriberId: z.string(),
  /** Null: the ISP's rule. */
  cycle: cycleRuleSchema.nullable(),
  /** When service started (the first cycle is prorated from this day); null = when created. */
  serviceStartAt: z.number().int().nullable(),
});
const updateTermsSchema = termsSchema.omit({ subscriberId: true }).partial();

const billing = routeGroup({ basePath: '/api/v1/billing', tag: 'billing' });
const subscriberParams = z.object({ id: z.string() });

billing.declare({
  method: 'get',
  path: '/settings',
  summary: 'Billing settings of the ISP',
  permission: 'billing.read',
  feature: 'pppoe',
  response: billingSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readBillingSettings(tenantDatabaseOf(context, dependencies))),
});

billing.declare({
  method: 'patch',
  path: '/settings',
  summary:
    'Change the cycle rule, due days, dunning steps, invoice prefix or whole-shilling invoices (on by default: M-Pesa moves no cents)',
  permission: 'billing.write',
  feature: 'pppoe',
  body: updateBillingSettingsSchema,
  response: billingSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(await updateBillingSettings(dependencies, context, body)),
});

billing.declare({
  method: 'get',
  path: '/subscribers/:id',
  summary: "A subscriber's billing terms",
  permission: 'billing.read',
  feature: 'pppoe',
  params: subscriberParams,
  response: termsSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await readSubscriberTerms(tenantDatabaseOf(context, dependencies), params.id)),
});

billing.declare({
  method: 'patch',
  path: '/subscribers/:id',
  summary: "Override a subscriber's cycle (length, anchor day or signup day) or service start",
  permission: 'billing.write',
  feature: 'pppoe',
  params: subscriberParams,
  body: updateTermsSchema,
  response: termsSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(await changeSubscriberTerms(dependencies, context, params.id, body)),
});

export const billingSettingsRoutes = (dependencies: ApiDependencies) => billing.mount(dependencies);
