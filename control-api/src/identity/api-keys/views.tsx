// ISP console: API keys for integrations — list, create with chosen permissions (key shown once), revoke.
import {
  CsrfField,
  Empty,
  formatDateTime,
  Pager,
  PermissionCheckboxes,
  PostButton,
  StatusBadge,
} from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';

export interface ApiKeyView {
  id: string;
  name: string;
  permissions: string[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export function ApiKeysPage(props: {
  shell: ConsoleShell;
  keys: ApiKeyView[];
  created: { name: string; key: string } | null;
  catalogue: readonly string[];
  grantable: ReadonlySet<string>;
  draft: Record<string, string> | null;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
}) {
  const { shell } = props;
  const draftPermissions = new Set(props.draft?.permissions?.split(',') ?? []);
  return (
    <Layout title="API keys" shell={shell}>
      <h1>API keys</h1>
      {props.created ? (
        <div class="card" data-created-key={props.created.name}>
          <p>
            <b>Key “{props.created.name}” — shown only now.</b> Send it as{' '}
            <span class="mono">Authorization: Bearer …</span>; Kiunga keeps only a hash and cannot show it
            again.
          </p>
          <p class="secret mono" data-api-key>
            {props.created.key}
          </p>
        </div>
      ) : null}
      {props.keys.length === 0 ? (
        <Empty>No API keys yet. Create one for each integration below.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Permissions</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.keys.map((key) => (
                <tr data-key={key.name}>
                  <td>{key.name}</td>
                  <td class="mono" style="white-space:normal">
                    {key.permissions.join(', ')}
                  </td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>{formatDateTime(key.lastUsedAt)}</td>
                  <td>
                    <StatusBadge status={key.revokedAt === null ? 'active' : 'revoked'} />
                  </td>
                  <td>
                    {key.revokedAt === null ? (
                      <PostButton
                        action={`/isp/api-keys/${key.id}/revoke`}
                        csrfToken={shell.csrfToken}
                        label="Revoke"
                        variant="danger"
                        confirm={`Revoke the key ${key.name}? Integrations using it stop working at once.`}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path="/isp/api-keys" query={props.query} nextCursor={props.nextCursor} />
      <section class="card">
        <h2>New API key</h2>
        <form method="post" action="/isp/api-keys">
          <CsrfField token={shell.csrfToken} />
          <label for="keyName">Name (what uses it)</label>
          <input
            id="keyName"
            name="name"
            required
            maxlength={80}
            placeholder="Accounting export"
            value={props.draft?.name ?? ''}
          />
          <PermissionCheckboxes
            catalogue={props.catalogue}
            checked={draftPermissions}
            grantable={props.grantable}
          />
          <p class="muted">Give a key only what its integration needs; it can never exceed your own.</p>
          <button type="submit">Create key</button>
        </form>
      </section>
    </Layout>
  );
}
