// The diagnostics page ("why is this client offline?") shared by the ISP console and technician panel.
import type { SessionOutput } from '@kiunga/schemas';
import { Empty, formatBytes, formatDateTime, PostButton } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { Diagnosis } from './service';
import { summarizeDiagnosis } from './summary';

export function DiagnosticsPage(props: {
  shell: ConsoleShell;
  /** The page's own path (/isp/diagnostics or /tech/diagnostics): the form and the disconnect buttons post here. */
  path: string;
  q: string;
  diagnosis: Diagnosis | null;
  canDisconnect: boolean;
}) {
  const { diagnosis } = props;
  return (
    <Layout title="Why is this client offline?" shell={props.shell}>
      <h1>Why is this client offline?</h1>
      <div class="toolbar">
        <form method="get" action={props.path}>
          <input
            name="q"
            value={props.q}
            placeholder="Username, voucher code, MAC address or phone"
            aria-label="Search a client"
          />
          <button type="submit">Check</button>
        </form>
      </div>
      {props.q === '' ? null : diagnosis === null ? (
        <Empty>No voucher, subscriber or device matches “{props.q}”.</Empty>
      ) : (
        <DiagnosisBody {...props} diagnosis={diagnosis} />
      )}
    </Layout>
  );
}

function DiagnosisBody(props: {
  path: string;
  q: string;
  diagnosis: Diagnosis;
  canDisconnect: boolean;
  shell: ConsoleShell;
}) {
  const { diagnosis } = props;
  const online = diagnosis.sessions.filter((session) => session.status === 'open');
  return (
    <>
      <div class="card" data-diagnosis-summary>
        {summarizeDiagnosis(diagnosis).map((line) => (
          <p>{line}</p>
        ))}
      </div>
      {online.length === 0 ? null : (
        <>
          <h2>Devices online</h2>
          <table>
            <tbody>
              {online.map((session) => (
                <DeviceRow session={session} {...props} />
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>Login attempts, newest first</h2>
      {diagnosis.decisions.length === 0 ? (
        <Empty>No login attempt in the last 30 days.</Empty>
      ) : (
        <table data-diagnosis-decisions>
          <thead>
            <tr>
              <th>When</th>
              <th>Result</th>
              <th>Why</th>
              <th>Device</th>
              <th>Router</th>
            </tr>
          </thead>
          <tbody>
            {diagnosis.decisions.map((decision) => (
              <tr>
                <td>
                  {formatDateTime(decision.at)}
                  {decision.count === 1 ? null : ` – ${formatDateTime(decision.lastAt)}`}
                </td>
                <td>
                  {decision.result === 'accept' ? 'Accepted' : 'Rejected'}
                  {decision.count === 1 ? null : ` ${decision.count} times`}
                </td>
                <td>{decision.reason?.message ?? '—'}</td>
                <td class="mono">{decision.mac || '—'}</td>
                <td class="mono">{decision.nasId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function DeviceRow(props: {
  session: SessionOutput;
  path: string;
  q: string;
  canDisconnect: boolean;
  shell: ConsoleShell;
}) {
  const { session } = props;
  return (
    <tr data-device={session.callingStationId}>
      <td class="mono">{session.callingStationId || '—'}</td>
      <td class="mono">{session.framedIp ?? '—'}</td>
      <td>
        {formatBytes(session.outputOctets)} down / {formatBytes(session.inputOctets)} up
      </td>
      <td>
        {props.canDisconnect ? (
          <PostButton
            action={`${props.path}/sessions/${encodeURIComponent(session.id)}/disconnect?q=${encodeURIComponent(props.q)}`}
            csrfToken={props.shell.csrfToken}
            label="Disconnect"
            variant="danger"
            confirm={`Disconnect ${session.callingStationId || session.username}?`}
          />
        ) : null}
      </td>
    </tr>
  );
}
