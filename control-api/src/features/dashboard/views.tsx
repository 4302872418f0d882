// ISP console home: key counts and the newest live sessions.
import type { SessionOutput } from '@kiunga/schemas';
import { formatDuration } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';

export interface DashboardFigure {
  label: string;
  value: string;
  href: string | null;
}

export function DashboardPage(props: {
  shell: ConsoleShell;
  figures: DashboardFigure[];
  /** Newest live sessions, or null when the principal may not see sessions. */
  sessions: SessionOutput[] | null;
}) {
  return (
    <Layout title="Dashboard" shell={props.shell}>
      <h1>Dashboard</h1>
      <div class="stats">
        {props.figures.map((figure) => (
          <div class="stat" data-figure={figure.label}>
            <b>{figure.value}</b>
            {figure.href ? <a href={figure.href}>{figure.label}</a> : figure.label}
          </div>
        ))}
      </div>
      {props.sessions === null ? null : (
        <section class="card">
          <h2>Online now</h2>
          {props.sessions.length === 0 ? (
            <p class="muted">Nobody is online right now.</p>
          ) : (
            <ul>
              {props.sessions.map((session) => (
                <li>
                  <span class="mono">{session.username}</span> · {formatDuration(session.uptimeSeconds)}
                </li>
              ))}
            </ul>
          )}
          <a href="/isp/sessions">All live sessions →</a>
        </section>
      )}
    </Layout>
  );
}
