// ISP console: the owner's Kiunga subscription — tier, state and its dates, balance, bank reference,
// notices, and the ways to pay (M-Pesa STK push, PayPal, bank transfer) or to choose Tier 2.
import { formatKsh } from '@kiunga/schemas';
import { CsrfField, Empty, formatDateTime, StatusBadge } from '../console/components';
import { type ConsoleShell, Layout } from '../console/layout';
import { TIER2_MONTHLY_FEE_CENTS, TIER2_REVENUE_THRESHOLD_CENTS, tierDescription } from './core/tiers';
import { PAYMENT_PROVIDER_NAMES, receiptPath } from './receipt';

export interface PlatformAccountStatus {
  tier: string;
  featureChoice: string | null;
  optedTier2: boolean;
  state: 'trial' | 'active' | 'grace' | 'restricted';
  trialEndsAt: number | null;
  balanceCents: number;
  graceEndsAt: number | null;
  nextChangeAt: number | null;
  bankReference: string;
  notices: Array<{ id: string; kind: string; message: string; createdAt: number }>;
  paymentMethods: {
    mpesa: boolean;
    paypal: { currency: string; kesCentsPerUsd: number } | null;
    bank: { reference: string; instructions: string };
  };
}

const TIER_NAMES: Record<string, string> = {
  tier1: tierDescription('tier1'),
  tier2: tierDescription('tier2'),
};

function stateText(status: PlatformAccountStatus): string {
  switch (status.state) {
    case 'trial':
      return `Free trial until ${formatDateTime(status.trialEndsAt)}.`;
    case 'grace':
      return `Payment overdue: pay by ${formatDateTime(status.graceEndsAt)} or the console becomes read-only.`;
    case 'restricted':
      return 'Read-only until paid. Your clients keep their service.';
    default:
      return status.nextChangeAt
        ? `Paid up; next payment due ${formatDateTime(status.nextChangeAt)}.`
        : 'Paid up.';
  }
}

function PayForms(props: { status: PlatformAccountStatus; csrfToken: string }) {
  const { paymentMethods } = props.status;
  return (
    <section class="card">
      <h2>Pay Kiunga</h2>
      <p class="muted">Leave the amount empty to pay everything owed.</p>
      {paymentMethods.mpesa ? (
        <form method="post" action="/isp/platform-account/mpesa">
          <CsrfField token={props.csrfToken} />
          <div class="row">
            <div>
              <label for="mpesaPhone">M-Pesa phone</label>
              <input id="mpesaPhone" name="phone" type="tel" placeholder="Empty: your contact phone" />
            </div>
            <div>
              <label for="mpesaAmount">Amount (Ksh)</label>
              <input id="mpesaAmount" name="amount" inputmode="decimal" />
            </div>
          </div>
          <button type="submit">Pay with M-Pesa</button>
        </form>
      ) : (
        <p class="muted">M-Pesa payments to Kiunga are not set up on this server.</p>
      )}
      {paymentMethods.paypal ? (
        <form method="post" action="/isp/platform-account/paypal">
          <CsrfField token={props.csrfToken} />
          <label for="paypalAmount">Amount (Ksh, charged in {paymentMethods.paypal.currency})</label>
          <input id="paypalAmount" name="amount" inputmode="decimal" />
          <button type="submit" class="secondary">
            Pay with PayPal
          </button>
        </form>
      ) : null}
      <h2>Bank transfer</h2>
      <p>
        Use reference{' '}
        <b class="mono" data-bank-reference>
          {paymentMethods.bank.reference}
        </b>{' '}
        so your payment is credited to this account.
      </p>
      {paymentMethods.bank.instructions ? <p class="muted">{paymentMethods.bank.instructions}</p> : null}
    </section>
  );
}

/** One payment to Kiunga in the owner's list, with its receipt. */
export interface PlatformPaymentSummary {
  id: string;
  provider: string;
  amountCents: number;
  receivedAt: number;
}

