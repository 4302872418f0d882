// ISP console: the ISP's MikroTik routers (NAS), add form, and the one-time secret page.
import type { NasOutput } from '@kiunga/schemas';
import { CsrfField, formatDateTime, PostButton } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { ListPage } from '../../console/list-page';

export function NasPage(props: {
  shell: ConsoleShell;
  devices: NasOutput[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  canWrite: boolean;
  hasScript: boolean;
  draft?: Record<string, string> | null;
}) {
  const draft = props.draft ?? null;
  return (
    <ListPage
      title="Routers (NAS)"
      shell={props.shell}
      empty="No router yet. Add your MikroTik below to let it talk to Kiunga."
      rows={props.devices}
      rowAttributes={(nas) => ({ 'data-nas-id': nas.id })}
      columns={[
        { header: 'Name', cell: (nas) => nas.name },
        { header: 'Address', class: 'mono', cell: (nas) => nas.ipAddress ?? '—' },
        { header: 'NAS-Identifier', class: 'mono', cell: (nas) => nas.identifier ?? '—' },
        { header: 'CoA port', cell: (nas) => nas.coaPort },
        {
          header: 'Message-Authenticator',
          cell: (nas) => (nas.requireMessageAuthenticator ? 'required' : 'optional'),
        },
        {
          header: 'Hotspot DNS name',
          class: 'mono',
          cell: (nas) =>
            nas.hotspotDnsName ? `${nas.hotspotDnsName}${nas.isHotspotHttps ? ' (HTTPS)' : ''}` : '—',
        },
        { header: 'Added', cell: (nas) => formatDateTime(nas.createdAt) },
        props.hasScript
          ? {
              header: '',
              cell: (nas) => (
                <>
                  <a href={`/isp/nas/${nas.id}/health`}>Health</a>
                  {' · '}
                  <a href={`/isp/nas/${nas.id}/script`}>RouterOS script</a>
                  {props.canWrite ? (
                    <>
                      {' · '}
                      <a href={`/isp/nas/${nas.id}`}>Edit</a>
                    </>
                  ) : null}
                </>
              ),
            }
          : null,
      ]}
      pager={{ path: '/isp/nas', query: props.query, nextCursor: props.nextCursor }}
    >
      {' '}
      {props.canWrite ? (
        <section class="card">
          <h2>Add a router</h2>
          <form method="post" action="/isp/nas">
            <CsrfField token={props.shell.csrfToken} />
            <div class="row">
              <div>
                <label for="name">Name</label>
                <input
                  id="name"
                  name="name"
                  required
                  maxlength={80}
                  placeholder="Town centre hAP"
                  value={draft?.name ?? ''}
                />
              </div>
              <div>
                <label for="ipAddress">Public IP address (as Kiunga sees it)</label>
                <input
                  id="ipAddress"
                  name="ipAddress"
                  inputmode="decimal"
                  placeholder="41.90.1.2"
                  value={draft?.ipAddress ?? ''}
                />
              </div>
              <div>
                <label for="identifier">Or NAS-Identifier (router behind NAT)</label>
                <input id="identifier" name="identifier" maxlength={64} value={draft?.identifier ?? ''} />
              </div>
              <div>
                <label for="coaPort">CoA port</label>
                <input
                  id="coaPort"
                  name="coaPort"
                  type="number"
                  min="1"
                  max="65535"
                  value={draft?.coaPort ?? '3799'}
                />
              </div>
              <HotspotDnsNameField value={draft?.hotspotDnsName ?? ''} />
            </div>
            <label>
              <input
                type="checkbox"
                name="requireMessageAuthenticator"
                value="true"
                checked={draft ? draft.requireMessageAuthenticator === 'true' : true}
              />{' '}
              Require Message-Authenticator (RouterOS 7.15+; needed behind NAT)
            </label>
            <HotspotHttpsField isChecked={draft?.isHotspotHttps === 'true'} />
            <button type="submit">Add router</button>
          </form>
        </section>
      ) : null}
    </ListPage>
  );
}

/** Right after creating (or rotating): the secret is shown here once and never again. */
export function NasCreatedPage(props: {
  shell: ConsoleShell;
  nas: NasOutput;
  secret: string;
  script: string | null;
  isRotated?: boolean;
}) {
  const heading = props.isRotated ? `New secret for ${props.nas.name}` : `${props.nas.name} added`;
  return (
    <Layout title={props.isRotated ? 'Secret rotated' : 'Router added'} shell={props.shell}>
      <p>
        <a href="/isp/nas">← Routers</a>
      </p>
      <h1>{heading}</h1>
      {props.isRotated ? (
        <p class="flash error" role="alert">
          The old secret no longer works: the router is refused until you give it this one.
        </p>
      ) : null}
      <div class="card">
        <p>
          <b>RADIUS secret — shown only now.</b> Copy it into the router (or paste the script below); Kiunga
          keeps it encrypted and cannot show it again.
        </p>
        <p class="secret mono" data-nas-secret>
          {props.secret}
        </p>
      </div>
      {props.script ? (
        <section>
          <h2>RouterOS script</h2>
          <p class="muted">Paste into the MikroTik terminal (it contains the secret: keep it private).</p>
          <pre data-routeros-script>{props.script}</pre>
        </section>
      ) : null}
    </Layout>
  );
}

export function NasScriptPage(props: {
  shell: ConsoleShell;
  nas: NasOutput;
  script: string;
  radiusAddress: string;
  addressError: string | null;
}) {
  const download =
    props.radiusAddress && !props.addressError
      ? `?radiusAddress=${encodeURIComponent(props.radiusAddress)}`
      : '';
  return (
    <Layout title={`Script for ${props.nas.name}`} shell={props.shell}>
      <p>
        <a href="/isp/nas">← Routers</a>
      </p>
      <h1>RouterOS script · {props.nas.name}</h1>
      <form method="get" action={`/isp/nas/${props.nas.id}/script`} class="card">
        <label for="radiusAddress">Kiunga's RADIUS address as this router reaches it</label>
        <input
          id="radiusAddress"
          name="radiusAddress"
          inputmode="decimal"
          placeholder="203.0.113.10, 203.0.113.11"
          value={props.radiusAddress}
          aria-invalid={props.addressError ? 'true' : undefined}
        />
        <p class="muted">
          IP addresses only (RouterOS takes no host name there), comma-separated: the first is the primary,
          the router asks the next when it does not answer. Leave empty for the server's setting.
        </p>
        {props.addressError ? (
          <p class="flash error" role="alert" data-field-error="radiusAddress">
            {props.addressError}
          </p>
        ) : null}
        <button type="submit" class="secondary">
          Use this address
        </button>
      </form>
      <p>
        <a class="button secondary" href={`/api/v1/nas/${props.nas.id}/routeros-script${download}`}>
          Download .rsc
        </a>
      </p>
      <pre data-routeros-script>{props.script}</pre>
    </Layout>
  );
}

/** The hotspot's DNS name: the captive portal logs clients in only through it or a private address. */
function HotspotDnsNameField(props: { value: string }) {
  return (
    <div>
      <label for="hotspotDnsName">Hotspot DNS name (its login page)</label>
      <input
        id="hotspotDnsName"
        name="hotspotDnsName"
        maxlength={253}
        placeholder="hotspot.example.co.ke"
        value={props.value}
      />
    </div>
  );
}

function HotspotHttpsField(props: { isChecked: boolean }) {
  return (
    <label>
      <input type="checkbox" name="isHotspotHttps" value="true" checked={props.isChecked} /> Hotspot login
      page over HTTPS (needs the DNS name and its certificate on the router)
    </label>
  );
}

/** One router: edit its name, addresses, CoA port and Message-Authenticator rule; rotate its secret; delete it. */
export function NasEditPage(props: { shell: ConsoleShell; nas: NasOutput }) {
  const { nas, shell } = props;
  const base = `/isp/nas/${nas.id}`;
  return (
    <Layout title={`Router ${nas.name}`} shell={shell}>
      <p>
        <a href="/isp/nas">← Routers</a>
      </p>
      <h1>{nas.name}</h1>
      <section class="card">
        <h2>Settings</h2>
        <form method="post" action={base}>
          <CsrfField token={shell.csrfToken} />
          <div class="row">
            <div>
              <label for="name">Name</label>
              <input id="name" name="name" required maxlength={80} value={nas.name} />
            </div>
            <div>
              <label for="ipAddress">Public IP address</label>
              <input id="ipAddress" name="ipAddress" inputmode="decimal" value={nas.ipAddress ?? ''} />
            </div>
            <div>
              <label for="identifier">NAS-Identifier</label>
              <input id="identifier" name="identifier" maxlength={64} value={nas.identifier ?? ''} />
            </div>
            <div>
              <label for="coaPort">CoA port</label>
              <input
                id="coaPort"
                name="coaPort"
                type="number"
                min="1"
                max="65535"
                value={String(nas.coaPort)}
              />
            </div>
            <HotspotDnsNameField value={nas.hotspotDnsName ?? ''} />
          </div>
          <label>
            <input
              type="checkbox"
              name="requireMessageAuthenticator"
              value="true"
              checked={nas.requireMessageAuthenticator}
            />{' '}
            Require Message-Authenticator
          </label>
          <HotspotHttpsField isChecked={nas.isHotspotHttps} />
          <button type="submit">Save router</button>
        </form>
      </section>
      <section class="card">
        <h2>RADIUS secret</h2>
        <p class="muted">
          A new secret replaces the old one at once; the router is refused until it has the new one.
        </p>
        <PostButton
          action={`${base}/rotate-secret`}
          csrfToken={shell.csrfToken}
          label="Rotate secret"
          variant="secondary"
          confirm={`Give ${nas.name} a new secret? The old one stops working now.`}
        />
      </section>
      <section class="card">
        <h2>Remove</h2>
        <PostButton
          action={`${base}/delete`}
          csrfToken={shell.csrfToken}
          label="Delete router"
          variant="danger"
          confirm={`Delete ${nas.name}? Kiunga will refuse its RADIUS requests.`}
        />
      </section>
    </Layout>
  );
}
