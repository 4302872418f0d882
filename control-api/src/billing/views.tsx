// ISP console billing pages: invoices, payments (with unmatched M-Pesa C2B to assign), billing settings,
// and one subscriber's balance, statement, invoices and the record-payment form.
import type { SubscriberOutput } from '@kiunga/schemas';
import { formatKsh } from '@kiunga/schemas';
import { CsrfField, Empty, formatDateTime, StatusBadge } from '../console/components';
import { type ConsoleShell, Layout } from '../console/layout';
import { type Column, DataTable, ListPage } from '../console/list-page';
import type { PaymentRow } from './payments-store';
import type { InvoiceOutput, Statement } from './queries';
import type { BillingSettings } from './settings';

const BILLING_SECTIONS = [
  { href: '/isp/billing', label: 'Invoices' },
  { href: '/isp/billing/payments', label: 'Payments' },
  { href: '/isp/billing/settings', label: 'Settings' },
];
const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'void'];
/** Blank dunning rows offered under the existing steps, so one can be added without script. */
const BLANK_DUNNING_ROWS = 2;

function BillingSections(props: { currentPath: string }) {
  return (
    <nav class="subnav" aria-label="Billing">
      {BILLING_SECTIONS.map((section) => (
        <a href={section.href} aria-current={props.currentPath === section.href ? 'page' : undefined}>
          {section.label}
        </a>
      ))}
    </nav>
  );
}

function InvoiceLinks(props: { invoice: InvoiceOutput }) {
  const base = `/api/v1/invoices/${encodeURIComponent(props.invoice.id)}`;
  return (
    <>
      <a href={`${base}.html`} target="_blank" rel="noopener">
        HTML
      </a>{' '}
      ·{' '}
      <a href={`${base}.pdf`} target="_blank" rel="noopener">
        PDF
      </a>
    </>
  );
}

/** An invoice list's columns; the account column only where invoices of many subscribers are listed. */
function invoiceColumns(showSubscriber: boolean): Array<Column<InvoiceOutput> | null> {
  return [
    { header: 'Number', class: 'mono', cell: (invoice) => invoice.number },
    { header: 'Issued', cell: (invoice) => formatDateTime(invoice.issuedAt) },
    showSubscriber
      ? {
          header: 'Account',
          cell: (invoice) => (
            <a class="mono" href={`/isp/billing/subscribers/${encodeURIComponent(invoice.subscriberId)}`}>
              {invoice.accountNumber}
            </a>
          ),
        }
      : null,
    { header: 'Period', cell: (invoice) => invoice.cycleKey },
    { header: 'Due', cell: (invoice) => formatDateTime(invoice.dueAt) },
    { header: 'Total', cell: (invoice) => formatKsh(invoice.totalCents) },
    { header: 'Status', cell: (invoice) => <StatusBadge status={invoice.status} /> },
    { header: 'Print', cell: (invoice) => <InvoiceLinks invoice={invoice} /> },
  ];
}

const invoiceRowAttributes = (invoice: InvoiceOutput) => ({ 'data-invoice': invoice.number });

function InvoiceTable(props: { invoices: InvoiceOutput[]; showSubscriber: boolean }) {
  return (
    <DataTable
      rows={props.invoices}
      columns={invoiceColumns(props.showSubscriber)}
      rowAttributes={invoiceRowAttributes}
    />
  );
}

