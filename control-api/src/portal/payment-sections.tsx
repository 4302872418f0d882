// The captive portal's M-Pesa parts, which depend on whether the ISP can take payments: "Buy" (the page
// script follows the payment live; without JavaScript the form posts), the line shown instead when it
// cannot, and the voucher recovery form (receipt proof; works without JavaScript).
import type { Child } from 'hono/jsx';
import { type Language, t, tCount } from '../i18n';
import type { PortalPayments } from '../mpesa/availability';
import type { PortalPlan } from './portal-plan';

const unavailableLines = {
  not_configured: 'portal.payments.notConfigured',
  unavailable: 'portal.payments.unavailable',
} as const satisfies Record<Exclude<PortalPayments, 'ready'>, string>;

/** Packages with their price, the M-Pesa number, and "Buy"; `id="buy"` is what the page script takes over. */
export function BuySection(props: {
  language: Language;
  base: string;
  plans: PortalPlan[];
  routerFields: Child;
  /** The router's CHAP id and challenge for the page script (router-login.ts), when it offered CHAP. */
  formAttributes?: Record<string, string>;
}) {
  const { language } = props;
  return (
    <section>
      <h2>{t(language, 'portal.buy.heading')}</h2>
      {props.plans.length === 0 ? (
        <p class="note">{t(language, 'portal.buy.noPackages')}</p>
      ) : (
        <form id="buy" method="post" action={`${props.base}/buy`} {...(props.formAttributes ?? {})}>
          {props.plans.map((plan, index) => (
            <label class="plan">
              <span>
                <input type="radio" name="planId" value={plan.id} checked={index === 0} /> {plan.name}
                <br />
                <span class="note">
                  {plan.validityText} · {tCount(language, 'portal.buy.devices', plan.deviceLimit)}
                </span>
              </span>
              <b>{t(language, 'portal.buy.price', { amount: plan.priceShillings })}</b>
            </label>
          ))}
          <label>
            {t(language, 'portal.buy.phoneLabel')}
            <input type="tel" name="phone" placeholder="0712 345 678" required autocomplete="tel" />
          </label>
          {props.routerFields}
          <button type="submit">{t(language, 'portal.buy.button')}</button>
          <p class="note" id="status" aria-live="polite"></p>
        </form>
      )}
    </section>
  );
}

export function PaymentsUnavailable(props: {
  language: Language;
  payments: Exclude<PortalPayments, 'ready'>;
}) {
  return (
    <section>
      <h2>{t(props.language, 'portal.buy.unavailableHeading')}</h2>
      <p class="note" id="payments-unavailable">
        {t(props.language, unavailableLines[props.payments])}
      </p>
    </section>
  );
}

/** Phone and M-Pesa receipt: the receipt from the payer's SMS is the proof (recovery.ts). */
export function RecoverForm(props: { language: Language; action: string; routerFields: Child }) {
  const { language } = props;
  return (
    <section>
      <h2>{t(language, 'portal.recover.heading')}</h2>
      <form method="post" action={props.action} id="recover">
        <label>
          {t(language, 'portal.recover.phoneLabel')}
          <input type="tel" name="phone" placeholder="0712 345 678" required autocomplete="tel" />
        </label>
        <label>
          {t(language, 'portal.recover.receiptLabel')}
          <input
            type="text"
            name="receipt"
            placeholder="NLJ7RT61SV"
            required
            autocapitalize="characters"
            autocomplete="off"
            maxlength={64}
          />
        </label>
        {props.routerFields}
        <button type="submit">{t(language, 'portal.recover.button')}</button>
      </form>
    </section>
  );
}
