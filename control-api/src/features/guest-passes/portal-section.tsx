// The captive portal's "Try free for N minutes" section (shown when the ISP offers guest passes): one
// button; the router's fields carry the device's MAC, which the pass is bound to.
import type { Child } from 'hono/jsx';
import { type Language, t } from '../../i18n';
import { minutesText } from '../../mpesa/purchase-limits';
import type { GuestPassSettings } from './core/index';

/** What the portal page needs to offer a pass. */
export interface GuestPassOffer {
  readonly minutes: number;
}

/** The offer for the portal page, or null while the ISP has guest passes off. */
export function guestPassOfferOf(settings: GuestPassSettings): GuestPassOffer | null {
  return settings.enabled ? { minutes: Math.round(settings.durationSeconds / 60) } : null;
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
        <button type="submit">{tryFree}</button>
      </form>
    </section>
  );
}
