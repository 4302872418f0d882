// Role pages shared by the ISP console (/isp/roles) and the platform console (/platform/roles):
// the list with a create form, and one custom role's edit form. Built-in roles are read-only.
import { CsrfField, Empty, PermissionCheckboxes, PostButton } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';

export interface RoleView {
  id: string;
  name: string;
  permissions: string[];
  isBuiltIn: boolean;
}

interface RoleFormProps {
  action: string;
  csrfToken: string;
  name: string;
  checked: ReadonlySet<string>;
  catalogue: readonly string[];
  grantable: ReadonlySet<string>;
  submitLabel: string;
}

function RoleForm(props: RoleFormProps) {
  return (
    <form method="post" action={props.action} data-role-form>
      <CsrfField token={props.csrfToken} />
      <label for="roleName">Name</label>
      <input id="roleName" name="name" required maxlength={60} value={props.name} />
      <PermissionCheckboxes catalogue={props.catalogue} checked={props.checked} grantable={props.grantable} />
      <p class="muted">You can only grant permissions you hold yourself.</p>
      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}

export function RolesPage(props: {
  shell: ConsoleShell;
  basePath: string;
  roles: RoleView[];
  catalogue: readonly string[];
  grantable: ReadonlySet<string>;
  draft: Record<string, string> | null;
  draftPermissions: string[];
}) {
  const { shell } = props;
  return (
    <Layout title="Roles" shell={shell}>
      <h1>Roles</h1>
      <p class="muted">
        A role is a named set of permissions; give it to staff accounts. Built-in roles cannot be changed;
        create your own instead.
      </p>
      {props.roles.length === 0 ? (
        <Empty>No roles yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Role</th>
                <th>Permissions</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.roles.map((role) => (
                <tr data-role={role.name}>
                  <td>
                    {role.name} {role.isBuiltIn ? <span class="badge">built-in</span> : null}
                  </td>
                  <td class="mono" style="white-space:normal">
                    {role.permissions.length === 0 ? '—' : role.permissions.join(', ')}
                  </td>
                  <td>
                    {role.isBuiltIn ? (
                      <span class="muted">read-only</span>
                    ) : (
                      <a class="button secondary" href={`${props.basePath}/${role.id}`}>
                        Edit
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="card">
        <h2>New role</h2>
        <RoleForm
          action={props.basePath}
          csrfToken={shell.csrfToken}
          name={props.draft?.name ?? ''}
          checked={new Set(props.draftPermissions)}
          catalogue={props.catalogue}
          grantable={props.grantable}
          submitLabel="Create role"
        />
      </section>
    </Layout>
  );
}

export function RoleEditPage(props: {
  shell: ConsoleShell;
  basePath: string;
  role: RoleView;
  catalogue: readonly string[];
  grantable: ReadonlySet<string>;
}) {
  const { shell, role } = props;
  return (
    <Layout title={`Role ${role.name}`} shell={shell}>
      <p>
        <a href={props.basePath}>← Roles</a>
      </p>
      <h1>Edit role {role.name}</h1>
      <section class="card">
        <RoleForm
          action={`${props.basePath}/${role.id}`}
          csrfToken={shell.csrfToken}
          name={role.name}
          checked={new Set(role.permissions)}
          catalogue={props.catalogue}
          grantable={props.grantable}
          submitLabel="Save role"
        />
      </section>
      <section class="card">
        <h2>Delete</h2>
        <p class="muted">A role still held by an account cannot be deleted.</p>
        <PostButton
          action={`${props.basePath}/${role.id}/delete`}
          csrfToken={shell.csrfToken}
          label="Delete role"
          variant="danger"
          confirm={`Delete the role ${role.name}?`}
        />
      </section>
    </Layout>
  );
}