function PaymentList(props: { payments: readonly PlatformPaymentSummary[] }) {
  if (props.payments.length === 0) return <Empty>No payments to Kiunga yet.</Empty>;
  return (
    <div class="table-wrap">
      <table>
        <tbody>
          {props.payments.map((payment) => (
            <tr data-platform-payment={payment.id}>
              <td>{formatDateTime(payment.receivedAt)}</td>
              <td>{PAYMENT_PROVIDER_NAMES[payment.provider] ?? payment.provider}</td>
              <td>{formatKsh(payment.amountCents)}</td>
              <td>
                <a href={receiptPath(payment.id)}>Receipt</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PlatformAccountPage(props: {
  shell: ConsoleShell;
  status: PlatformAccountStatus;
  payments: readonly PlatformPaymentSummary[];
}) {
  const { status } = props;
  const owes = status.balanceCents > 0;
  return (
    <Layout title="Platform account" shell={props.shell}>
      <h1>Kiunga subscription</h1>
      <div class="stats">
        <div class="stat">
          <span>State</span>
          <b>
            <StatusBadge status={status.state} />
          </b>
        </div>
        <div class={owes ? 'stat owes' : 'stat'}>
          <span>{owes ? 'You owe' : status.balanceCents < 0 ? 'In credit' : 'Balance'}</span>
          <b data-platform-balance>{formatKsh(Math.abs(status.balanceCents))}</b>
        </div>
      </div>
      <section class="card">
        <p data-platform-state={status.state}>{stateText(status)}</p>
        <p>
          Tier: <b>{TIER_NAMES[status.tier] ?? status.tier}</b>
          {status.tier === 'tier1' && status.featureChoice ? ` · ${status.featureChoice}` : ''}
        </p>
        {status.tier === 'tier2' ? (
          <p class="muted">
            {status.optedTier2
              ? 'You chose Tier 2.'
              : `Tier 2 because your monthly revenue through Kiunga reached ${formatKsh(TIER2_REVENUE_THRESHOLD_CENTS)}.`}
          </p>
        ) : (
          <form method="post" action="/isp/platform-account/tier">
            <CsrfField token={props.shell.csrfToken} />
            <input type="hidden" name="tier" value="tier2" />
            <p class="muted">
              Tier 2 gives every feature (Hotspot, PPPoE/Static and SMS) for{' '}
              {formatKsh(TIER2_MONTHLY_FEE_CENTS)} a month.
            </p>
            <button
              type="submit"
              class="secondary"
              data-confirm={`Move to Tier 2 at ${formatKsh(TIER2_MONTHLY_FEE_CENTS)} a month from next month?`}
            >
              Choose Tier 2
            </button>
          </form>
        )}
      </section>
      <PayForms status={status} csrfToken={props.shell.csrfToken} />
      <h2>Payments</h2>
      <PaymentList payments={props.payments} />
      <h2>Notices</h2>
      {status.notices.length === 0 ? (
        <Empty>No notices from Kiunga.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <tbody>
              {status.notices.map((notice) => (
                <tr>
                  <td>{formatDateTime(notice.createdAt)}</td>
                  <td style="white-space:normal">{notice.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

export interface PaymentReceipt {
  id: string;
  ispName: string;
  provider: string;
  providerTransactionId: string;
  amountCents: number;
  receivedAt: number;
}

/** The receipt of one payment to Kiunga (issue 15): printable from the browser. */
export function PaymentReceiptPage(props: { shell: ConsoleShell; receipt: PaymentReceipt }) {
  const { receipt } = props;
  return (
    <Layout title="Receipt" shell={props.shell}>
      <h1>Receipt</h1>
      <section class="card" data-receipt={receipt.id}>
        <p>
          Kiunga received <b>{formatKsh(receipt.amountCents)}</b> from {receipt.ispName} by{' '}
          {PAYMENT_PROVIDER_NAMES[receipt.provider] ?? receipt.provider}.
        </p>
        <p>
          Transaction <span class="mono">{receipt.providerTransactionId}</span>,{' '}
          {formatDateTime(receipt.receivedAt)}.
        </p>
        <p class="muted">Receipt number {receipt.id}.</p>
      </section>
      <a href="/isp/platform-account">Back to the Kiunga subscription</a>
    </Layout>
  );
}
