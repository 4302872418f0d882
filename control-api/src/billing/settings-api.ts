// /api/v1/billing/settings (cycle rule, due days, dunning steps, invoice prefix, whole shillings) and
// /api/v1/billing/subscribers/:id (one subscriber's cycle override and service start).
import { Hono } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../kernel/audit';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { requireFeature } from '../kernel/middleware/require-feature';
import { requirePermission } from '../kernel/middleware/require-permission';
import { registerApiOperations } from '../kernel/openapi';
import { tenantDatabaseOf } from '../kernel/tenant-access';
import { parseJsonBody } from '../kernel/validation';
import {
  billingSettingsSchema,
  cycleRuleSchema,
  readBillingSettings,
  updateBillingSettingsSchema,
  writeBillingSettings,
} from './settings';
import { readSubscriberTerms, updateSubscriberTerms } from './terms-store';

const termsSchema = z.object({
  subscriberId: z.string(),
  /** Null: the ISP's rule. */
  cycle: cycleRuleSchema.nullable(),
  /** When service started (the first cycle is prorated from this day); null = when created. */
  serviceStartAt: z.number().int().nullable(),
});
const updateTermsSchema = termsSchema.omit({ subscriberId: true }).partial();

registerApiOperations([
  {
    method: 'get',
    path: '/api/v1/billing/settings',
    summary: 'Billing settings of the ISP',
    tag: 'billing',
    permission: 'billing.read',
    response: billingSettingsSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/billing/settings',
    summary:
      'Change the cycle rule, due days, dunning steps, invoice prefix or whole-shilling invoices (on by default: M-Pesa moves no cents)',
    tag: 'billing',
    permission: 'billing.write',
    body: updateBillingSettingsSchema,
    response: billingSettingsSchema,
  },
  {
    method: 'get',
    path: '/api/v1/billing/subscribers/{id}',
    summary: "A subscriber's billing terms",
    tag: 'billing',
    permission: 'billing.read',
    response: termsSchema,
  },
  {
    method: 'patch',
    path: '/api/v1/billing/subscribers/{id}',
    summary: "Override a subscriber's cycle (length, anchor day or signup day) or service start",
    tag: 'billing',
    permission: 'billing.write',
    body: updateTermsSchema,
    response: termsSchema,
  },
]);

export function billingSettingsRoutes(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.use('*', requireFeature(dependencies, 'pppoe'));

  routes.get('/settings', requirePermission('billing.read'), async (context) =>
    context.json(await readBillingSettings(tenantDatabaseOf(context, dependencies))),
  );

  routes.patch('/settings', requirePermission('billing.write'), async (context) => {
    const input = await parseJsonBody(context, updateBillingSettingsSchema);
    const database = tenantDatabaseOf(context, dependencies);
    // One transaction: the settings written back are the settings read.
    const settings = await database.transaction(async (transaction) => {
      const next = { ...(await readBillingSettings(transaction)), ...input };
      await writeBillingSettings(transaction, next, dependencies.clock.now());
      return next;
    });
    await recordAudit(dependencies, context, { action: 'billing.settings.update', detail: input });
    return context.json(settings);
  });

  routes.get('/subscribers/:id', requirePermission('billing.read'), async (context) =>
    context.json(await readSubscriberTerms(tenantDatabaseOf(context, dependencies), context.req.param('id'))),
  );

  routes.patch('/subscribers/:id', requirePermission('billing.write'), async (context) => {
    const input = await parseJsonBody(context, updateTermsSchema);
    const terms = await updateSubscriberTerms(
      tenantDatabaseOf(context, dependencies),
      context.req.param('id'),
      input,
      dependencies.clock.now(),
    );
    await recordAudit(dependencies, context, {
      action: 'billing.subscriber_terms.update',
      target: terms.subscriberId,
      detail: input,
    });
    return context.json(terms);
  });
  return routes;
}
