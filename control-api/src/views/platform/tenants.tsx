// Platform console: ISPs (tenants) with status and key figures, and one ISP's detail and lifecycle actions.
import { Empty, formatDateTime, Pager, PostButton, StatusBadge } from '../components';
import { type ConsoleShell, Layout } from '../layout';

export interface TenantFigures {
  nas: number;
  plans: number;
  vouchers: number;
  subscribers: number;
  openSessions: number;
}

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
  status: string;
  tier: string;
  featureChoice: string | null;
  trialEndsAt: number | null;
  createdAt: number;
  owner: { id: string; email: string } | null;
  figures: TenantFigures;
}

export function TenantsPage(props: {
  shell: ConsoleShell;
  tenants: TenantSummary[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
}) {
  return (
    <Layout title="ISPs" shell={props.shell}>
      <h1>ISPs</h1>
      <div class="toolbar">
        <form method="get" action="/platform">
          <select name="status" aria-label="Status">
            <option value="">Any status</option>
            {['trial', 'active', 'suspended', 'archived'].map((status) => (
              <option value={status} selected={props.query.status === status}>
                {status}
              </option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </form>
      </div>
      {props.tenants.length === 0 ? (
        <Empty>No ISP {props.query.status ? `is ${props.query.status}` : 'yet'}.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>ISP</th>
                <th>Status</th>
                <th>Tier</th>
                <th>Online</th>
                <th>Subscribers</th>
                <th>Vouchers</th>
                <th>Routers</th>
              </tr>
            </thead>
            <tbody>
              {props.tenants.map((tenant) => (
                <tr data-tenant={tenant.slug}>
                  <td>
                    <a href={`/platform/tenants/${tenant.id}`}>{tenant.name}</a>
                  </td>
                  <td>
                    <StatusBadge status={tenant.status} />
                  </td>
                  <td>{tenant.tier}</td>
                  <td>{tenant.figures.openSessions}</td>
                  <td>{tenant.figures.subscribers}</td>
                  <td>{tenant.figures.vouchers}</td>
                  <td>{tenant.figures.nas}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path="/platform" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}

export function TenantDetailPage(props: { shell: ConsoleShell; tenant: TenantSummary; canWrite: boolean }) {
  const { tenant, shell } = props;
  const base = `/platform/tenants/${tenant.id}`;
  const figures: Array<[string, number]> = [
    ['Online now', tenant.figures.openSessions],
    ['Subscribers', tenant.figures.subscribers],
    ['Vouchers', tenant.figures.vouchers],
    ['Plans', tenant.figures.plans],
    ['Routers', tenant.figures.nas],
  ];
  return (
    <Layout title={tenant.name} shell={shell}>
      <p>
        <a href="/platform">← ISPs</a>
      </p>
      <h1>
        {tenant.name} <StatusBadge status={tenant.status} />
      </h1>
      <div class="stats">
        {figures.map(([label, value]) => (
          <div class="stat">
            <b>{value}</b>
            {label}
          </div>
        ))}
      </div>
      <div class="card">
        <p>
          Slug <span class="mono">{tenant.slug}</span> · tier {tenant.tier}
          {tenant.featureChoice ? ` (${tenant.featureChoice})` : ''} · since{' '}
          {formatDateTime(tenant.createdAt)}
          {tenant.trialEndsAt ? ` · trial ends ${formatDateTime(tenant.trialEndsAt)}` : ''}
        </p>
        <p>Owner: {tenant.owner?.email ?? '—'}</p>
        {props.canWrite && tenant.status !== 'archived' ? (
          <p>
            {tenant.status === 'suspended' ? (
              <PostButton action={`${base}/reactivate`} csrfToken={shell.csrfToken} label="Reactivate" />
            ) : (
              <PostButton
                action={`${base}/suspend`}
                csrfToken={shell.csrfToken}
                label="Suspend"
                variant="danger"
                confirm={`Suspend ${tenant.name}? Its staff can no longer change anything; RADIUS service goes on.`}
              />
            )}{' '}
            <PostButton
              action={`${base}/archive`}
              csrfToken={shell.csrfToken}
              label="Archive"
              variant="secondary"
              confirm={`Archive ${tenant.name}? Its data is moved away and its accounts stop working. This cannot be undone here.`}
            />
          </p>
        ) : null}
      </div>
    </Layout>
  );
}
