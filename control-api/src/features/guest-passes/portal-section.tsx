// The captive portal's "Try free for N minutes" section (shown when the ISP offers guest passes): one
// button; the router's fields carry the device's MAC, which the pass is bound to.
import type { Child } from 'hono/jsx';
import type { GuestPassSettings } from './core/index';

/** What the portal page needs to offer a pass. */
export interface GuestPassOffer {
  readonly minutes: number;
}

/** The offer for the portal page, or null while the ISP has guest passes off. */
export function guestPassOfferOf(settings: GuestPassSettings): GuestPassOffer | null {
  return settings.enabled ? { minutes: Math.round(settings.durationSeconds / 60) } : null;
}

export function GuestPassSection(props: { action: string; offer: GuestPassOffer; routerFields: Child }) {
  const minutes = props.offer.minutes === 1 ? '1 minute' : `${props.offer.minutes} minutes`;
  return (
    <section id="guest-pass">
      <h2>Try free for {minutes}</h2>
      <form method="post" action={props.action}>
        {props.routerFields}
        <button type="submit">Try free for {minutes}</button>
      </form>
    </section>
  );
}
