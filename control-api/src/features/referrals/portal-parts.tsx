// The referral parts of the client-facing pages: on the captive portal the code a buyer came with (`?ref=`,
// kept in the buy form) or may type, and the buyer's own code after the purchase; in the customer portal a
// subscriber's code and the reward vouchers it earned.

import { normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { type Language, t } from '../../i18n';
import { REFERRAL_CODE_LENGTH } from '../shared/short-codes';
import {
  ensureReferralCode,
  type ReferralRewardView,
  readReferralSettings,
  referralCodeOf,
  rewardsOfReferrer,
} from './store';

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
export function ReferralField(props: { referral: PortalReferral | null; language: Language }) {
  if (props.referral === null) return null;
  if (props.referral.linkCode !== null) {
    return <input type="hidden" name="referral" value={props.referral.linkCode} />;
  }
  return (
    <label>
      {t(props.language, 'portal.referral.fieldLabel')}
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

export function ReferralCodeNote(props: { code: string | null; portalUrl: string; language: Language }) {
  if (props.code === null) return null;
  return (
    <p class="note" id="referral-code">
      {t(props.language, 'portal.referral.yourCode')} <b class="code">{props.code}</b>.{' '}
      {t(props.language, 'portal.referral.codeNote', { link: `${props.portalUrl}?ref=${props.code}` })}
    </p>
  );
}

/** Rewards listed in the customer portal: the latest few are what a client looks for. */
const CUSTOMER_PORTAL_REWARDS_MAX = 10;

export interface SubscriberReferral {
  readonly code: string;
  readonly rewards: ReferralRewardView[];
}

/** A subscriber's code (made on first view while the programme is on) and the rewards it earned; null when off. */
export async function subscriberReferralOf(
  database: SqlDatabase,
  subscriber: { id: string; phone: string | null },
  nowMs: number,
): Promise<SubscriberReferral | null> {
  if (!(await readReferralSettings(database)).enabled) return null;
  const owner = { kind: 'subscriber' as const, id: subscriber.id };
  const phone = subscriber.phone === null ? null : normaliseKenyanPhone(subscriber.phone);
  const code = await ensureReferralCode(database, { ...owner, phone }, nowMs);
  return { code, rewards: await rewardsOfReferrer(database, owner, CUSTOMER_PORTAL_REWARDS_MAX) };
}

/** The customer portal's referral section: the code to share and the reward vouchers earned. */
export function ReferralSection(props: { referral: SubscriberReferral | null; portalUrl: string }) {
  if (props.referral === null) return null;
  const { code, rewards } = props.referral;
  return (
    <section id="referral">
      <h2>Refer a friend</h2>
      <p>
        Your referral code: <b class="code">{code}</b>. A friend who buys Wi-Fi with it ({props.portalUrl}
        ?ref=
        {code}) earns you a free voucher.
      </p>
      {rewards.length === 0 ? null : (
        <ul>
          {rewards.map((reward) => (
            <li>
              Voucher <b>{reward.voucherCode ?? '—'}</b> for referring {reward.newPhone.slice(0, 6)}•••
              {reward.newPhone.slice(-2)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
