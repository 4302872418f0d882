// ISP console Accounting page (/isp/accounting): connect QuickBooks Online or Xero, see each
// connection's last run and its sync log, sync now, disconnect, and download the CSV exports.
import { Hono } from 'hono';
import { formatLocalDate, localDateOf } from '../../billing/core/calendar';
import { CsrfField, Empty, formatDateTime, PostButton, StatusBadge } from '../../console/components';
import { ispPageKit } from '../../console/isp-page';
import type { ConsoleShell } from '../../console/layout';
import { Layout } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  can,
  formFields,
  optionalText,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { ConnectionView } from './service';

const PAGE_PATH = '/isp/accounting';

interface SyncLogItem {
  key: string;
  kind: string;
  status: string;
  attempts: number;
  error: { message: string; vendorCode: string | null } | null;
  updatedAt: string;
}

interface RunReport {
  created?: number;
  alreadyDone?: number;
  failed?: number;
  deferred?: number;
  stoppedBecause?: string | null;
  error?: string;
}

function ReportLine(props: { report: RunReport | null }) {
  const report = props.report;
  if (!report) return <p>No sync has run yet.</p>;
  if (report.error) return <p class="flash error">{report.error}</p>;
  return (
    <p data-last-run>
      Last run: {report.created ?? 0} created, {report.alreadyDone ?? 0} already there, {report.failed ?? 0}{' '}
      refused, {report.deferred ?? 0} left for later
      {report.stoppedBecause === 'reconnect_needed' ? ' — stopped: connect again' : ''}
      {report.stoppedBecause === 'throttled' ? ' — stopped: the vendor asked us to slow down' : ''}.
    </p>
  );
}

/** The settings each vendor needs before the first sync (ids and codes from the ISP's chart of accounts). */
function SettingsFields(props: { vendor: ConnectionView['vendor'] }) {
  if (props.vendor === 'quickbooks') {
    return (
      <div class="row">
        <div>
          <label for="qbItem">Product/Service id for invoice lines</label>
          <input id="qbItem" name="itemId" required maxlength={50} />
        </div>
        <div>
          <label for="qbReceivable">Accounts Receivable account id</label>
          <input id="qbReceivable" name="receivableAccountId" required maxlength={50} />
        </div>
        <div>
          <label for="qbRefund">Account refunds are paid from</label>
          <input id="qbRefund" name="refundFromAccountId" required maxlength={50} />
        </div>
        <div>
          <label for="qbDeposit">Deposit payments to (blank: Undeposited Funds)</label>
          <input id="qbDeposit" name="depositToAccountId" maxlength={50} />
        </div>
      </div>
    );
  }
  return (
    <div class="row">
      <div>
        <label for="xeroRevenue">Revenue account code (e.g. 200)</label>
        <input id="xeroRevenue" name="revenueAccountCode" required maxlength={10} />
      </div>
      <div>
        <label for="xeroBank">Bank account code (e.g. 090)</label>
        <input id="xeroBank" name="bankAccountCode" required maxlength={10} />
      </div>
    </div>
  );
}

function VendorCard(props: {
  view: ConnectionView;
  shell: ConsoleShell;
  canWrite: boolean;
  monthStart: string;
}) {
  const { view, shell } = props;
  const connection = view.connection;
  return (
    <section class="card" id={`accounting-${view.vendor}`}>
      <h2>{view.name}</h2>
      {!view.isOffered && !connection ? (
        <p>Not offered on this platform yet: the operator adds the app keys (see the README).</p>
      ) : connection ? (
        <>
          <p>
            <StatusBadge status={connection.status === 'connected' ? 'active' : 'suspended'} />{' '}
            {connection.status === 'connected'
              ? `Connected to ${connection.externalId} since ${formatDateTime(Date.parse(connection.connectedAt))}.`
              : 'The connection was refused by the vendor: connect again to resume syncing.'}{' '}
            Records from {formatDateTime(Date.parse(connection.syncFrom))} on are synced every night at 02:15.
          </p>
          {connection.isRunning ? <p>A sync is running now.</p> : null}
          <ReportLine report={connection.lastRunReport as RunReport | null} />
          <p>
            <a href={`${PAGE_PATH}?log=${view.vendor}`}>Sync log</a>
          </p>
          {props.canWrite ? (
            <div class="actions">
              {connection.status === 'connected' ? (
                <PostButton
                  action={`${PAGE_PATH}/${view.vendor}/sync`}
                  csrfToken={shell.csrfToken}
                  label="Sync now"
                />
              ) : null}
              <PostButton
                action={`${PAGE_PATH}/${view.vendor}/disconnect`}
                csrfToken={shell.csrfToken}
                label="Disconnect"
                variant="danger"
                confirm={`Disconnect ${view.name}? Nothing already synced is deleted there.`}
              />
            </div>
          ) : null}
        </>
      ) : null}
      {view.isOffered && props.canWrite && connection?.status !== 'connected' ? (
        <form method="post" action={`${PAGE_PATH}/${view.vendor}/connect`}>
          <CsrfField token={shell.csrfToken} />
          <SettingsFields vendor={view.vendor} />
          <label for={`${view.vendor}SyncFrom`}>Sync records from</label>
          <input id={`${view.vendor}SyncFrom`} name="syncFrom" type="date" value={props.monthStart} />
          <button type="submit">Connect {view.name}</button>
        </form>
      ) : null}
    </section>
  );
}

