// ISP console Reports page: a date range and a report kind, the report's chart (server-rendered SVG),
// its rows as a table, and links to the same report as CSV and PDF.
import { raw } from 'hono/html';
import { Empty } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { ReportKind } from './service';

export interface ReportTable {
  headers: string[];
  rows: string[][];
  totals: string[];
}

const KIND_LABELS: Record<ReportKind, string> = { sales: 'Sales', activity: 'Activity', network: 'Network' };

export function ReportsPage(props: {
  shell: ConsoleShell;
  kind: ReportKind;
  /** The form's dates as typed (YYYY-MM-DD), `to` exclusive. */
  from: string;
  to: string;
  /** From renderChartSvg: presentation attributes only, no scripts. */
  chartSvg: string;
  table: ReportTable;
  note: string | null;
}) {
  const query = `from=${props.from}&to=${props.to}`;
  return (
    <Layout title="Reports" shell={props.shell}>
      <h1>Reports</h1>
      <div class="toolbar">
        <form method="get" action="/isp/reports">
          <select name="kind" aria-label="Report">
            {Object.entries(KIND_LABELS).map(([kind, label]) => (
              <option value={kind} selected={kind === props.kind}>
                {label}
              </option>
            ))}
          </select>
          <label>
            From <input type="date" name="from" value={props.from} required />
          </label>
          <label>
            To (not included) <input type="date" name="to" value={props.to} required />
          </label>
          <button type="submit">Show</button>
        </form>
      </div>
      <p>
        <a href={`/api/v1/reports/${props.kind}?${query}&format=csv`} data-download="csv">
          Download CSV
        </a>{' '}
        ·{' '}
        <a href={`/api/v1/reports/${props.kind}?${query}&format=pdf`} data-download="pdf">
          Printable PDF
        </a>
      </p>
      {props.note ? <p class="muted">{props.note}</p> : null}
      <section class="card" data-chart>
        {raw(props.chartSvg)}
      </section>
      {props.table.rows.length === 0 ? (
        <Empty>Nothing in this range.</Empty>
      ) : (
        <div class="table-wrap">
          <table data-report={props.kind}>
            <thead>
              <tr>
                {props.table.headers.map((header) => (
                  <th>{header}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.table.rows.map((row) => (
                <tr>
                  {row.map((cell) => (
                    <td>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                {props.table.totals.map((cell) => (
                  <th>{cell}</th>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </Layout>
  );
}
