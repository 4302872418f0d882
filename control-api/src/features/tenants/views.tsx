// Platform console: ISPs (tenants) with status and key figures, and one ISP's detail and lifecycle actions.
import { CsrfField, formatDateTime, PostButton, StatusBadge } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { ListPage } from '../../console/list-page';

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
  canWrite: boolean;
  draft: Record<string, string> | null;
  created: { tenant: TenantSummary; ownerTemporaryPassword: string | null } | null;
}) {
  return (
    <ListPage
      title="ISPs"
      shell={props.shell}
      intro={props.created ? <TenantCreated {...props.created} /> : null}
      filters={
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
      }
      empty={`No ISP ${props.query.status ? `is ${props.query.status}` : 'yet'}.`}
      rows={props.tenants}
      rowAttributes={(tenant) => ({ 'data-tenant': tenant.slug })}
      columns={[
        { header: 'ISP', cell: (tenant) => <a href={`/platform/tenants/${tenant.id}`}>{tenant.name}</a> },
        { header: 'Status', cell: (tenant) => <StatusBadge status={tenant.status} /> },
        { header: 'Tier', cell: (tenant) => tenant.tier },
        { header: 'Online', cell: (tenant) => tenant.figures.openSessions },
        { header: 'Subscribers', cell: (tenant) => tenant.figures.subscribers },
        { header: 'Vouchers', cell: (tenant) => tenant.figures.vouchers },
        { header: 'Routers', cell: (tenant) => tenant.figures.nas },
      ]}
      pager={{ path: '/platform', query: props.query, nextCursor: props.nextCursor }}
    >
      {' '}
      {props.canWrite ? <TenantCreateForm csrfToken={props.shell.csrfToken} draft={props.draft} /> : null}
    </ListPage>
  );
}

function TenantCreated(props: { tenant: TenantSummary; ownerTemporaryPassword: string | null }) {
  return (
    <div class="card" data-created-tenant={props.tenant.slug}>
      <p>
        ISP <a href={`/platform/tenants/${props.tenant.id}`}>{props.tenant.name}</a> created; its owner signs
        in as <b>{props.tenant.owner?.email}</b>.
      </p>
      {props.ownerTemporaryPassword ? (
        <>
          <p>Owner's temporary password, shown only now:</p>
          <p class="secret mono" data-temporary-password>
            {props.ownerTemporaryPassword}
          </p>
        </>
      ) : null}
    </div>
  );
}

function TenantCreateForm(props: { csrfToken: string; draft: Record<string, string> | null }) {
  const draft = props.draft;
  const tier = draft?.tier ?? 'tier2';
  return (
    <section class="card">
      <h2>New ISP</h2>
      <form method="post" action="/platform/tenants">
        <CsrfField token={props.csrfToken} />
        <div class="row">
          <div>
            <label for="tenantName">ISP name</label>
            <input
              id="tenantName"
              name="name"
              required
              minlength={2}
              maxlength={120}
              value={draft?.name ?? ''}
            />
          </div>
          <div>
            <label for="slug">Short name (portal address: 3-40 of a-z, 0-9, -)</label>
            <input id="slug" name="slug" required maxlength={40} value={draft?.slug ?? ''} />
          </div>
          <div>
            <label for="tier">Tier</label>
            <select id="tier" name="tier">
              <option value="tier2" selected={tier === 'tier2'}>
                Tier 2: everything
              </option>
              <option value="tier1" selected={tier === 'tier1'}>
                Tier 1: one service family
              </option>
            </select>
          </div>
          <div>
            <label for="featureChoice">Tier 1 service family</label>
            <select id="featureChoice" name="featureChoice">
              <option value="">— (Tier 2)</option>
              {['hotspot', 'pppoe'].map((choice) => (
                <option value={choice} selected={draft?.featureChoice === choice}>
                  {choice === 'hotspot' ? 'Hotspot' : 'PPPoE / static'}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="contactPhone">Contact phone (optional)</label>
            <input id="contactPhone" name="contactPhone" type="tel" value={draft?.contactPhone ?? ''} />
          </div>
          <div>
            <label for="ownerEmail">Owner's email</label>
            <input id="ownerEmail" name="ownerEmail" type="email" required value={draft?.ownerEmail ?? ''} />
          </div>
          <div>
            <label for="ownerDisplayName">Owner's name (optional)</label>
            <input
              id="ownerDisplayName"
              name="ownerDisplayName"
              maxlength={120}
              value={draft?.ownerDisplayName ?? ''}
            />
          </div>
          <div>
            <label for="ownerPassword">Owner's password (leave empty for a temporary one)</label>
            <input id="ownerPassword" name="ownerPassword" minlength={8} autocomplete="new-password" />
          </div>
        </div>
        <label>
          <input type="checkbox" name="startTrial" value="true" checked={draft?.startTrial === 'true'} />{' '}
          Start with the 24-hour free trial
        </label>
        <button type="submit">Create ISP</button>
      </form>
    </section>
  );
}

export function TenantDetailPage(props: {
  shell: ConsoleShell;
  tenant: TenantSummary;
  canWrite: boolean;
  ownerReset?: string | null;
}) {
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
        {props.ownerReset ? (
          <div data-owner-reset>
            <p>New temporary password of the owner, shown only now:</p>
            <p class="secret mono" data-temporary-password>
              {props.ownerReset}
            </p>
          </div>
        ) : null}
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
            {tenant.owner ? (
              <>
                <PostButton
                  action={`${base}/owner/reset-password`}
                  csrfToken={shell.csrfToken}
                  label="Reset owner's password"
                  variant="secondary"
                  confirm={`Give ${tenant.owner.email} a new temporary password? Their sessions are signed out.`}
                />{' '}
              </>
            ) : null}
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
