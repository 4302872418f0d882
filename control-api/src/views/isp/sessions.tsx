// ISP console: live sessions from the AAA server, with a disconnect button per session.
import type { SessionOutput } from '@kiunga/schemas';
import { Empty, formatBytes, formatDateTime, formatDuration, Pager, PostButton } from '../components';
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
        <a href="/isp/sessions">Refresh</a> · <a href="/isp/sessions/history">Session history</a>
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

/** Closed sessions, newest first: who was online, when, for how long, and why it ended. */
export function SessionHistoryPage(props: {
  shell: ConsoleShell;
  sessions: SessionOutput[];
  nasNames: Map<string, string>;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
}) {
  return (
    <Layout title="Session history" shell={props.shell}>
      <p>
        <a href="/isp/sessions">← Live sessions</a>
      </p>
      <h1>Session history</h1>
      {props.sessions.length === 0 ? (
        <Empty>No closed sessions yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>User</th>
                <th>Kind</th>
                <th>Router</th>
                <th>Started</th>
                <th>Ended</th>
                <th>Duration</th>
                <th>Down / up</th>
                <th>Why it ended</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((session) => (
                <tr data-history-user={session.username}>
                  <td class="mono">{session.username}</td>
                  <td>{session.subjectKind}</td>
                  <td>{props.nasNames.get(session.nasId) ?? session.nasId}</td>
                  <td>{formatDateTime(session.startedAt)}</td>
                  <td>{formatDateTime(session.stoppedAt)}</td>
                  <td>{formatDuration(session.uptimeSeconds)}</td>
                  <td>
                    {formatBytes(session.outputOctets)} / {formatBytes(session.inputOctets)}
                  </td>
                  <td>{session.terminateCause ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path="/isp/sessions/history" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}
