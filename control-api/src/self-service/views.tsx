// The subscriber's self-service pages: small, phone-first, in the ISP's colours, no JavaScript
// (a pending M-Pesa payment page refreshes itself).
import type { Child } from 'hono/jsx';
import { formatLocalDate, localDateOf, NAIROBI_OFFSET_MS } from '../billing/core/calendar';
import { formatKshCents, InvoiceDocument, type InvoiceDocumentInput } from '../billing/invoice-document';
import type { InvoiceOutput, Statement } from '../billing/queries';
import type { IspBranding } from '../console/branded-page';
import { BrandedPage } from '../console/branded-page';
import type { UsageChartData } from '../features/usage/service';
import { UsageChart } from '../features/usage/views';
import type { SubscriberPaymentView } from './payment';
import type { SubscriberProfile, UsageSession } from './store';

const styles = `*{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,sans-serif;color:#1f2937;background:#f3f4f6}
header{background:var(--primary);color:#fff;padding:10px 14px;display:flex;gap:10px;align-items:center}
header img{height:28px}header h1{font-size:1.1rem;margin:0;flex:1}main{max-width:480px;margin:0 auto;padding:10px}
nav{display:flex;flex-wrap:wrap;gap:6px;padding:8px 10px;background:#fff;border-bottom:1px solid #e5e7eb}
nav a{padding:6px 10px;border-radius:16px;background:#f3f4f6;color:#111;text-decoration:none;font-size:.9rem}
nav a[aria-current]{background:var(--primary);color:#fff}
section{background:#fff;border-radius:10px;padding:14px;margin:10px 0;box-shadow:0 1px 2px #0002;overflow-x:auto}
h2{font-size:1.05rem;margin:0 0 8px}dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}dt{color:#6b7280}dd{margin:0;font-weight:600}
table{width:100%;border-collapse:collapse;font-size:.9rem}th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #e5e7eb}
td.amount,th.amount{text-align:right;white-space:nowrap}.totals td{font-weight:600;border:none}
input{width:100%;padding:10px;font-size:1rem;border:1px solid #9ca3af;border-radius:8px}label{display:block;margin:8px 0}
button{width:100%;margin-top:10px;padding:12px;font-size:1rem;border:0;border-radius:8px;background:var(--accent);color:#111;font-weight:600}
button.link{background:none;width:auto;margin:0;padding:4px;color:#fff;text-decoration:underline;font-weight:400}
.note,.muted{font-size:.9rem;color:#4b5563}.error{background:#fee2e2;color:#991b1b;padding:10px;border-radius:8px}
.ok{background:#dcfce7;color:#166534;padding:10px;border-radius:8px}.owes{color:#991b1b}.actions a{margin-right:12px}`;

export type CustomerPageName = 'overview' | 'invoices' | 'statement' | 'usage' | 'pay' | 'plan' | 'password';

const navigation: Array<[CustomerPageName, string, string]> = [
  ['overview', 'Account', ''],
  ['invoices', 'Invoices', '/invoices'],
  ['statement', 'Statement', '/statement'],
  ['usage', 'Usage', '/usage'],
  ['pay', 'Pay', '/pay'],
  ['plan', 'Plan', '/plan'],
  ['password', 'Password', '/password'],
];

export interface PageFrame {
  branding: IspBranding;
  slug: string;
  /** Present once signed in: shows the navigation and the sign-out form. */
  session?: { csrfToken: string; current: CustomerPageName | null };
  refreshSeconds?: number;
}

export function CustomerLayout(props: PageFrame & { title: string; children: Child }) {
  const { session } = props;
  const base = `/account/${props.slug}`;
  return (
    <BrandedPage
      branding={props.branding}
      title={props.title}
      styles={styles}
      refreshSeconds={props.refreshSeconds}
      headerEnd={
        session ? (
          <form method="post" action={`${base}/logout`}>
            <input type="hidden" name="_csrf" value={session.csrfToken} />
            <button type="submit" class="link">
              Sign out
            </button>
          </form>
        ) : null
      }
      beforeMain={
        session ? (
          <nav>
            {navigation.map(([name, label, path]) => (
              <a href={`${base}${path}`} aria-current={session.current === name ? 'page' : undefined}>
                {label}
              </a>
            ))}
          </nav>
        ) : null
      }
    >
      {props.children}
    </BrandedPage>
  );
}

