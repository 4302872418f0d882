// The captive portal's "Try free for N minutes" section (shown when the ISP offers guest passes): one
// button; the router's fields carry the device's MAC, which the pass is bound to.
import type { Child } from 'hono/jsx';
import { type Language, t } from '../../i18n';
import { minutesText } from '../../mpesa/purchase-limits';
import type { GuestPassSettings } from './core/index';

/** What the portal page needs to offer a pass. */
export interface GuestPassOffer {
  readonly minutes: number;
  /** The ISP's phone check: the form asks for a phone, a code goes to it by SMS. */
  readonly requiresPhone: boolean;
}

/** The offer for the portal page, or null while the ISP has guest passes off. */
export function guestPassOfferOf(settings: GuestPassSettings): GuestPassOffer | null {
  return settings.enabled
    ? { minutes: Math.round(settings.durationSeconds / 60), requiresPhone: settings.requirePhone }
    : null;
}

/** Milliseconds in a minute, to say the pass's length with the portal's "N minutes" helper. */
const MINUTE_MS = 60_000;

export function GuestPassSection(props: {
  language: Language;
  action: string;
  offer: GuestPassOffer;
  routerFields: Child;
}) {
  const tryFree = t(props.language, 'portal.guestPass.tryFree', {
    minutes: minutesText(props.offer.minutes * MINUTE_MS, props.language),
  });
  return (
    <section id="guest-pass">
      <h2>{tryFree}</h2>
      <form method="post" action={props.action}>
        {props.routerFields}
        {props.offer.requiresPhone ? <PhoneField language={props.language} /> : null}
        <button type="submit">{tryFree}</button>
      </form>
    </section>
  );
}

function PhoneField(props: { language: Language }) {
  return (
    <label>
      {t(props.language, 'portal.guestPass.phoneLabel')}
      <input type="tel" name="phone" required autocomplete="tel" placeholder="0712 345 678" />
    </label>
  );
}

/** The second step of the phone check without JavaScript: the code from the SMS, the rest carried along. */
export function GuestPassCodeForm(props: {
  language: Language;
  action: string;
  phone: string;
  routerFields: Child;
}) {
  return (
    <form method="post" action={props.action} id="guest-pass-code">
      {props.routerFields}
      <input type="hidden" name="phone" value={props.phone} />
      <label>
        {t(props.language, 'portal.guestPass.codeLabel')}
        <input
          type="text"
          name="code"
          required
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength={6}
        />
      </label>
      <button type="submit">{t(props.language, 'portal.guestPass.title')}</button>
    </form>
  );
}
