// CPE pages (ISP console and technician panel): the ISP's routers in GenieACS with the subscriber each is
// bound to and a reboot button, one router's page (Wi-Fi, WAN address, firmware, tasks pending, faults,
// reboot, Wi-Fi change), and on the ISP console the TR-069 server settings.
import { CsrfField, Empty, formatDateTime, formatDuration, PostButton } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { CpeListItem } from './core/binding';
import type { CpeDetail } from './service';
import type { GenieAcsSettingsView } from './settings';

export const cpeHref = (consolePath: string, id: string) => `${consolePath}/cpes/${encodeURIComponent(id)}`;

function OnlineBadge(props: { online: boolean }) {
  return (
    <span class={`badge ${props.online ? 'active' : 'expired'}`}>{props.online ? 'online' : 'offline'}</span>
  );
}

export function CpeListPage(props: {
  shell: ConsoleShell;
  consolePath: string;
  cpes: CpeListItem[] | null;
  subscriberNames: Map<string, string>;
  q: string;
  canReboot: boolean;
  settings: GenieAcsSettingsView | null;
}) {
  const { shell, consolePath } = props;
  const query = props.q.trim().toLowerCase();
  const shown = (props.cpes ?? []).filter(
    (cpe) =>
      query === '' ||
      (cpe.serialNumber ?? '').toLowerCase().includes(query) ||
      (props.subscriberNames.get(cpe.subscriberId ?? '') ?? '').toLowerCase().includes(query),
  );
  return (
    <Layout title="Routers (TR-069)" shell={shell}>
      <h1>Client routers (TR-069)</h1>
      <form method="get" action={`${consolePath}/cpes`} class="toolbar">
        <input name="q" value={props.q} placeholder="Subscriber username or serial number" />
        <button type="submit">Search</button>
      </form>
      {props.cpes === null ? (
        <Empty>No TR-069 server (GenieACS) is set up for this ISP yet.</Empty>
      ) : shown.length === 0 ? (
        <Empty>No router matches.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Serial number</th>
                <th>Model</th>
                <th>Subscriber</th>
                <th>Last contact</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shown.map((cpe) => (
                <tr data-cpe={cpe.id}>
                  <td class="mono">
                    <a href={cpeHref(consolePath, cpe.id)}>{cpe.serialNumber ?? cpe.id}</a>
                  </td>
                  <td>{cpe.productClass ?? '—'}</td>
                  <td>{props.subscriberNames.get(cpe.subscriberId ?? '') ?? '—'}</td>
                  <td>{formatDateTime(cpe.lastInform)}</td>
                  <td>
                    <OnlineBadge online={cpe.online} />
                  </td>
                  <td>
                    {props.canReboot ? (
                      <PostButton
                        action={`${cpeHref(consolePath, cpe.id)}/reboot`}
                        csrfToken={shell.csrfToken}
                        label="Reboot router"
                        confirm="Reboot this router? The client is offline for a minute or two."
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.settings ? <GenieAcsSettingsForm shell={shell} settings={props.settings} /> : null}
    </Layout>
  );
}

function GenieAcsSettingsForm(props: { shell: ConsoleShell; settings: GenieAcsSettingsView }) {
  const { settings } = props;
  return (
    <section class="card">
      <h2>TR-069 server (GenieACS)</h2>
      <p class="muted">
        {settings.source === 'own'
          ? 'Your own GenieACS NBI is in use.'
          : settings.source === 'shared'
            ? "The platform's shared GenieACS is in use: you see the routers whose serial numbers your subscribers have on record."
            : 'None yet.'}
      </p>
      <form method="post" action="/isp/cpes/settings">
        <CsrfField token={props.shell.csrfToken} />
        <label for="acsUrl">NBI URL (https)</label>
        <input
          id="acsUrl"
          name="url"
          type="url"
          required
          value={settings.url ?? ''}
          placeholder="https://acs.example.co.ke:7557"
        />
        <label for="acsUsername">Proxy username</label>
        <input id="acsUsername" name="username" value={settings.username ?? ''} autocomplete="off" />
        <label for="acsPassword">
          Proxy password {settings.hasPassword ? '(stored; leave empty to keep)' : ''}
        </label>
        <input id="acsPassword" name="password" type="password" autocomplete="new-password" />
        <button type="submit">Save</button>
      </form>
    </section>
  );
}

export function CpeDetailPage(props: {
  shell: ConsoleShell;
  consolePath: string;
  cpe: CpeDetail;
  subscriberName: string | null;
  canManage: boolean;
}) {
  const { shell, cpe, consolePath } = props;
  const href = cpeHref(consolePath, cpe.id);
  return (
    <Layout title={`Router ${cpe.serialNumber ?? cpe.id}`} shell={shell}>
      <h1>
        Router <span class="mono">{cpe.serialNumber ?? cpe.id}</span> <OnlineBadge online={cpe.online} />
      </h1>
      <p>
        <a href={`${consolePath}/cpes`}>All routers</a>
      </p>
      <div class="card">
        <p>
          {cpe.manufacturer ?? ''} {cpe.productClass ?? ''} ·{' '}
          {cpe.dataModel === 'tr181'
            ? 'TR-181'
            : cpe.dataModel === 'tr098'
              ? 'TR-098'
              : 'data model not reported'}
        </p>
        <p>Subscriber: {props.subscriberName ?? 'not bound'}</p>
        <p>Wi-Fi name: {cpe.wifiSsid ?? '—'}</p>
        <p>
          WAN address: <span class="mono">{cpe.wanIp ?? '—'}</span> · PPPoE user:{' '}
          <span class="mono">{cpe.pppoeUsername ?? '—'}</span>
        </p>
        <p>
          Firmware: {cpe.firmware ?? '—'} · Up for{' '}
          {cpe.uptimeSeconds === null ? '—' : formatDuration(cpe.uptimeSeconds)}
        </p>
        <p>Last contact: {formatDateTime(cpe.lastInform)}</p>
      </div>
      <h2>Pending tasks</h2>
      {cpe.pendingTasks.length === 0 ? (
        <p class="muted">None: nothing waits for this router.</p>
      ) : (
        <ul data-pending-tasks={cpe.pendingTasks.length}>
          {cpe.pendingTasks.map((task) => (
            <li>
              Pending: <b>{task.name}</b> since {formatDateTime(task.queuedAt)} — done at the router's next
              contact
            </li>
          ))}
        </ul>
      )}
      {cpe.faults.length > 0 ? (
        <>
          <h2>Faults</h2>
          <ul>
            {cpe.faults.map((fault) => (
              <li>
                <span class="mono">{fault.code}</span> {fault.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {props.canManage ? (
        <>
          <PostButton
            action={`${href}/reboot`}
            csrfToken={shell.csrfToken}
            label="Reboot router"
            confirm="Reboot this router? The client is offline for a minute or two."
          />
          <section class="card">
            <h2>Change Wi-Fi</h2>
            <form method="post" action={`${href}/wifi`}>
              <CsrfField token={shell.csrfToken} />
              <label for="ssid">Network name</label>
              <input id="ssid" name="ssid" required maxlength={32} value={cpe.wifiSsid ?? ''} />
              <label for="wifiPassword">Password (8 to 63 characters)</label>
              <input
                id="wifiPassword"
                name="password"
                required
                minlength={8}
                maxlength={63}
                autocomplete="off"
              />
              <button type="submit">Change Wi-Fi</button>
            </form>
          </section>
        </>
      ) : null}
    </Layout>
  );
}
