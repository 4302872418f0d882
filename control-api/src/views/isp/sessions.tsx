// ISP console: live sessions from the AAA server, with a disconnect button per session.
import type { SessionOutput } from '@kiunga/schemas';
import { Empty, formatBytes, formatDuration, Pager, PostButton } from '../components';
import { type ConsoleShell, Layout } from '../layout';

export function SessionsPage(props: {
  shell: ConsoleShell;
  sessions: SessionOutput[];
  nasNames: Map<string, string>;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  canDisconnect: boolean;
}) {
  return (
    <Layout title="Live sessions" shell={props.shell}>
      <h1>Live sessions</h1>
      <p>
        <a href="/isp/sessions">Refresh</a>
      </p>
      {props.sessions.length === 0 ? (
        <Empty>Nobody is online right now.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>User</th>
                <th>Kind</th>
                <th>Router</th>
                <th>IP</th>
                <th>Device</th>
                <th>Uptime</th>
                <th>Down / up</th>
                {props.canDisconnect ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((session) => (
                <tr data-session-user={session.username}>
                  <td class="mono">{session.username}</td>
                  <td>{session.subjectKind}</td>
                  <td>{props.nasNames.get(session.nasId) ?? session.nasId}</td>
                  <td class="mono">{session.framedIp ?? '—'}</td>
                  <td class="mono">{session.callingStationId || '—'}</td>
                  <td>{formatDuration(session.uptimeSeconds)}</td>
                  <td>
                    {formatBytes(session.outputOctets)} / {formatBytes(session.inputOctets)}
                  </td>
                  {props.canDisconnect ? (
                    <td>
                      <PostButton
                        action={`/isp/sessions/${encodeURIComponent(session.id)}/disconnect`}
                        csrfToken={props.shell.csrfToken}
                        label="Disconnect"
                        variant="danger"
                        confirm={`Disconnect ${session.username}?`}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path="/isp/sessions" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}
