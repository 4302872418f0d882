// ISP console page /isp/referrals: the referral programme (GET/PUT /api/v1/settings/referrals) and this
// Nairobi month's rewards, granted and declined by reason (GET /api/v1/reports/referrals).
import { type Context, Hono } from 'hono';
import { CsrfField } from '../../console/components';
import { ISP_NAV } from '../../console/isp-nav';
import { type ConsoleShell, Layout } from '../../console/layout';
import {
  type AppFetch,
  callApi,
  can,
  formFields,
  optionalNumber,
  optionalText,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { nairobiMonthContaining } from '../shared/nairobi-time';
import type { ReferralSettings } from './core/index';
import type { ReferralReport } from './service';

const PAGE_PATH = '/isp/referrals';
/** Plans listed in the reward choice: an ISP sells a handful of hotspot packages. */
const PLAN_CHOICES_MAX = 200;

interface PlanChoice {
  id: string;
  name: string;
  kind: string;
}

export function ispReferralRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);

  routes.get('/referrals', async (context) => {
    const month = nairobiMonthContaining(dependencies.clock.now());
    const [settings, plans, report] = await Promise.all([
      callApi<ReferralSettings>(context, fetchApp, 'GET', '/api/v1/settings/referrals'),
      callApi<{ items: PlanChoice[] }>(context, fetchApp, 'GET', `/api/v1/plans?limit=${PLAN_CHOICES_MAX}`),
      can(context, 'reports.read')
        ? callApi<ReferralReport>(
            context,
            fetchApp,
            'GET',
            `/api/v1/reports/referrals?from=${month.startMs}&to=${month.endMs}`,
          )
        : Promise.resolve(null),
    ]);
    return renderHtml(
      context,
      <ReferralPage
        shell={shell(context)}
        settings={settings}
        plans={plans.items.filter((plan) => plan.kind === 'hotspot')}
        report={report}
        canWrite={can(context, 'settings.write')}
      />,
    );
  });

  routes.post('/referrals', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      await callApi(context, fetchApp, 'PUT', '/api/v1/settings/referrals', {
        enabled: fields.enabled === 'on',
        referrerRewardPlanId: optionalText(fields, 'referrerRewardPlanId') ?? null,
        newClientRewardPlanId: optionalText(fields, 'newClientRewardPlanId') ?? null,
        monthlyCapPerReferrer: optionalNumber(fields, 'monthlyCapPerReferrer'),
      });
      return redirectWithFlash(context, PAGE_PATH, 'ok', 'Referral programme saved.');
    }),
  );
  return routes;
}

function PlanSelect(props: { id: string; label: string; plans: PlanChoice[]; selected: string | null }) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        <option value="">None</option>
        {props.plans.map((plan) => (
          <option value={plan.id} selected={plan.id === props.selected}>
            {plan.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function ReferralPage(props: {
  shell: ConsoleShell;
  settings: ReferralSettings;
  plans: PlanChoice[];
  report: ReferralReport | null;
  canWrite: boolean;
}) {
  const { settings, report } = props;
  return (
    <Layout title="Referrals" shell={props.shell}>
      <h1>Referrals</h1>
      <section class="card" id="referral-settings">
        <p>
          Every client who buys or subscribes gets a code; a new phone number that pays with it earns the
          referrer a free voucher (sent by SMS on Tier 2).
        </p>
        <form method="post" action={PAGE_PATH}>
          <CsrfField token={props.shell.csrfToken} />
          <fieldset disabled={!props.canWrite}>
            <label>
              <input type="checkbox" name="enabled" checked={settings.enabled} /> Run the referral programme
            </label>
            <div class="row">
              <PlanSelect
                id="referrerRewardPlanId"
                label="Reward for the referrer"
                plans={props.plans}
                selected={settings.referrerRewardPlanId}
              />
              <PlanSelect
                id="newClientRewardPlanId"
                label="Reward for the new client (optional)"
                plans={props.plans}
                selected={settings.newClientRewardPlanId}
              />
              <div>
                <label for="monthlyCapPerReferrer">Rewards per referrer per month</label>
                <input
                  id="monthlyCapPerReferrer"
                  name="monthlyCapPerReferrer"
                  type="number"
                  min={1}
                  value={String(settings.monthlyCapPerReferrer)}
                />
              </div>
            </div>
            <button type="submit">Save</button>
          </fieldset>
        </form>
      </section>
      {report === null ? null : (
        <section class="card" id="referral-report">
          <h2>This month</h2>
          <p>
            Rewards granted: <b>{report.granted}</b>. Declined: <b>{report.declined}</b>
            {Object.entries(report.declinedByReason)
              .map(([reason, count]) => ` · ${reason.replaceAll('_', ' ')}: ${count}`)
              .join('')}
          </p>
        </section>
      )}
    </Layout>
  );
}
