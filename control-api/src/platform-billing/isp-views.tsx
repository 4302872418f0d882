// ISP console: the owner's Kiunga subscription — tier, state and its dates, balance, bank reference,
// notices, and the ways to pay (M-Pesa STK push, PayPal, bank transfer) or to choose Tier 2.
import { formatKsh } from '@kiunga/schemas';
import { CsrfField, Empty, formatDateTime, StatusBadge } from '../console/components';
import { type ConsoleShell, Layout } from '../console/layout';
import { type Language, type PageLanguage, t } from '../i18n';
import {
  TIER1_MONTHLY_FEE_CENTS,
  TIER2_MONTHLY_FEE_CENTS,
  TIER2_REVENUE_THRESHOLD_CENTS,
} from './core/tiers';
import { providerName, receiptPath } from './receipt';

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

/** The tier's name with its fee from the tier catalogue, in `language`. */
function tierName(tier: string, language: Language): string {
  if (tier === 'tier1')
    return t(language, 'platformPay.tier.tier1', { monthly: formatKsh(TIER1_MONTHLY_FEE_CENTS) });
  if (tier === 'tier2')
    return t(language, 'platformPay.tier.tier2', { monthly: formatKsh(TIER2_MONTHLY_FEE_CENTS) });
  return tier;
}

function stateText(status: PlatformAccountStatus, language: Language): string {
  switch (status.state) {
    case 'trial':
      return t(language, 'platformPay.state.trial', { date: formatDateTime(status.trialEndsAt) });
    case 'grace':
      return t(language, 'platformPay.state.grace', { date: formatDateTime(status.graceEndsAt) });
    case 'restricted':
      return t(language, 'platformPay.state.restricted');
    default:
      return status.nextChangeAt
        ? t(language, 'platformPay.state.paidUntil', { date: formatDateTime(status.nextChangeAt) })
        : t(language, 'platformPay.state.paid');
  }
}

