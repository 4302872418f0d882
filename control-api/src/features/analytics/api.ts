// GET /api/v1/platform/analytics?months=&format=json|csv: MRR, ARR, active ISPs, ARPU, churn, trial
// conversion, tiers, months and cohorts for the platform operator (definitions: docs/analytics.md).
import { z } from 'zod';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { analyticsMonthsCsv, analyticsQuerySchema } from './core';
import { platformAnalytics } from './service';

const analytics = routeGroup({ basePath: '/api/v1/platform/analytics', tag: 'platform' });

const monthSchema = z.object({
  month: z.string(),
  mrrCents: z.number().int(),
  newIsps: z.number().int(),
  churnedIsps: z.number().int(),
  logoChurnRate: z.number(),
  revenueChurnRate: z.number(),
  revenueCents: z.number().int(),
});

const analyticsOutputSchema = z.object({
  mrrCents: z.number().int(),
  arrCents: z.number().int(),
  activeIsps: z.number().int(),
  arpuCents: z.number().int(),
  churn: z.object({ logoRate: z.number(), revenueRate: z.number() }),
  trialConversionRate: z.number(),
  tiers: z.object({ trial: z.number().int(), tier1: z.number().int(), tier2: z.number().int() }),
  months: z.array(monthSchema),
  cohorts: z.array(
    z.object({ cohort: z.string(), signedUp: z.number().int(), inGoodStanding: z.array(z.number()) }),
  ),
});

analytics.declare({
  method: 'get',
  path: '/',
  summary:
    'Platform analytics: MRR, ARR, active ISPs, ARPU, churn, trial conversion, tiers, months, cohorts (format=csv: the months)',
  permission: 'platform_analytics.read',
  query: analyticsQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') }),
  response: analyticsOutputSchema,
  handler: async ({ query, dependencies, respond }, context) => {
    const result = await platformAnalytics(dependencies, query.months);
    if (query.format === 'json') return respond(result);
    return context.body(analyticsMonthsCsv(result), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="platform-analytics.csv"',
    });
  },
});

export const platformAnalyticsRoutes = (dependencies: ApiDependencies) => analytics.mount(dependencies);