export function LoginPage(props: PageFrame & { error?: string | null; login?: string }) {
  return (
    <CustomerLayout {...props} title="Sign in">
      <section>
        <h2>My account</h2>
        {props.error ? <p class="error">{props.error}</p> : null}
        <form method="post" action={`/account/${props.slug}/login`}>
          <label>
            Username or account number
            <input
              name="login"
              value={props.login ?? ''}
              required
              autocomplete="username"
              autocapitalize="none"
            />
          </label>
          <label>
            Password
            <input type="password" name="password" required autocomplete="current-password" />
          </label>
          <button type="submit">Sign in</button>
        </form>
        <p class="note">Use the username and password your provider gave you for your connection.</p>
      </section>
    </CustomerLayout>
  );
}

export function MessagePage(
  props: PageFrame & { title: string; kind: 'ok' | 'error' | 'note'; message: string },
) {
  return (
    <CustomerLayout {...props} title={props.title}>
      <section>
        <h2>{props.title}</h2>
        <p class={props.kind}>{props.message}</p>
        <p>
          <a href={`/account/${props.slug}`}>Back to my account</a>
        </p>
      </section>
    </CustomerLayout>
  );
}

const day = (timeMs: number) => formatLocalDate(localDateOf(timeMs));

function dayAndTime(timeMs: number): string {
  const shifted = new Date(timeMs + NAIROBI_OFFSET_MS);
  return `${day(timeMs)} ${String(shifted.getUTCHours()).padStart(2, '0')}:${String(shifted.getUTCMinutes()).padStart(2, '0')}`;
}

const statusLabels: Record<string, string> = {
  active: 'Active',
  expired: 'Expired: pay to reconnect',
  suspended: 'Suspended: pay what is due to reconnect',
};

export function OverviewPage(
  props: PageFrame & {
    profile: SubscriberProfile;
    statement: Statement;
    /** Sections other features add below the account (the referral code, issue 13). */
    children?: Child;
  },
) {
  const { profile, statement } = props;
  const owes = statement.balanceCents > 0;
  return (
    <CustomerLayout {...props} title="My account">
      <section>
        <h2>{profile.fullName || profile.username}</h2>
        <dl>
          <dt>Account</dt>
          <dd id="account-number">{profile.accountNumber}</dd>
          <dt>Status</dt>
          <dd id="status">{statusLabels[profile.status] ?? profile.status}</dd>
          <dt>Plan</dt>
          <dd>{profile.planName}</dd>
          <dt>Paid through</dt>
          <dd id="paid-through">{profile.expiresAt === null ? 'Not set' : day(profile.expiresAt)}</dd>
          <dt>{owes ? 'Balance due' : 'Balance'}</dt>
          <dd id="balance" class={owes ? 'owes' : undefined}>
            {owes
              ? formatKshCents(statement.balanceCents)
              : statement.balanceCents < 0
                ? `${formatKshCents(-statement.balanceCents)} credit`
                : formatKshCents(0)}
          </dd>
        </dl>
        <p>
          <a href={`/account/${props.slug}/pay`}>Pay with M-Pesa</a>
        </p>
      </section>
      {props.children}
    </CustomerLayout>
  );
}

const invoiceStatusLabels: Record<string, string> = {
  open: 'Unpaid',
  partially_paid: 'Partly paid',
  paid: 'Paid',
  void: 'Void',
};

