// ISP console: subscribers list/search, create, and one subscriber's edit/plan/suspend page.
import type { PlanOutput, SubscriberOutput } from '@kiunga/schemas';
import { CsrfField, formatDateTime, Pager, PostButton, StatusBadge } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import {
  type CreatedSubscriber,
  NewSubscriberSection,
  SubscriberCreated,
  SubscriberSearch,
  SubscriberTable,
} from '../../console/subscriber-parts';
import type { UsageChartData } from '../usage/service';
import { UsageChart } from '../usage/views';

export function SubscribersPage(props: {
  shell: ConsoleShell;
  subscribers: SubscriberOutput[];
  planNames: Map<string, string>;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  canWrite: boolean;
}) {
  const isSearch = Boolean(props.query.q || props.query.status);
  return (
    <Layout title="Subscribers" shell={props.shell}>
      <h1>Subscribers</h1>
      {props.canWrite ? (
        <p>
          <a class="button" href="/isp/subscribers/new">
            New subscriber
          </a>
        </p>
      ) : null}
      <SubscriberSearch action="/isp/subscribers" q={props.query.q ?? ''} status={props.query.status ?? ''} />
      <SubscriberTable
        subscribers={props.subscribers}
        planNames={props.planNames}
        linkBase="/isp/subscribers"
        emptyText={isSearch ? 'No subscriber matches this search.' : 'No PPPoE or static subscribers yet.'}
      />
      <Pager path="/isp/subscribers" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}

export function SubscriberNewPage(props: {
  shell: ConsoleShell;
  plans: PlanOutput[];
  created?: CreatedSubscriber;
  draft?: Record<string, string> | null;
}) {
  return (
    <Layout title="New subscriber" shell={props.shell}>
      <p>
        <a href="/isp/subscribers">← Subscribers</a>
      </p>
      {props.created ? <SubscriberCreated {...props.created} /> : null}
      <NewSubscriberSection
        action="/isp/subscribers"
        csrfToken={props.shell.csrfToken}
        plans={props.plans}
        draft={props.draft}
      />
    </Layout>
  );
}

export function SubscriberDetailPage(props: {
  shell: ConsoleShell;
  subscriber: SubscriberOutput;
  plans: PlanOutput[];
  planName: string;
  canWrite: boolean;
  /** Shown to those who may read billing on a plan with PPPoE billing. */
  canReadBilling?: boolean;
  /** The last 30 days of usage; absent without sessions.read. */
  usageChart?: UsageChartData | undefined;
}) {
  const { subscriber, shell } = props;
  const base = `/isp/subscribers/${subscriber.id}`;
  return (
    <Layout title={subscriber.username} shell={shell}>
      <p>
        <a href="/isp/subscribers">← Subscribers</a>
      </p>
      <h1>
        {subscriber.username} <StatusBadge status={subscriber.status} />
      </h1>
      <div class="card">
        <p>
          {props.planName} ({subscriber.kind}) · account <span class="mono">{subscriber.accountNumber}</span>{' '}
          · service until {formatDateTime(subscriber.expiresAt)}
        </p>
        {props.canReadBilling ? (
          <p>
            <a href={`/isp/billing/subscribers/${subscriber.id}`}>Balance, invoices and payments →</a>
          </p>
        ) : null}
        {props.canWrite ? (
          subscriber.status === 'suspended' ? (
            <PostButton action={`${base}/reactivate`} csrfToken={shell.csrfToken} label="Reactivate" />
          ) : (
            <PostButton
              action={`${base}/suspend`}
              csrfToken={shell.csrfToken}
              label="Suspend"
              variant="danger"
              confirm={`Suspend ${subscriber.username}? Live sessions are disconnected.`}
            />
          )
        ) : null}
      </div>
      {props.usageChart ? <UsageChart {...props.usageChart} /> : null}
      {props.canWrite ? (
        <>
          <section class="card">
            <h2>Change plan</h2>
            <form method="post" action={`${base}/plan`}>
              <CsrfField token={shell.csrfToken} />
              <select name="planId" aria-label="New plan">
                {props.plans.map((plan) => (
                  <option value={plan.id} selected={plan.id === subscriber.planId}>
                    {plan.name} ({plan.kind})
                  </option>
                ))}
              </select>
              <button type="submit">Change plan</button>
            </form>
          </section>
          <section class="card">
            <h2>Details</h2>
            <form method="post" action={base}>
              <CsrfField token={shell.csrfToken} />
              <div class="row">
                <div>
                  <label for="fullName">Full name</label>
                  <input id="fullName" name="fullName" value={subscriber.fullName} maxlength={120} />
                </div>
                <div>
                  <label for="phone">Phone</label>
                  <input id="phone" name="phone" type="tel" value={subscriber.phone ?? ''} />
                </div>
                <div>
                  <label for="email">Email (invoices go there)</label>
                  <input
                    id="email"
                    name="email"
                    type="email"
                    maxlength={254}
                    value={subscriber.email ?? ''}
                  />
                </div>
                <div>
                  <label for="staticIp">Static IP</label>
                  <input id="staticIp" name="staticIp" value={subscriber.staticIp ?? ''} />
                </div>
                <div>
                  <label for="macAddress">MAC address</label>
                  <input id="macAddress" name="macAddress" value={subscriber.macAddress ?? ''} />
                </div>
                <div>
                  <label for="cpeSerialNumber">Router serial number (TR-069)</label>
                  <input
                    id="cpeSerialNumber"
                    name="cpeSerialNumber"
                    value={subscriber.cpeSerialNumber ?? ''}
                  />
                </div>
                <div>
                  <label for="password">New password (leave empty to keep)</label>
                  <input id="password" name="password" minlength={8} autocomplete="new-password" />
                </div>
              </div>
              <button type="submit">Save</button>
            </form>
          </section>
          <section class="card">
            <h2>Delete</h2>
            <p class="muted">Removes the account for good; live sessions are disconnected first.</p>
            <PostButton
              action={`${base}/delete`}
              csrfToken={shell.csrfToken}
              label="Delete subscriber"
              variant="danger"
              confirm={`Delete ${subscriber.username}? This cannot be undone.`}
            />
          </section>
        </>
      ) : null}
    </Layout>
  );
}
