// Account pages shared by the ISP console (staff, technicians) and the platform console
// (sub-admins): the list with create form and the one-time password.
import { CsrfField, Empty, Pager, PostButton, StatusBadge } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';

export interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  kind: string;
  roleId: string | null;
  status: string;
}

export interface RoleOption {
  id: string;
  name: string;
  permissions: string[];
}

const KIND_LABELS: Record<string, string> = {
  isp_staff: 'Staff',
  technician: 'Technician',
  platform_staff: 'Sub-admin',
};

export function AccountsPage(props: {
  shell: ConsoleShell;
  title: string;
  basePath: string;
  accounts: AccountRow[];
  roles: RoleOption[];
  kinds: string[];
  created: { email: string; temporaryPassword: string | null; isReset?: boolean } | null;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
}) {
  const roleNames = new Map(props.roles.map((role) => [role.id, role.name]));
  const { shell } = props;
  return (
    <Layout title={props.title} shell={shell}>
      <h1>{props.title}</h1>
      {props.created ? (
        <div class="card" data-created-account={props.created.email}>
          <p>
            {props.created.isReset ? 'Password of ' : 'Account '}
            <b>{props.created.email}</b>{' '}
            {props.created.isReset ? 'reset; its sessions are signed out.' : 'created.'}
          </p>
          {props.created.temporaryPassword ? (
            <>
              <p>Temporary password, shown only now:</p>
              <p class="secret mono" data-temporary-password>
                {props.created.temporaryPassword}
              </p>
            </>
          ) : null}
        </div>
      ) : null}
      {props.accounts.length === 0 ? (
        <Empty>No accounts yet. Create one below.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Kind</th>
                <th>Role</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.accounts.map((account) => (
                <tr data-account={account.email}>
                  <td>{account.email}</td>
                  <td>{account.displayName || '—'}</td>
                  <td>{KIND_LABELS[account.kind] ?? account.kind}</td>
                  <td>
                    <form method="post" action={`${props.basePath}/${account.id}/role`} class="inline-form">
                      <CsrfField token={shell.csrfToken} />
                      <select name="roleId" aria-label={`Role of ${account.email}`}>
                        {account.roleId && !roleNames.has(account.roleId) ? (
                          <option value="">—</option>
                        ) : null}
                        {props.roles.map((role) => (
                          <option value={role.id} selected={role.id === account.roleId}>
                            {role.name}
                          </option>
                        ))}
                      </select>
                      <button type="submit" class="secondary">
                        Set role
                      </button>
                    </form>
                  </td>
                  <td>
                    <StatusBadge status={account.status} />
                  </td>
                  <td>
                    <PostButton
                      action={`${props.basePath}/${account.id}/status`}
                      csrfToken={shell.csrfToken}
                      fields={{ status: account.status === 'active' ? 'disabled' : 'active' }}
                      label={account.status === 'active' ? 'Disable' : 'Enable'}
                      variant={account.status === 'active' ? 'danger' : 'secondary'}
                    />{' '}
                    <PostButton
                      action={`${props.basePath}/${account.id}/reset-password`}
                      csrfToken={shell.csrfToken}
                      label="Reset password"
                      variant="secondary"
                      confirm={`Give ${account.email} a new temporary password? Their sessions are signed out.`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path={props.basePath} query={props.query} nextCursor={props.nextCursor} />
      <section class="card">
        <h2>New account</h2>
        <form method="post" action={props.basePath}>
          <CsrfField token={shell.csrfToken} />
          <div class="row">
            <div>
              <label for="email">Email</label>
              <input id="email" name="email" type="email" required />
            </div>
            <div>
              <label for="displayName">Name</label>
              <input id="displayName" name="displayName" maxlength={120} />
            </div>
            {props.kinds.length > 1 ? (
              <div>
                <label for="kind">Kind</label>
                <select id="kind" name="kind">
                  {props.kinds.map((kind) => (
                    <option value={kind}>{KIND_LABELS[kind] ?? kind}</option>
                  ))}
                </select>
              </div>
            ) : (
              <input type="hidden" name="kind" value={props.kinds[0] ?? ''} />
            )}
            <div>
              <label for="roleId">Role</label>
              <select id="roleId" name="roleId" required>
                {props.roles.map((role) => (
                  <option value={role.id} title={role.permissions.join(', ')}>
                    {role.name}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="password">Password (leave empty for a temporary one)</label>
              <input id="password" name="password" minlength={8} autocomplete="new-password" />
            </div>
          </div>
          <button type="submit">Create account</button>
        </form>
        <details>
          <summary class="muted">What each role may do</summary>
          <ul class="muted">
            {props.roles.map((role) => (
              <li>
                <b>{role.name}</b>: {role.permissions.join(', ')}
              </li>
            ))}
          </ul>
        </details>
      </section>
    </Layout>
  );
}