export function InvoicesPage(props: PageFrame & { invoices: InvoiceOutput[] }) {
  const base = `/account/${props.slug}/invoices`;
  return (
    <CustomerLayout {...props} title="Invoices">
      <section>
        <h2>Invoices</h2>
        {props.invoices.length === 0 ? (
          <p class="note">No invoices yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Invoice</th>
                <th>Due</th>
                <th class="amount">Total</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {props.invoices.map((invoice) => (
                <tr>
                  <td>
                    <a href={`${base}/${invoice.id}`}>{invoice.number}</a>
                  </td>
                  <td>{day(invoice.dueAt)}</td>
                  <td class="amount">{formatKshCents(invoice.totalCents)}</td>
                  <td>{invoiceStatusLabels[invoice.status] ?? invoice.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </CustomerLayout>
  );
}

export function InvoicePage(props: PageFrame & { document: InvoiceDocumentInput }) {
  const { invoice } = props.document;
  return (
    <CustomerLayout {...props} title={`Invoice ${invoice.number}`}>
      <section>
        <InvoiceDocument {...props.document} />
        <p class="actions">
          <a href={`/account/${props.slug}/invoices/${invoice.id}.pdf`}>Download PDF</a>
          {invoice.outstandingCents > 0 ? <a href={`/account/${props.slug}/pay`}>Pay with M-Pesa</a> : null}
        </p>
      </section>
    </CustomerLayout>
  );
}

const entryLabels: Record<string, string> = {
  invoice: 'Invoice',
  payment: 'Payment',
  credit: 'Credit',
  refund: 'Refund',
  adjustment: 'Adjustment',
};

export function StatementPage(props: PageFrame & { statement: Statement; linesMax: number }) {
  const lines = props.statement.entries.slice(-props.linesMax).reverse();
  return (
    <CustomerLayout {...props} title="Statement">
      <section>
        <h2>Statement</h2>
        <p>
          Balance: <b id="statement-balance">{formatKshCents(props.statement.balanceCents)}</b>
          <span class="muted"> (positive: you owe; negative: credit)</span>
        </p>
        <table>
          <thead>
            <tr>
              <th>Date</th>
              <th>What</th>
              <th class="amount">Amount</th>
              <th class="amount">Balance</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr>
                <td>{day(line.at)}</td>
                <td>{entryLabels[line.kind] ?? line.kind}</td>
                <td class="amount">{formatKshCents(line.amountCents)}</td>
                <td class="amount">{formatKshCents(line.balanceAfterCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </CustomerLayout>
  );
}

function formatBytes(octets: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = octets;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

export function UsagePage(props: PageFrame & { sessions: UsageSession[]; usageChart?: UsageChartData }) {
  return (
    <CustomerLayout {...props} title="Usage">
      {props.usageChart ? <UsageChart {...props.usageChart} /> : null}
      <section>
        <h2>Recent sessions</h2>
        {props.sessions.length === 0 ? (
          <p class="note">No sessions yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>Time</th>
                <th class="amount">Down</th>
                <th class="amount">Up</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((session) => (
                <tr>
                  <td>
                    {dayAndTime(session.startedAt)}
                    {session.isOpen ? ' (online)' : ''}
                  </td>
                  <td>{formatDuration(session.sessionTimeSeconds)}</td>
                  <td class="amount">{formatBytes(session.downloadOctets)}</td>
                  <td class="amount">{formatBytes(session.uploadOctets)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </CustomerLayout>
  );
}

export function PayPage(
  props: PageFrame & {
    outstandingCents: number;
    /** What paying the suggested whole shillings leaves as credit (the due amount has cents). */
    creditLeftCents: number;
    phone: string;
    shillings: string;
    accountNumber: string;
    error?: string | null;
  },
) {
  return (
    <CustomerLayout {...props} title="Pay with M-Pesa">
      <section>
        <h2>Pay with M-Pesa</h2>
        {props.error ? <p class="error">{props.error}</p> : null}
        <p>
          Amount due: <b id="amount-due">{formatKshCents(props.outstandingCents)}</b>
        </p>
        {props.creditLeftCents > 0 ? (
          <p class="note" id="whole-shillings">
            M-Pesa takes whole shillings only, so the amount below is rounded up to the next shilling. The
            extra {formatKshCents(props.creditLeftCents)} stays on your account as credit towards your next
            invoice.
          </p>
        ) : null}
        <form method="post" action={`/account/${props.slug}/pay`} id="pay">
          <input type="hidden" name="_csrf" value={props.session?.csrfToken ?? ''} />
          <label>
            Amount (Ksh, whole shillings)
            <input name="amount" inputmode="numeric" pattern="[0-9]*" value={props.shillings} required />
          </label>
          <label>
            M-Pesa number
            <input
              type="tel"
              name="phone"
              value={props.phone}
              placeholder="0712 345 678"
              required
              autocomplete="tel"
            />
          </label>
          <button type="submit">Pay</button>
        </form>
        <p class="note">
          You get a prompt on your phone: enter your M-Pesa PIN. Account reference {props.accountNumber}.
        </p>
      </section>
    </CustomerLayout>
  );
}

export function PaymentStatusPage(props: PageFrame & { payment: SubscriberPaymentView }) {
  const { payment } = props;
  const base = `/account/${props.slug}`;
  const body =
    payment.status === 'pending' ? (
      <p class="note" id="payment-status">
        Check your phone and enter your M-Pesa PIN to pay {formatKshCents(payment.amountCents)}. This page
        updates by itself.
      </p>
    ) : payment.status === 'paid' ? (
      <p class="ok" id="payment-status">
        Paid {formatKshCents(payment.amountCents)}. M-Pesa receipt {payment.receipt}. Thank you.
      </p>
    ) : (
      <p class="error" id="payment-status">
        {payment.message}
      </p>
    );
  return (
    <CustomerLayout
      {...props}
      title="M-Pesa payment"
      refreshSeconds={payment.status === 'pending' ? 3 : undefined}
    >
      <section>
        <h2>M-Pesa payment</h2>
        {body}
        <p class="actions">
          <a href={base}>My account</a>
          {payment.status === 'failed' ? <a href={`${base}/pay`}>Try again</a> : null}
        </p>
      </section>
    </CustomerLayout>
  );
}
