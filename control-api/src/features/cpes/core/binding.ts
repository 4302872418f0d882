// Which subscriber a CPE belongs to (issue 14: "bound to a subscriber by serial number or by the PPPoE
// username it reports"), and the CPE as `GET /api/v1/cpes` lists it. Pure: summaries and subscribers in.
import type { CpeSummary } from '../../../integrations/genieacs/device-summary';

export interface BindableSubscriber {
  readonly id: string;
  /** The PPPoE username (the RADIUS User-Name the CPE dials with). */
  readonly username: string;
  /** A serial number the ISP recorded for the subscriber's CPE, if any. */
  readonly cpeSerialNumber: string | null;
}

export type CpeBinding =
  | { readonly subscriberId: string; readonly matchedBy: 'serial_number' | 'pppoe_username' }
  /** No subscriber, or more than one claims the CPE (never guessed: the ISP resolves it). */
  | { readonly subscriberId: null; readonly matchedBy: null; readonly isAmbiguous: boolean };

export interface CpeListItem {
  readonly id: string;
  readonly serialNumber: string | null;
  readonly productClass: string | null;
  /** Milliseconds since the epoch, as every time in Kiunga's API. */
  readonly lastInform: number | null;
  readonly online: boolean;
  readonly subscriberId: string | null;
}

/** Serial numbers compare without case or surrounding spaces: ISPs type them off a sticker. */
function serialKey(serialNumber: string): string {
  return serialNumber.trim().toUpperCase();
}

function indexBy(
  subscribers: readonly BindableSubscriber[],
  key: (subscriber: BindableSubscriber) => string | null,
) {
  const index = new Map<string, string[]>();
  for (const subscriber of subscribers) {
    const value = key(subscriber);
    if (value === null || value === '') continue;
    index.set(value, [...(index.get(value) ?? []), subscriber.id]);
  }
  return index;
}

/** Indexes the ISP's subscribers once; the returned function binds each CPE of a page. */
export function createCpeBinder(subscribers: readonly BindableSubscriber[]): (cpe: CpeSummary) => CpeBinding {
  const bySerial = indexBy(subscribers, (subscriber) =>
    subscriber.cpeSerialNumber === null ? null : serialKey(subscriber.cpeSerialNumber),
  );
  const byUsername = indexBy(subscribers, (subscriber) => subscriber.username);
  return (cpe) => {
    // A serial number the ISP recorded is the deliberate binding; it wins over what the CPE dials with.
    const serialMatches = cpe.serialNumber === null ? [] : (bySerial.get(serialKey(cpe.serialNumber)) ?? []);
    if (serialMatches.length === 1)
      return { subscriberId: serialMatches[0] as string, matchedBy: 'serial_number' };
    const usernameMatches = cpe.pppoeUsername === null ? [] : (byUsername.get(cpe.pppoeUsername) ?? []);
    if (serialMatches.length === 0 && usernameMatches.length === 1) {
      return { subscriberId: usernameMatches[0] as string, matchedBy: 'pppoe_username' };
    }
    return {
      subscriberId: null,
      matchedBy: null,
      isAmbiguous: serialMatches.length > 1 || usernameMatches.length > 1,
    };
  };
}

export function cpeListItem(cpe: CpeSummary, binding: CpeBinding): CpeListItem {
  return {
    id: cpe.id,
    serialNumber: cpe.serialNumber,
    productClass: cpe.productClass,
    lastInform: cpe.lastInformAt,
    online: cpe.isOnline,
    subscriberId: binding.subscriberId,
  };
}