function SyncLogTable(props: { name: string; items: SyncLogItem[] }) {
  if (props.items.length === 0) return <Empty>Nothing synced yet.</Empty>;
  return (
    <section class="card">
      <h2>{props.name}: sync log</h2>
      <table>
        <thead>
          <tr>
            <th>Record</th>
            <th>Status</th>
            <th>Tries</th>
            <th>Vendor's answer</th>
            <th>When</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <tr data-sync-key={item.key}>
              <td>{item.key}</td>
              <td>{item.status}</td>
              <td>{item.attempts}</td>
              <td>
                {item.error
                  ? `${item.error.message}${item.error.vendorCode ? ` (${item.error.vendorCode})` : ''}`
                  : ''}
              </td>
              <td>{formatDateTime(Date.parse(item.updatedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ispAccountingRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const { api, shell } = ispPageKit(dependencies, fetchApp);

  routes.get('/accounting', async (context) => {
    assertPermission(context, 'billing.read');
    // The vendor's redirect back lands here with the outcome; shown once as a flash.
    const connected = context.req.query('connected');
    const failed = context.req.query('failed');
    if (connected)
      return redirectWithFlash(context, PAGE_PATH, 'ok', 'Connected. The first sync runs now or tonight.');
    if (failed) return redirectWithFlash(context, PAGE_PATH, 'error', failed.slice(0, 300));
    const { items } = await api<{ items: ConnectionView[] }>(
      context,
      'GET',
      '/api/v1/accounting/connections',
    );
    const logVendor = items.find((item) => item.vendor === context.req.query('log') && item.connection);
    const log = logVendor
      ? await api<{ items: SyncLogItem[] }>(
          context,
          'GET',
          `/api/v1/accounting/${logVendor.vendor}/sync-log?limit=100`,
        )
      : null;
    const today = localDateOf(dependencies.clock.now());
    const monthStart = formatLocalDate({ ...today, day: 1 });
    const canWrite = can(context, 'billing.write');
    const page = shell(context);
    return renderHtml(
      context,
      <Layout title="Accounting" shell={page}>
        <h1>Accounting</h1>
        <p>
          Send invoices, payments, voids and refunds to your accounting package, once each, or download them
          as CSV for any other.
        </p>
        {items.map((view) => (
          <VendorCard view={view} shell={page} canWrite={canWrite} monthStart={monthStart} />
        ))}
        {log && logVendor ? <SyncLogTable name={logVendor.name} items={log.items} /> : null}
        <section class="card" id="accounting-exports">
          <h2>CSV export</h2>
          <form method="get" action="/api/v1/exports/ledger.csv">
            <div class="row">
              <div>
                <label for="exportFrom">From</label>
                <input id="exportFrom" name="from" type="date" value={monthStart} required />
              </div>
              <div>
                <label for="exportTo">To (not included)</label>
                <input id="exportTo" name="to" type="date" value={formatLocalDate(today)} required />
              </div>
            </div>
            <button type="submit">Ledger</button>{' '}
            <button type="submit" formaction="/api/v1/exports/invoices.csv">
              Invoices
            </button>{' '}
            <button type="submit" formaction="/api/v1/exports/payments.csv">
              Payments
            </button>
          </form>
        </section>
      </Layout>,
    );
  });

  routes.post('/accounting/:vendor/connect', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const vendor = context.req.param('vendor');
      const fields = await formFields(context);
      const settings =
        vendor === 'quickbooks'
          ? {
              itemId: fields.itemId ?? '',
              receivableAccountId: fields.receivableAccountId ?? '',
              refundFromAccountId: fields.refundFromAccountId ?? '',
              depositToAccountId: optionalText(fields, 'depositToAccountId'),
            }
          : {
              revenueAccountCode: fields.revenueAccountCode ?? '',
              bankAccountCode: fields.bankAccountCode ?? '',
            };
      const { authorizeUrl } = await api<{ authorizeUrl: string }>(
        context,
        'POST',
        `/api/v1/accounting/${encodeURIComponent(vendor)}/connect`,
        { settings, ...(fields.syncFrom ? { syncFrom: fields.syncFrom } : {}) },
      );
      return context.redirect(authorizeUrl, 303);
    }),
  );

  routes.post('/accounting/:vendor/sync', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      await api(
        context,
        'POST',
        `/api/v1/accounting/${encodeURIComponent(context.req.param('vendor'))}/sync`,
      );
      return redirectWithFlash(context, PAGE_PATH, 'ok', 'Sync started: its report shows here when it ends.');
    }),
  );

  routes.post('/accounting/:vendor/disconnect', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      await api(context, 'DELETE', `/api/v1/accounting/${encodeURIComponent(context.req.param('vendor'))}`);
      return redirectWithFlash(context, PAGE_PATH, 'ok', 'Disconnected.');
    }),
  );
  return routes;
}
