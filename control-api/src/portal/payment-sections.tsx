// The captive portal's M-Pesa parts, which depend on whether the ISP can take payments: "Buy" (the page
// script follows the payment live; without JavaScript the form posts), the line shown instead when it
// cannot, and the voucher recovery form (receipt proof; works without JavaScript).
import type { Child } from 'hono/jsx';
import type { PortalPayments } from '../mpesa/availability';
import type { PortalPlan } from './portal-plan';

const unavailableLines: Record<Exclude<PortalPayments, 'ready'>, string> = {
  not_configured:
    'Payments are not set up on this network yet, so packages cannot be bought here. Connect with a voucher from your provider.',
  unavailable: 'M-Pesa payments are not available right now. Connect with a voucher, or try again later.',
};

/** Packages with their price, the M-Pesa number, and "Buy"; `id="buy"` is what the page script takes over. */
export function BuySection(props: {
  base: string;
  plans: PortalPlan[];
  routerFields: Child;
  /** The router's CHAP id and challenge for the page script (router-login.ts), when it offered CHAP. */
  formAttributes?: Record<string, string>;
}) {
  return (
    <section>
      <h2>Buy a package with M-Pesa</h2>
      {props.plans.length === 0 ? (
        <p class="note">No packages are on sale right now. Ask your provider.</p>
      ) : (
        <form id="buy" method="post" action={`${props.base}/buy`} {...(props.formAttributes ?? {})}>
          {props.plans.map((plan, index) => (
            <label class="plan">
              <span>
                <input type="radio" name="planId" value={plan.id} checked={index === 0} /> {plan.name}
                <br />
                <span class="note">
                  {plan.validityText} · {plan.deviceLimit === 1 ? '1 device' : `${plan.deviceLimit} devices`}
                </span>
              </span>
              <b>Ksh {plan.priceShillings}</b>
            </label>
          ))}
          <label>
            M-Pesa number
            <input type="tel" name="phone" placeholder="0712 345 678" required autocomplete="tel" />
          </label>
          {props.routerFields}
          <button type="submit">Buy</button>
          <p class="note" id="status" aria-live="polite"></p>
        </form>
      )}
    </section>
  );
}

export function PaymentsUnavailable(props: { payments: Exclude<PortalPayments, 'ready'> }) {
  return (
    <section>
      <h2>Buy a package</h2>
      <p class="note" id="payments-unavailable">
        {unavailableLines[props.payments]}
      </p>
    </section>
  );
}

/** Phone and M-Pesa receipt: the receipt from the payer's SMS is the proof (recovery.ts). */
export function RecoverForm(props: { action: string; routerFields: Child }) {
  return (
    <section>
      <h2>Paid but lost your code?</h2>
      <form method="post" action={props.action} id="recover">
        <label>
          The number you paid with
          <input type="tel" name="phone" placeholder="0712 345 678" required autocomplete="tel" />
        </label>
        <label>
          M-Pesa code from your confirmation message
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
        <button type="submit">Find my voucher</button>
      </form>
    </section>
  );
}
