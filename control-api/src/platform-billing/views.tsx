// Platform console billing: every ISP's Kiunga account (tier, state, balance, bank reference), recording
// a bank transfer by its reference, and matching payments whose reference fitted no ISP.
import { formatKsh } from '@kiunga/schemas';
import { CsrfField, Empty, formatDateTime, PostButton, StatusBadge } from '../console/components';
import { type ConsoleShell, Layout } from '../console/layout';

export interface PlatformTenantAccount {
  tenantId: string;
  slug: string;
  name: string;
  tier: string;
  state: string;
  trialEndsAt: number | null;
  graceEndsAt: number | null;
  balanceCents: number;
  bankReference: string;
}

export interface PlatformPayment {
  id: string;
  provider: string;
  providerTransactionId: string;
  amountCents: number;
  reference: string | null;
  receivedAt: number;
}

function stateDate(account: PlatformTenantAccount): string {
  if (account.state === 'trial') return `until ${formatDateTime(account.trialEndsAt)}`;
  if (account.state === 'grace') return `read-only from ${formatDateTime(account.graceEndsAt)}`;
  return '';
}

function AccountsTable(props: { accounts: PlatformTenantAccount[] }) {
  if (props.accounts.length === 0) return <Empty>No ISPs are billed yet.</Empty>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>ISP</th>
            <th>Tier</th>
            <th>State</th>
            <th>Owes</th>
            <th>Bank reference</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((account) => (
            <tr data-tenant={account.slug}>
              <td>
                <a href={`/platform/tenants/${encodeURIComponent(account.tenantId)}`}>{account.name}</a>
              </td>
              <td>{account.tier}</td>
              <td>
                <StatusBadge status={account.state} /> <span class="muted">{stateDate(account)}</span>
              </td>
              <td data-balance>{formatKsh(account.balanceCents)}</td>
              <td class="mono">{account.bankReference}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BankPaymentForm(props: { csrfToken: string; draft: Record<string, string> | null }) {
  const draft = props.draft ?? {};
  return (
    <section class="card">
      <h2>Record a bank payment</h2>
      <form method="post" action="/platform/billing/bank-payments">
        <CsrfField token={props.csrfToken} />
        <div class="row">
          <div>
            <label for="reference">Reference on the bank line</label>
            <input
              id="reference"
              name="reference"
              required
              value={draft.reference ?? ''}
              placeholder="KIU-XXXXXX"
            />
          </div>
          <div>
            <label for="amount">Amount (Ksh)</label>
            <input id="amount" name="amount" required inputmode="decimal" value={draft.amount ?? ''} />
          </div>
          <div>
            <label for="bankTransactionId">Bank transaction id</label>
            <input
              id="bankTransactionId"
              name="bankTransactionId"
              required
              maxlength={100}
              value={draft.bankTransactionId ?? ''}
            />
          </div>
        </div>
        <p class="muted">Recording the same bank transaction twice records it once.</p>
        <button type="submit">Record bank payment</button>
      </form>
    </section>
  );
}

function UnmatchedTable(props: {
  payments: PlatformPayment[];
  accounts: PlatformTenantAccount[];
  csrfToken: string;
}) {
  if (props.payments.length === 0) return <Empty>No unmatched payments.</Empty>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Received</th>
            <th>Method</th>
            <th>Reference given</th>
            <th>Amount</th>
            <th>Match to ISP</th>
          </tr>
        </thead>
        <tbody>
          {props.payments.map((payment) => (
            <tr data-payment={payment.providerTransactionId}>
              <td>{formatDateTime(payment.receivedAt)}</td>
              <td>{payment.provider}</td>
              <td class="mono">{payment.reference ?? '—'}</td>
              <td>{formatKsh(payment.amountCents)}</td>
              <td>
                <form
                  method="post"
                  action={`/platform/billing/payments/${encodeURIComponent(payment.id)}/match`}
                  class="inline-form"
                >
                  <CsrfField token={props.csrfToken} />
                  <select name="tenantId" aria-label={`ISP for ${payment.providerTransactionId}`}>
                    {props.accounts.map((account) => (
                      <option value={account.tenantId}>
                        {account.name} ({account.bankReference})
                      </option>
                    ))}
                  </select>
                  <button type="submit">Match</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PlatformBillingPage(props: {
  shell: ConsoleShell;
  accounts: PlatformTenantAccount[];
  unmatched: PlatformPayment[];
  draft: Record<string, string> | null;
}) {
  return (
    <Layout title="Billing" shell={props.shell}>
      <h1>ISP billing</h1>
      <AccountsTable accounts={props.accounts} />
      <p class="muted">
        Billing also runs on its own schedule; running it now issues due charges and moves ISPs between trial,
        grace, read-only and active. Safe to repeat.
      </p>
      <PostButton
        action="/platform/billing/run"
        csrfToken={props.shell.csrfToken}
        label="Run billing now"
        variant="secondary"
      />
      <BankPaymentForm csrfToken={props.shell.csrfToken} draft={props.draft} />
      <h2>Unmatched payments</h2>
      <UnmatchedTable
        payments={props.unmatched}
        accounts={props.accounts}
        csrfToken={props.shell.csrfToken}
      />
    </Layout>
  );
}