function PayForms(props: { status: PlatformAccountStatus; csrfToken: string; language: Language }) {
  const { paymentMethods } = props.status;
  const { language } = props;
  return (
    <section class="card">
      <h2>{t(language, 'platformPay.pay.heading')}</h2>
      <p class="muted">{t(language, 'platformPay.pay.emptyAmount')}</p>
      {paymentMethods.mpesa ? (
        <form method="post" action="/isp/platform-account/mpesa">
          <CsrfField token={props.csrfToken} />
          <div class="row">
            <div>
              <label for="mpesaPhone">{t(language, 'platformPay.mpesa.phone')}</label>
              <input
                id="mpesaPhone"
                name="phone"
                type="tel"
                placeholder={t(language, 'platformPay.mpesa.phonePlaceholder')}
              />
            </div>
            <div>
              <label for="mpesaAmount">{t(language, 'platformPay.amount')}</label>
              <input id="mpesaAmount" name="amount" inputmode="decimal" />
            </div>
          </div>
          <button type="submit">{t(language, 'platformPay.mpesa.pay')}</button>
        </form>
      ) : (
        <p class="muted">{t(language, 'platformPay.mpesa.off')}</p>
      )}
      {paymentMethods.paypal ? (
        <form method="post" action="/isp/platform-account/paypal">
          <CsrfField token={props.csrfToken} />
          <label for="paypalAmount">
            {t(language, 'platformPay.paypal.amount', { currency: paymentMethods.paypal.currency })}
          </label>
          <input id="paypalAmount" name="amount" inputmode="decimal" />
          <button type="submit" class="secondary">
            {t(language, 'platformPay.paypal.pay')}
          </button>
        </form>
      ) : null}
      <h2>{t(language, 'platformPay.bank.heading')}</h2>
      <p>
        {t(language, 'platformPay.bank.useReference')}{' '}
        <b class="mono" data-bank-reference>
          {paymentMethods.bank.reference}
        </b>{' '}
        {t(language, 'platformPay.bank.credited')}
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

function PaymentList(props: { payments: readonly PlatformPaymentSummary[]; language: Language }) {
  const { language } = props;
  if (props.payments.length === 0) return <Empty>{t(language, 'platformPay.payments.none')}</Empty>;
  return (
    <div class="table-wrap">
      <table>
        <tbody>
          {props.payments.map((payment) => (
            <tr data-platform-payment={payment.id}>
              <td>{formatDateTime(payment.receivedAt)}</td>
              <td>{providerName(payment.provider, language)}</td>
              <td>{formatKsh(payment.amountCents)}</td>
              <td>
                <a href={receiptPath(payment.id)}>{t(language, 'platformPay.receipt.title')}</a>
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
  page: PageLanguage;
}) {
  const { status } = props;
  const { language } = props.page;
  const owes = status.balanceCents > 0;
  const monthly = formatKsh(TIER2_MONTHLY_FEE_CENTS);
  return (
    <Layout title={t(language, 'platformPay.title')} shell={props.shell} page={props.page}>
      <h1>{t(language, 'platformPay.heading')}</h1>
      <div class="stats">
        <div class="stat">
          <span>{t(language, 'platformPay.state')}</span>
          <b>
            <StatusBadge status={status.state} />
          </b>
        </div>
        <div class={owes ? 'stat owes' : 'stat'}>
          <span>
            {t(
              language,
              owes
                ? 'platformPay.youOwe'
                : status.balanceCents < 0
                  ? 'platformPay.inCredit'
                  : 'platformPay.balance',
            )}
          </span>
          <b data-platform-balance>{formatKsh(Math.abs(status.balanceCents))}</b>
        </div>
      </div>
      <section class="card">
        <p data-platform-state={status.state}>{stateText(status, language)}</p>
        <p>
          {t(language, 'platformPay.tier')} <b>{tierName(status.tier, language)}</b>
          {status.tier === 'tier1' && status.featureChoice ? ` · ${status.featureChoice}` : ''}
        </p>
        {status.tier === 'tier2' ? (
          <p class="muted">
            {status.optedTier2
              ? t(language, 'platformPay.tier.chosen')
              : t(language, 'platformPay.tier.reached', {
                  threshold: formatKsh(TIER2_REVENUE_THRESHOLD_CENTS),
                })}
          </p>
        ) : (
          <form method="post" action="/isp/platform-account/tier">
            <CsrfField token={props.shell.csrfToken} />
            <input type="hidden" name="tier" value="tier2" />
            <p class="muted">{t(language, 'platformPay.tier.offer', { monthly })}</p>
            <button
              type="submit"
              class="secondary"
              data-confirm={t(language, 'platformPay.tier.confirm', { monthly })}
            >
              {t(language, 'platformPay.tier.choose')}
            </button>
          </form>
        )}
      </section>
      <PayForms status={status} csrfToken={props.shell.csrfToken} language={language} />
      <h2>{t(language, 'platformPay.payments')}</h2>
      <PaymentList payments={props.payments} language={language} />
      <h2>{t(language, 'platformPay.notices')}</h2>
      {status.notices.length === 0 ? (
        <Empty>{t(language, 'platformPay.notices.none')}</Empty>
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
export function PaymentReceiptPage(props: {
  shell: ConsoleShell;
  receipt: PaymentReceipt;
  page: PageLanguage;
}) {
  const { receipt } = props;
  const { language } = props.page;
  return (
    <Layout title={t(language, 'platformPay.receipt.title')} shell={props.shell} page={props.page}>
      <h1>{t(language, 'platformPay.receipt.title')}</h1>
      <section class="card" data-receipt={receipt.id}>
        <p>
          {t(language, 'platformPay.receipt.received', {
            amount: formatKsh(receipt.amountCents),
            ispName: receipt.ispName,
            provider: providerName(receipt.provider, language),
          })}
        </p>
        <p>
          {t(language, 'platformPay.receipt.transaction')}{' '}
          <span class="mono">{receipt.providerTransactionId}</span>, {formatDateTime(receipt.receivedAt)}.
        </p>
        <p class="muted">{t(language, 'platformPay.receipt.number', { id: receipt.id })}</p>
      </section>
      <a href="/isp/platform-account">{t(language, 'platformPay.receipt.back')}</a>
    </Layout>
  );
}
