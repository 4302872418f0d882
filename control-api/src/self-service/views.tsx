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
import { type Language, type MessageKey, t } from '../i18n';
import type { PageLanguage } from '../i18n/request-language';
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

export type CustomerPageName =
  | 'overview'
  | 'invoices'
  | 'statement'
  | 'usage'
  | 'pay'
  | 'plan'
  | 'password'
  | 'email'
  | 'chat';

const navigation: Array<[CustomerPageName, MessageKey, string]> = [
  ['overview', 'account.nav.overview', ''],
  ['invoices', 'account.nav.invoices', '/invoices'],
  ['statement', 'account.nav.statement', '/statement'],
  ['usage', 'account.nav.usage', '/usage'],
  ['pay', 'account.nav.pay', '/pay'],
  ['plan', 'account.nav.plan', '/plan'],
  ['password', 'account.nav.password', '/password'],
  ['email', 'account.nav.email', '/email'],
  ['chat', 'account.nav.chat', '/chat'],
];

export interface PageFrame {
  branding: IspBranding;
  /** The page's language (`?lang`, the `lang` cookie, Accept-Language, the ISP's default; issue 14). */
  page: PageLanguage;
  slug: string;
  /** Present once signed in: shows the navigation and the sign-out form. */
  session?: { csrfToken: string; current: CustomerPageName | null };
  refreshSeconds?: number;
}

