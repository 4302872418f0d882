// Platform console Analytics page: the headline figures, the MRR chart (server-rendered SVG), the
// months, the cohort table, a CSV link and how each figure is computed.
import { formatKsh } from '@kiunga/schemas';
import { raw } from 'hono/html';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { PlatformAnalytics } from './core';

const percent = (rate: number) => `${(rate * 100).toFixed(2)} %`;

export function AnalyticsPage(props: {
  shell: ConsoleShell;
  analytics: PlatformAnalytics;
  months: number;
  chartSvg: string;
}) {
  const { analytics } = props;
  const figures: Array<[string, string]> = [
    ['MRR', formatKsh(analytics.mrrCents)],
    ['ARR', formatKsh(analytics.arrCents)],
    ['Active ISPs', String(analytics.activeIsps)],
    ['ARPU', formatKsh(analytics.arpuCents)],
    ['Logo churn (last month)', percent(analytics.churn.logoRate)],
    ['Revenue churn (last month)', percent(analytics.churn.revenueRate)],
    ['Trial conversion', percent(analytics.trialConversionRate)],
    [
      'In trial / Tier 1 / Tier 2',
      `${analytics.tiers.trial} / ${analytics.tiers.tier1} / ${analytics.tiers.tier2}`,
    ],
  ];
  const longest = Math.max(0, ...analytics.cohorts.map((cohort) => cohort.inGoodStanding.length));
  return (
    <Layout title="Analytics" shell={props.shell}>
      <h1>Analytics</h1>
      <div class="stats">
        {figures.map(([label, value]) => (
          <div class="stat" data-figure={label}>
            <b>{value}</b>
            {label}
          </div>
        ))}
      </div>
      <p>
        <a href={`/api/v1/platform/analytics?months=${props.months}&format=csv`}>
          Download the months as CSV
        </a>
      </p>
      <section class="card" data-chart>
        {raw(props.chartSvg)}
      </section>
      <h2>Months</h2>
      <div class="table-wrap">
        <table data-months>
          <thead>
            <tr>
              <th>Month</th>
              <th>MRR</th>
              <th>New ISPs</th>
              <th>Churned</th>
              <th>Logo churn</th>
              <th>Revenue churn</th>
              <th>Received</th>
            </tr>
          </thead>
          <tbody>
            {analytics.months.map((month) => (
              <tr>
                <td>{month.month}</td>
                <td>{formatKsh(month.mrrCents)}</td>
                <td>{month.newIsps}</td>
                <td>{month.churnedIsps}</td>
                <td>{percent(month.logoChurnRate)}</td>
                <td>{percent(month.revenueChurnRate)}</td>
                <td>{formatKsh(month.revenueCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Cohorts: ISPs in good standing, by month of sign-up</h2>
      <div class="table-wrap">
        <table data-cohorts>
          <thead>
            <tr>
              <th>Signed up</th>
              <th>ISPs</th>
              {Array.from({ length: longest }, (_, month) => (
                <th>{month === 0 ? 'Same month' : `+${month}`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {analytics.cohorts.map((cohort) => (
              <tr>
                <td>{cohort.cohort}</td>
                <td>{cohort.signedUp}</td>
                {cohort.inGoodStanding.map((count) => (
                  <td>{count}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details class="card">
        <summary>How these are computed</summary>
        <p>
          In good standing: paid up (active) or unpaid for at most the 7-day grace, on Tier 1 or Tier 2. MRR
          is the monthly platform fee (Ksh 500 Tier 1, Ksh 1,500 Tier 2) of every ISP in good standing; ARR is
          12 × MRR; ARPU is MRR ÷ active ISPs. Churned ISPs of a month were in good standing at its start and
          not at its end; logo churn divides them by those in good standing at the start, revenue churn
          divides the MRR lost (churn and downgrades) by the MRR at the start. Trial conversion: of the trials
          that ended in the window, the share that paid afterwards. Months are Nairobi calendar months; the
          full definitions are in docs/analytics.md.
        </p>
      </details>
    </Layout>
  );
}
