// The captive portal's referral parts: the code a buyer came with (`?ref=`, kept in the buy form) or may
// type, and the buyer's own code shown after the purchase.
import type { SqlDatabase } from '@kiunga/schemas';
import { normaliseKenyanPhone } from '@kiunga/schemas';
import { REFERRAL_CODE_LENGTH } from '../shared/short-codes';
import { readReferralSettings, referralCodeOf } from './store';

/** What the portal's buy form carries: null while the programme is off. */
export interface PortalReferral {
  /** The `?ref=` of the link that opened the portal, as given (checked when the purchase is made). */
  readonly linkCode: string | null;
}

export async function portalReferralOf(
  database: SqlDatabase,
  linkCode: string | undefined,
): Promise<PortalReferral | null> {
  const settings = await readReferralSettings(database);
  if (!settings.enabled) return null;
  const code = linkCode?.trim().slice(0, REFERRAL_CODE_LENGTH * 2) ?? '';
  return { linkCode: code === '' ? null : code };
}

/** In the buy form: the link's code, hidden; else a field for a code a friend gave. */
export function ReferralField(props: { referral: PortalReferral | null }) {
  if (props.referral === null) return null;
  if (props.referral.linkCode !== null) {
    return <input type="hidden" name="referral" value={props.referral.linkCode} />;
  }
  return (
    <label>
      Friend's referral code (optional)
      <input type="text" name="referral" autocapitalize="characters" autocomplete="off" maxlength={24} />
    </label>
  );
}

/** The buyer's own code after a paid purchase (made when the purchase settled), or null. */
export async function buyerReferralCode(database: SqlDatabase, phone: string): Promise<string | null> {
  const normalised = normaliseKenyanPhone(phone);
  if (normalised === null || !(await readReferralSettings(database)).enabled) return null;
  return (await referralCodeOf(database, { kind: 'client', id: normalised }))?.code ?? null;
}

export function ReferralCodeNote(props: { code: string | null; portalUrl: string }) {
  if (props.code === null) return null;
  return (
    <p class="note" id="referral-code">
      Your referral code: <b class="code">{props.code}</b>. A friend who buys with it (or with the link{' '}
      {props.portalUrl}?ref={props.code}) earns you a free voucher.
    </p>
  );
}