export function InvoicesPage(props: {
  shell: ConsoleShell;
  invoices: InvoiceOutput[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  /** The subscriber filter matched nobody. */
  isUnknownSubscriber: boolean;
}) {
  const isFiltered = Boolean(props.query.status || props.query.subscriber);
  return (
    <ListPage
      title="Invoices"
      heading="Billing"
      shell={props.shell}
      intro={<BillingSections currentPath={props.shell.currentPath} />}
      filters={
        <form method="get" action="/isp/billing">
          <input
            name="subscriber"
            value={props.query.subscriber ?? ''}
            placeholder="Account number or username"
            aria-label="Subscriber"
          />
          <select name="status" aria-label="Status">
            <option value="">Any status</option>
            {INVOICE_STATUSES.map((status) => (
              <option value={status} selected={props.query.status === status}>
                {status.replace('_', ' ')}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
      }
      empty={
        props.isUnknownSubscriber
          ? 'No subscriber has this account number or username.'
          : isFiltered
            ? 'No invoice matches this filter.'
            : 'No invoices yet: the billing job issues them at the start of each cycle.'
      }
      rows={props.invoices}
      rowAttributes={invoiceRowAttributes}
      columns={invoiceColumns(true)}
      pager={{ path: '/isp/billing', query: props.query, nextCursor: props.nextCursor }}
    />
  );
}

function AssignForm(props: { payment: PaymentRow; csrfToken: string }) {
  return (
    <form
      method="post"
      action={`/isp/billing/payments/${encodeURIComponent(props.payment.id)}/assign`}
      class="inline-form"
    >
      <CsrfField token={props.csrfToken} />
      <input
        name="subscriber"
        required
        placeholder="Account or username"
        aria-label={`Subscriber for ${props.payment.providerTransactionId}`}
      />
      <button type="submit">Assign to subscriber</button>
    </form>
  );
}

export function PaymentsPage(props: {
  shell: ConsoleShell;
  payments: PaymentRow[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  canWrite: boolean;
}) {
  return (
    <ListPage
      title="Payments"
      heading="Billing"
      shell={props.shell}
      intro={<BillingSections currentPath={props.shell.currentPath} />}
      filters={
        <form method="get" action="/isp/billing/payments">
          <select name="status" aria-label="Status">
            <option value="">All payments</option>
            <option value="unmatched" selected={props.query.status === 'unmatched'}>
              Unmatched (to assign)
            </option>
            <option value="matched" selected={props.query.status === 'matched'}>
              Matched
            </option>
          </select>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
      }
      empty={
        props.query.status === 'unmatched'
          ? 'No unmatched payments: every M-Pesa payment found its subscriber.'
          : 'No payments yet.'
      }
      rows={props.payments}
      rowAttributes={(payment) => ({ 'data-payment': payment.providerTransactionId })}
      columns={[
        { header: 'Received', cell: (payment) => formatDateTime(payment.receivedAt) },
        { header: 'Method', cell: (payment) => payment.provider },
        { header: 'Reference', class: 'mono', cell: (payment) => payment.providerTransactionId },
        { header: 'Amount', cell: (payment) => formatKsh(payment.amountCents) },
        { header: 'Account typed', class: 'mono', cell: (payment) => payment.accountReference ?? '—' },
        {
          header: 'Status',
          cell: (payment) =>
            payment.status === 'unmatched' && props.canWrite ? (
              <AssignForm payment={payment} csrfToken={props.shell.csrfToken} />
            ) : payment.matchedKind === 'subscriber' && payment.matchedId ? (
              <a href={`/isp/billing/subscribers/${encodeURIComponent(payment.matchedId)}`}>
                <StatusBadge status={payment.status} />
              </a>
            ) : (
              <StatusBadge status={payment.status} />
            ),
        },
      ]}
      pager={{ path: '/isp/billing/payments', query: props.query, nextCursor: props.nextCursor }}
    />
  );
}

function DunningRows(props: { steps: BillingSettings['dunningSteps']; rowsMax: number }) {
  const rowCount = Math.min(props.steps.length + BLANK_DUNNING_ROWS, props.rowsMax);
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Days from due date (− before, + after)</th>
            <th>Action</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rowCount }, (_, index) => {
            const step = props.steps[index];
            return (
              <tr>
                <td>
                  <input
                    name={`stepDays${index}`}
                    type="number"
                    min={-30}
                    max={90}
                    value={step ? String(step.daysFromDue) : ''}
                    aria-label={`Step ${index + 1} days from due`}
                  />
                </td>
                <td>
                  <select name={`stepAction${index}`} aria-label={`Step ${index + 1} action`}>
                    <option value="remind" selected={step?.action !== 'suspend'}>
                      Remind (SMS)
                    </option>
                    <option value="suspend" selected={step?.action === 'suspend'}>
                      Suspend
                    </option>
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function BillingSettingsPage(props: {
  shell: ConsoleShell;
  settings: BillingSettings;
  canWrite: boolean;
  cycleLengthMonthsMax: number;
  anchorDayMax: number;
  dunningStepsMax: number;
}) {
  const { settings } = props;
  return (
    <Layout title="Billing settings" shell={props.shell}>
      <h1>Billing</h1>
      <BillingSections currentPath={props.shell.currentPath} />
      <section class="card">
        <form method="post" action="/isp/billing/settings">
          <CsrfField token={props.shell.csrfToken} />
          <fieldset disabled={!props.canWrite}>
            <div class="row">
              <div>
                <label for="cycleLengthMonths">Cycle length</label>
                <select id="cycleLengthMonths" name="cycleLengthMonths">
                  {Array.from({ length: props.cycleLengthMonthsMax }, (_, index) => index + 1).map(
                    (months) => (
                      <option value={String(months)} selected={settings.cycle.lengthMonths === months}>
                        {months === 1 ? '1 month' : `${months} months`}
                      </option>
                    ),
                  )}
                </select>
              </div>
              <div>
                <label for="cycleAnchorDay">Cycle starts on</label>
                <select id="cycleAnchorDay" name="cycleAnchorDay">
                  <option value="signup_day" selected={settings.cycle.anchorDay === 'signup_day'}>
                    Each subscriber's signup day
                  </option>
                  {Array.from({ length: props.anchorDayMax }, (_, index) => index + 1).map((day) => (
                    <option value={String(day)} selected={settings.cycle.anchorDay === day}>
                      Day {day} of the month
                    </option>
                  ))}
                </select>
              </div>
              <div>
                <label for="dueDays">Invoice due after (days)</label>
                <input
                  id="dueDays"
                  name="dueDays"
                  type="number"
                  min={0}
                  max={90}
                  value={String(settings.dueDays)}
                />
              </div>
              <div>
                <label for="invoicePrefix">Invoice number prefix</label>
                <input
                  id="invoicePrefix"
                  name="invoicePrefix"
                  value={settings.invoicePrefix}
                  maxlength={8}
                  pattern="[A-Z0-9]*"
                />
              </div>
            </div>
            <label class="check">
              <input type="checkbox" name="wholeShillings" checked={settings.wholeShillings} /> Invoice in
              whole shillings
            </label>
            <p class="muted">
              M-Pesa moves whole shillings only. On, every invoice and prorated part is whole shillings (a
              plan priced with cents is billed to the nearest shilling), so subscribers can pay exactly what
              is due. Off, invoices keep cents and an M-Pesa payment of the next whole shilling leaves the
              difference as credit.
            </p>
            <h2>Dunning steps</h2>
            <p class="muted">
              What happens to an unpaid invoice, counted from its due date. Leave the days empty to remove a
              step; a payment that clears the balance reactivates at once.
            </p>
            <DunningRows steps={settings.dunningSteps} rowsMax={props.dunningStepsMax} />
            {props.canWrite ? <button type="submit">Save settings</button> : null}
          </fieldset>
        </form>
      </section>
    </Layout>
  );
}

function StatementTable(props: { statement: Statement }) {
  if (props.statement.entries.length === 0) return <Empty>Nothing on this account yet.</Empty>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>What</th>
            <th>Reference</th>
            <th>Amount</th>
            <th>Balance</th>
          </tr>
        </thead>
        <tbody>
          {[...props.statement.entries].reverse().map((entry) => (
            <tr data-entry-kind={entry.kind}>
              <td>{formatDateTime(entry.at)}</td>
              <td>{entry.kind.replace(/_/g, ' ')}</td>
              <td class="mono">{entry.reference}</td>
              <td>{formatKsh(entry.amountCents)}</td>
              <td>{formatKsh(entry.balanceAfterCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecordPaymentForm(props: { subscriberId: string; csrfToken: string; idempotencyKey: string }) {
  return (
    <section class="card">
      <h2>Record payment</h2>
      <form
        method="post"
        action={`/isp/billing/subscribers/${encodeURIComponent(props.subscriberId)}/payments`}
      >
        <CsrfField token={props.csrfToken} />
        {/* One key per form shown: a double submit records the payment once. */}
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <div class="row">
          <div>
            <label for="amount">Amount (Ksh)</label>
            <input id="amount" name="amount" inputmode="decimal" required placeholder="1500" />
          </div>
          <div>
            <label for="method">Method</label>
            <select id="method" name="method">
              <option value="cash">Cash</option>
              <option value="bank">Bank</option>
            </select>
          </div>
          <div>
            <label for="reference">Receipt or bank reference (optional)</label>
            <input id="reference" name="reference" maxlength={100} />
          </div>
        </div>
        <button type="submit">Record payment</button>
      </form>
    </section>
  );
}

function VoidInvoiceForm(props: { subscriberId: string; csrfToken: string; invoices: InvoiceOutput[] }) {
  const voidable = props.invoices.filter((invoice) => invoice.status !== 'void' && invoice.totalCents !== 0);
  if (voidable.length === 0) return null;
  return (
    <section class="card">
      <h2>Void an invoice</h2>
      <p class="muted">
        For an invoice issued in error: it no longer counts, money paid towards it becomes credit, and the
        cycle is not billed again.
      </p>
      <form method="post" action={`/isp/billing/subscribers/${encodeURIComponent(props.subscriberId)}/void`}>
        <CsrfField token={props.csrfToken} />
        <div class="row">
          <div>
            <label for="invoiceId">Invoice</label>
            <select id="invoiceId" name="invoiceId">
              {voidable.map((invoice) => (
                <option value={invoice.id}>
                  {invoice.number} · {invoice.cycleKey} · {formatKsh(invoice.totalCents)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="reason">Reason</label>
            <input id="reason" name="reason" required minlength={3} maxlength={200} />
          </div>
        </div>
        <button type="submit" class="danger">
          Void invoice
        </button>
      </form>
    </section>
  );
}

function RefundForm(props: {
  subscriberId: string;
  csrfToken: string;
  idempotencyKey: string;
  creditBalanceCents: number;
}) {
  if (props.creditBalanceCents <= 0) return null;
  return (
    <section class="card">
      <h2>Refund credit</h2>
      <p class="muted">
        In credit by {formatKsh(props.creditBalanceCents)}. Record money paid back to the subscriber.
      </p>
      <form
        method="post"
        action={`/isp/billing/subscribers/${encodeURIComponent(props.subscriberId)}/refunds`}
      >
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <div class="row">
          <div>
            <label for="refundAmount">Amount (Ksh)</label>
            <input id="refundAmount" name="amount" inputmode="decimal" required />
          </div>
          <div>
            <label for="refundMethod">Paid back by</label>
            <select id="refundMethod" name="method">
              <option value="mpesa">M-Pesa</option>
              <option value="cash">Cash</option>
              <option value="bank">Bank</option>
            </select>
          </div>
          <div>
            <label for="refundReference">Reference (optional)</label>
            <input id="refundReference" name="reference" maxlength={100} />
          </div>
        </div>
        <button type="submit">Record refund</button>
      </form>
    </section>
  );
}

export function SubscriberBillingPage(props: {
  shell: ConsoleShell;
  subscriber: SubscriberOutput;
  statement: Statement;
  invoices: InvoiceOutput[];
  hasMoreInvoices: boolean;
  canWrite: boolean;
  idempotencyKey: string;
}) {
  const { subscriber, statement } = props;
  const owes = statement.balanceCents > 0;
  return (
    <Layout title={`Billing · ${subscriber.username}`} shell={props.shell}>
      <p>
        <a href="/isp/billing">← Billing</a> · <a href={`/isp/subscribers/${subscriber.id}`}>Subscriber</a>
      </p>
      <h1>
        {subscriber.username} <StatusBadge status={subscriber.status} />
      </h1>
      <p class="muted">
        {subscriber.fullName} · account <span class="mono">{subscriber.accountNumber}</span> · service until{' '}
        {formatDateTime(subscriber.expiresAt)}
      </p>
      <div class="stats">
        <div class={owes ? 'stat owes' : 'stat'}>
          <span>{owes ? 'Owes' : statement.balanceCents < 0 ? 'In credit' : 'Balance'}</span>
          <b data-balance>{formatKsh(Math.abs(statement.balanceCents))}</b>
        </div>
        <div class="stat">
          <span>Outstanding on invoices</span>
          <b>{formatKsh(statement.outstandingCents)}</b>
        </div>
      </div>
      {props.canWrite ? (
        <RecordPaymentForm
          subscriberId={subscriber.id}
          csrfToken={props.shell.csrfToken}
          idempotencyKey={props.idempotencyKey}
        />
      ) : null}
      <h2>Invoices</h2>
      {props.invoices.length === 0 ? (
        <Empty>No invoices yet.</Empty>
      ) : (
        <InvoiceTable invoices={props.invoices} showSubscriber={false} />
      )}
      {props.hasMoreInvoices ? (
        <p>
          <a href={`/isp/billing?subscriber=${encodeURIComponent(subscriber.accountNumber)}`}>
            All invoices →
          </a>
        </p>
      ) : null}
      {props.canWrite ? (
        <>
          <VoidInvoiceForm
            subscriberId={subscriber.id}
            csrfToken={props.shell.csrfToken}
            invoices={props.invoices}
          />
          <RefundForm
            subscriberId={subscriber.id}
            csrfToken={props.shell.csrfToken}
            idempotencyKey={props.idempotencyKey}
            creditBalanceCents={statement.creditBalanceCents}
          />
        </>
      ) : null}
      <h2>Statement</h2>
      <StatementTable statement={statement} />
    </Layout>
  );
}
