// The audit log page shared by the ISP console (/isp/audit) and the platform console (/platform/audit).
import { Empty, formatDateTime, Pager } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { AuditLogEntry } from './store';

/** An entry as the audit API answers it (the page does not show the detail). */
export type AuditEntry = Omit<AuditLogEntry, 'detail'>;

export function AuditPage(props: {
  shell: ConsoleShell;
  basePath: string;
  entries: AuditEntry[];
  actorNames: Map<string, string>;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
}) {
  return (
    <Layout title="Audit log" shell={props.shell}>
      <h1>Audit log</h1>
      <div class="toolbar">
        <form method="get" action={props.basePath}>
          <input
            name="action"
            value={props.query.action ?? ''}
            placeholder="Action, e.g. plan. or user.create"
            aria-label="Action"
          />
          <button type="submit">Filter</button>
        </form>
      </div>
      {props.entries.length === 0 ? (
        <Empty>Nothing recorded yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>Target</th>
                <th>From</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((entry) => (
                <tr>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{entry.actorId ? (props.actorNames.get(entry.actorId) ?? entry.actorId) : '—'}</td>
                  <td class="mono">{entry.action}</td>
                  <td class="mono">{entry.target ?? '—'}</td>
                  <td class="mono">{entry.sourceAddress ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path={props.basePath} query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}
