// GET/PUT /api/v1/settings/referrals: the ISP's referral programme (issue 13); GET /api/v1/reports/referrals:
// the rewards granted and declined (by reason) in a date range.
import { auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf } from '../../kernel/tenant-access';
import { timeRangeSchema } from '../../kernel/time-range';
import { referralSettingsSchema } from './core/index';
import { readReferralSettings, referralReport, referralReportSchema, saveReferralSettings } from './service';

const referralSettings = routeGroup({ basePath: '/api/v1/settings/referrals', tag: 'settings' });

referralSettings.declare({
  method: 'get',
  path: '/',
  summary: 'Referral programme of the ISP (off by default)',
  permission: 'signed-in',
  response: referralSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readReferralSettings(tenantDatabaseOf(context, dependencies))),
});

referralSettings.declare({
  method: 'put',
  path: '/',
  summary:
    'Set the referral programme: on/off, the hotspot plan of the referrer’s reward voucher, an optional one for the new client, and the monthly cap per referrer',
  permission: 'settings.write',
  body: referralSettingsSchema,
  response: referralSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await saveReferralSettings(
        tenantDatabaseOf(context, dependencies),
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

const referralReports = routeGroup({ basePath: '/api/v1/reports/referrals', tag: 'reports' });

referralReports.declare({
  method: 'get',
  path: '/',
  summary: 'Referral rewards granted, and declined by reason, in [from, to)',
  permission: 'reports.read',
  query: timeRangeSchema,
  response: referralReportSchema,
  handler: async ({ query, dependencies, respond }, context) =>
    respond(await referralReport(tenantDatabaseOf(context, dependencies), query)),
});

export const referralSettingsRoutes = (dependencies: ApiDependencies) => referralSettings.mount(dependencies);
export const referralReportRoutes = (dependencies: ApiDependencies) => referralReports.mount(dependencies);