export function CustomerLayout(props: PageFrame & { title: string; children: Child }) {
  const { session } = props;
  const base = `/account/${props.slug}`;
  const { language } = props.page;
  return (
    <BrandedPage
      branding={props.branding}
      language={props.page}
      title={props.title}
      styles={styles}
      refreshSeconds={props.refreshSeconds}
      headerEnd={
        session ? (
          <form method="post" action={`${base}/logout`}>
            <input type="hidden" name="_csrf" value={session.csrfToken} />
            <button type="submit" class="link">
              {t(language, 'account.signOut')}
            </button>
          </form>
        ) : null
      }
      beforeMain={
        session ? (
          <nav>
            {navigation.map(([name, label, path]) => (
              <a href={`${base}${path}`} aria-current={session.current === name ? 'page' : undefined}>
                {t(language, label as 'account.nav.overview')}
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
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.login.title')}>
      <section>
        <h2>{t(language, 'account.login.heading')}</h2>
        {props.error ? <p class="error">{props.error}</p> : null}
        <form method="post" action={`/account/${props.slug}/login`}>
          <label>
            {t(language, 'account.login.loginLabel')}
            <input
              name="login"
              value={props.login ?? ''}
              required
              autocomplete="username"
              autocapitalize="none"
            />
          </label>
          <label>
            {t(language, 'account.login.passwordLabel')}
            <input type="password" name="password" required autocomplete="current-password" />
          </label>
          <button type="submit">{t(language, 'account.login.button')}</button>
        </form>
        <p class="note">{t(language, 'account.login.note')}</p>
        <p>
          <a href={`/account/${props.slug}/forgot-password`}>{t(language, 'account.forgot.link')}</a>
        </p>
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
          <a href={`/account/${props.slug}`}>{t(props.page.language, 'account.backToAccount')}</a>
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

const statusLabels: Record<string, MessageKey> = {
  active: 'account.status.active',
  expired: 'account.status.expired',
  suspended: 'account.status.suspended',
};

/** A label from a table of keys, or the raw value when the table has none (a status added later). */
function labelOf(language: Language, labels: Record<string, MessageKey>, value: string): string {
  const key = labels[value];
  return key === undefined ? value : t(language, key as 'account.status.active');
}

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
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.overview.title')}>
      <section>
        <h2>{profile.fullName || profile.username}</h2>
        <dl>
          <dt>{t(language, 'account.overview.account')}</dt>
          <dd id="account-number">{profile.accountNumber}</dd>
          <dt>{t(language, 'account.overview.status')}</dt>
          <dd id="status">{labelOf(language, statusLabels, profile.status)}</dd>
          <dt>{t(language, 'account.overview.plan')}</dt>
          <dd>{profile.planName}</dd>
          <dt>{t(language, 'account.overview.paidThrough')}</dt>
          <dd id="paid-through">
            {profile.expiresAt === null ? t(language, 'account.overview.notSet') : day(profile.expiresAt)}
          </dd>
          <dt>{t(language, owes ? 'account.overview.balanceDue' : 'account.overview.balance')}</dt>
          <dd id="balance" class={owes ? 'owes' : undefined}>
            {owes
              ? formatKshCents(statement.balanceCents)
              : statement.balanceCents < 0
                ? t(language, 'account.overview.credit', { amount: formatKshCents(-statement.balanceCents) })
                : formatKshCents(0)}
          </dd>
        </dl>
        <p>
          <a href={`/account/${props.slug}/pay`}>{t(language, 'account.payWithMpesa')}</a>
        </p>
      </section>
      {props.children}
    </CustomerLayout>
  );
}

const invoiceStatusLabels: Record<string, MessageKey> = {
  open: 'invoice.status.open',
  partially_paid: 'invoice.status.partially_paid',
  paid: 'invoice.status.paid',
  void: 'invoice.status.void',
};

export function InvoicesPage(props: PageFrame & { invoices: InvoiceOutput[] }) {
  const base = `/account/${props.slug}/invoices`;
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.invoices.title')}>
      <section>
        <h2>{t(language, 'account.invoices.title')}</h2>
        {props.invoices.length === 0 ? (
          <p class="note">{t(language, 'account.invoices.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t(language, 'account.invoices.invoice')}</th>
                <th>{t(language, 'account.invoices.due')}</th>
                <th class="amount">{t(language, 'account.invoices.total')}</th>
                <th>{t(language, 'account.invoices.status')}</th>
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
                  <td>{labelOf(language, invoiceStatusLabels, invoice.status)}</td>
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
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.invoice.title', { number: invoice.number })}>
      <section>
        <InvoiceDocument {...props.document} />
        <p class="actions">
          <a href={`/account/${props.slug}/invoices/${invoice.id}.pdf`}>
            {t(language, 'account.invoice.downloadPdf')}
          </a>
          {invoice.outstandingCents > 0 ? (
            <a href={`/account/${props.slug}/pay`}>{t(language, 'account.payWithMpesa')}</a>
          ) : null}
        </p>
      </section>
    </CustomerLayout>
  );
}

const entryLabels: Record<string, MessageKey> = {
  invoice: 'account.entry.invoice',
  payment: 'account.entry.payment',
  credit: 'account.entry.credit',
  refund: 'account.entry.refund',
  adjustment: 'account.entry.adjustment',
};

export function StatementPage(props: PageFrame & { statement: Statement; linesMax: number }) {
  const lines = props.statement.entries.slice(-props.linesMax).reverse();
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.statement.title')}>
      <section>
        <h2>{t(language, 'account.statement.title')}</h2>
        <p>
          {t(language, 'account.statement.balance')}{' '}
          <b id="statement-balance">{formatKshCents(props.statement.balanceCents)}</b>
          <span class="muted"> {t(language, 'account.statement.balanceNote')}</span>
        </p>
        <table>
          <thead>
            <tr>
              <th>{t(language, 'account.statement.date')}</th>
              <th>{t(language, 'account.statement.what')}</th>
              <th class="amount">{t(language, 'account.statement.amount')}</th>
              <th class="amount">{t(language, 'account.statement.balanceColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr>
                <td>{day(line.at)}</td>
                <td>{labelOf(language, entryLabels, line.kind)}</td>
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

function formatDuration(language: Language, seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return hours > 0
    ? t(language, 'duration.hoursMinutes', { hours, minutes })
    : t(language, 'duration.minutes', { minutes });
}

export function UsagePage(props: PageFrame & { sessions: UsageSession[]; usageChart?: UsageChartData }) {
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.usage.title')}>
      {props.usageChart ? <UsageChart {...props.usageChart} /> : null}
      <section>
        <h2>{t(language, 'account.usage.heading')}</h2>
        {props.sessions.length === 0 ? (
          <p class="note">{t(language, 'account.usage.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t(language, 'account.usage.started')}</th>
                <th>{t(language, 'account.usage.time')}</th>
                <th class="amount">{t(language, 'account.usage.down')}</th>
                <th class="amount">{t(language, 'account.usage.up')}</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((session) => (
                <tr>
                  <td>
                    {dayAndTime(session.startedAt)}
                    {session.isOpen ? t(language, 'account.usage.online') : ''}
                  </td>
                  <td>{formatDuration(language, session.sessionTimeSeconds)}</td>
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
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.pay.title')}>
      <section>
        <h2>{t(language, 'account.pay.title')}</h2>
        {props.error ? <p class="error">{props.error}</p> : null}
        <p>
          {t(language, 'account.pay.amountDue')}{' '}
          <b id="amount-due">{formatKshCents(props.outstandingCents)}</b>
        </p>
        {props.creditLeftCents > 0 ? (
          <p class="note" id="whole-shillings">
            {t(language, 'account.pay.wholeShillings', { credit: formatKshCents(props.creditLeftCents) })}
          </p>
        ) : null}
        <form method="post" action={`/account/${props.slug}/pay`} id="pay">
          <input type="hidden" name="_csrf" value={props.session?.csrfToken ?? ''} />
          <label>
            {t(language, 'account.pay.amountLabel')}
            <input name="amount" inputmode="numeric" pattern="[0-9]*" value={props.shillings} required />
          </label>
          <label>
            {t(language, 'account.pay.phoneLabel')}
            <input
              type="tel"
              name="phone"
              value={props.phone}
              placeholder="0712 345 678"
              required
              autocomplete="tel"
            />
          </label>
          <button type="submit">{t(language, 'account.pay.button')}</button>
        </form>
        <p class="note">{t(language, 'account.pay.note', { account: props.accountNumber })}</p>
      </section>
    </CustomerLayout>
  );
}

export function PaymentStatusPage(props: PageFrame & { payment: SubscriberPaymentView }) {
  const { payment } = props;
  const base = `/account/${props.slug}`;
  const { language } = props.page;
  const amount = formatKshCents(payment.amountCents);
  const body =
    payment.status === 'pending' ? (
      <p class="note" id="payment-status">
        {t(language, 'account.payment.pending', { amount })}
      </p>
    ) : payment.status === 'paid' ? (
      <p class="ok" id="payment-status">
        {t(language, 'account.payment.paid', { amount, receipt: payment.receipt ?? '' })}
      </p>
    ) : (
      <p class="error" id="payment-status">
        {payment.message}
      </p>
    );
  return (
    <CustomerLayout
      {...props}
      title={t(language, 'account.payment.title')}
      refreshSeconds={payment.status === 'pending' ? 3 : undefined}
    >
      <section>
        <h2>{t(language, 'account.payment.title')}</h2>
        {body}
        <p class="actions">
          <a href={base}>{t(language, 'account.payment.myAccount')}</a>
          {payment.status === 'failed' ? (
            <a href={`${base}/pay`}>{t(language, 'account.payment.tryAgain')}</a>
          ) : null}
        </p>
      </section>
    </CustomerLayout>
  );
}
